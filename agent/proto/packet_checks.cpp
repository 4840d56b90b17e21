#include "proto/packet_checks.h"

#include <algorithm>

#include "vrrp_checks_packet.h"

// The environment bpf/vrrp_checks_packet.h asks its includer for: the message
// is a buffer here, summed directly.
struct kv_check_env {
  const uint8_t* message;
  const uint8_t* end;
};

static __u32 kv_env_message_sum(kv_check_env* env, __u32 len) {
  return kv_sum16(env->message, env->end, len);
}

namespace keepvip::proto {

static_assert(kAccept == KV_ACCEPT);

kv_packet shared_packet(const PacketMeta& meta, size_t vrrp_len) {
  kv_packet pkt{};
  pkt.family = meta.family == Family::V6 ? KV_FAMILY_V6 : KV_FAMILY_V4;
  pkt.ttl = meta.ttl;
  pkt.multicast = meta.destination.is_multicast() ? 1 : 0;
  pkt.ah = meta.ah ? 1 : 0;
  pkt.vrrp_len = static_cast<uint32_t>(std::min<size_t>(vrrp_len, UINT32_MAX));
  std::copy(meta.source.bytes().begin(), meta.source.bytes().end(), pkt.src);
  std::copy(meta.destination.bytes().begin(), meta.destination.bytes().end(), pkt.dst);
  return pkt;
}

int run_packet_checks(const PacketMeta& meta, std::span<const uint8_t> vrrp,
                      const DecodeOptions& options) {
  const kv_packet pkt = shared_packet(meta, vrrp.size());
  kv_check_env env{vrrp.data(), vrrp.data() + vrrp.size()};
  uint32_t flags = (options.check_ttl ? KV_CHECK_TTL : 0u) |
                   (options.check_link_local_source ? KV_CHECK_LINK_LOCAL : 0u) |
                   (options.v3_checksum_as_v2 ? KV_CHECK_V3_CHECKSUM_AS_V2 : 0u);
  return kv_check_packet(vrrp.data(), env.end, &pkt, flags, &env);
}

}  // namespace keepvip::proto
