// Instance-level receive checks: the BPF guard's own
// (bpf/vrrp_checks_instance.h), run over keepvipd's buffer with the VIPs and
// peers looked up in the ReceiveProfile. VRID and family come first because
// keepalived finds the instance by them before it checks anything else.
#include "vrrp/receive_checks.h"

#include <algorithm>

#include "proto/packet_checks.h"
#include "vrrp/timers.h"
#include "vrrp_checks_instance.h"

// The environment bpf/vrrp_checks_instance.h asks its includer for.
struct kv_check_env {
  const keepvip::vrrp::ReceiveProfile* profile;
  const uint8_t* message;
  const uint8_t* end;
};

namespace {

// The index of `addr` (16 bytes, IPv4 in the first 4) in `list`, or -1.
int index_in(const std::vector<keepvip::IpAddress>& list, const __u8* addr) {
  for (size_t i = 0; i < list.size(); ++i) {
    auto bytes = list[i].bytes();
    if (std::equal(bytes.begin(), bytes.end(), addr)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

static __u32 kv_env_message_sum(kv_check_env* env, __u32 len) {
  return kv_sum16(env->message, env->end, len);
}

static int kv_env_vip_index(kv_check_env* env, const __u8* addr) {
  return index_in(env->profile->vips, addr);
}

static int kv_env_unicast_peer(kv_check_env* env, const __u8* addr, kv_peer* peer) {
  const int index = index_in(env->profile->unicast_peers, addr);
  if (index < 0) return 0;
  *peer = keepvip::vrrp::peer_ttls(*env->profile, env->profile->unicast_peers[index]);
  return 1;
}

static int kv_env_address_list_ok(kv_check_env* env, __u8 count) {
  kv_vip_bitmap seen{};
  const keepvip::vrrp::ReceiveProfile& p = *env->profile;
  // More VIPs than an advert can list: none matches.
  if (p.vips.size() > 255) return 0;
  return kv_address_list_ok(env->message + KV_VRRP_HEADER_LEN, env->end, count,
                            p.family == keepvip::Family::V6 ? KV_FAMILY_V6 : KV_FAMILY_V4,
                            static_cast<__u16>(p.vips.size()), &seen, env);
}

namespace keepvip::vrrp {

ReceiveProfile receive_profile(const config::Instance& instance, const config::Global& global,
                               const IpAddress& local_address) {
  ReceiveProfile p;
  p.vrid = instance.vrid;
  // The address we send from has the instance's family (config.cpp's
  // Instance::family() would make this library link the parser).
  p.family = local_address.family();
  p.version = instance.version;
  p.unicast = instance.unicast();
  // keepalived keeps auth_pass in an 8-byte NUL-padded field and compares
  // the whole field, so only the first 8 characters count on either side.
  if (instance.version == 2 && instance.auth_pass) {
    p.auth_type = instance.auth_type;
    p.auth_pass = instance.auth_pass->substr(0, 8);
  }
  p.interval_cs = to_centiseconds(instance.advert_interval);
  for (const config::VirtualAddress& vip : instance.virtual_addresses) {
    const IpAddress& a = vip.prefix.address;
    if (a.family() == p.family && std::find(p.vips.begin(), p.vips.end(), a) == p.vips.end())
      p.vips.push_back(a);
  }
  p.unicast_peers = instance.unicast_peers;
  p.peer_ttls = instance.wire.peer_ttls;
  p.v3_checksum_as_v2 = instance.wire.v3_checksum_as_v2.value_or(global.wire.v3_checksum_as_v2);
  p.check_unicast_src = instance.check_unicast_src || global.vrrp_check_unicast_src;
  p.skip_check_adv_addr = instance.skip_check_adv_addr || global.vrrp_skip_check_adv_addr;
  p.local_address = local_address;
  return p;
}

kv_peer peer_ttls(const ReceiveProfile& profile, const IpAddress& peer) {
  kv_peer ttls{0, 255};
  for (const config::PeerTtlRange& range : profile.peer_ttls) {
    if (range.peer == peer) ttls = {range.min_ttl, range.max_ttl};
  }
  return ttls;
}

kv_inst_cfg receive_config(const ReceiveProfile& profile) {
  kv_inst_cfg cfg{};
  cfg.version = profile.version;
  cfg.unicast = profile.unicast ? 1 : 0;
  cfg.interval_cs = profile.interval_cs;
  cfg.vip_count = static_cast<uint16_t>(std::min<size_t>(profile.vips.size(), UINT16_MAX));
  if (profile.version == 2 && !profile.auth_pass.empty())
    cfg.auth_type = static_cast<__u8>(profile.auth_type);
  if (cfg.auth_type == KV_AUTH_PASS) {
    // On the wire the password is 8 bytes, zero padded, longer ones cut.
    std::copy_n(profile.auth_pass.begin(),
                std::min(profile.auth_pass.size(), sizeof(cfg.auth_data)), cfg.auth_data);
  }
  auto local = profile.local_address.bytes();
  std::copy(local.begin(), local.end(), cfg.primary);
  cfg.check_unicast_src = profile.check_unicast_src ? 1 : 0;
  cfg.skip_check_adv_addr = profile.skip_check_adv_addr ? 1 : 0;
  cfg.v3_checksum_as_v2 = profile.v3_checksum_as_v2 ? 1 : 0;
  return cfg;
}

ReceiveVerdict check_received_advert(const ReceiveProfile& profile, const proto::PacketMeta& meta,
                                     std::span<const uint8_t> vrrp,
                                     const std::optional<IpAddress>& current_master) {
  if (meta.source.family() != profile.family) return unexpected(RejectReason::FamilyMismatch);
  if (vrrp.size() < 2 || vrrp[1] != profile.vrid) return unexpected(RejectReason::VridMismatch);
  const kv_packet pkt = proto::shared_packet(meta, vrrp.size());
  const kv_inst_cfg cfg = receive_config(profile);
  kv_inst_live live{};
  if (current_master && current_master->family() == meta.source.family()) {
    live.has_master = 1;
    std::copy(current_master->bytes().begin(), current_master->bytes().end(), live.master);
  }
  kv_check_env env{&profile, vrrp.data(), vrrp.data() + vrrp.size()};
  int reason = kv_check_instance(vrrp.data(), env.end, &pkt, &cfg, &live, &env);
  if (reason == KV_ACCEPT) return {};
  return unexpected(static_cast<RejectReason>(reason));
}

}  // namespace keepvip::vrrp
