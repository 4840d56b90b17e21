// The receive checks of RFC 3768 §7.1 / RFC 9568 §7.1 that need an
// instance's configuration (the packet-level ones live in proto/advert.h).
// The daemon runs these after decode_advert and before step(); a rejected
// advert never reaches the state machine and is counted under
// to_string(reason).
//
// The checks are the BPF guard's (bpf/vrrp_checks_instance.h), fed from the
// same ReceiveProfile the guard gets (ports::GuardInstance carries one), so
// the guard passes exactly what keepvipd accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "common/ip_address.h"
#include "config/config.h"
#include "proto/advert.h"

namespace keepvip::vrrp {

// The instance-level drop reasons, numbered as the shared checks number them.
enum class RejectReason : uint8_t {
  MulticastInUnicastMode = KV_DROP_MULTICAST_IN_UNICAST,
  UnicastInMulticastMode = KV_DROP_UNICAST_IN_MULTICAST,
  OwnAdvert = KV_DROP_OWN_ADVERT,              // our own advert looped back to us
  VersionMismatch = KV_DROP_VERSION_MISMATCH,  // v2 advert for a v3 instance or the reverse
  AuthTypeMismatch =
      KV_DROP_AUTH_TYPE_MISMATCH,  // v2 auth type, or AH header present/absent, not ours
  AuthMismatch =
      KV_DROP_AUTH_MISMATCH,  // v2: wrong password (the seed's "received an invalid passwd!")
  IntervalMismatch = KV_DROP_INTERVAL_MISMATCH,         // v2: Adver Int differs from ours
  AddressListMismatch = KV_DROP_ADDRESS_LIST_MISMATCH,  // the advert's VIPs are not ours
  NotUnicastPeer = KV_DROP_NOT_UNICAST_PEER,            // check_unicast_src: not a unicast_peer
  TtlOutOfRange = KV_DROP_TTL_OUT_OF_RANGE,  // the peer's min_ttl / max_ttl exclude its TTL
  // keepvipd only: the socket layer hands each instance its family and VRID.
  // An IPv4 advert for an IPv6 instance or the reverse.
  FamilyMismatch = static_cast<uint8_t>(proto::DropReason::FamilyMismatch),
  // Another virtual router's advert.
  VridMismatch = static_cast<uint8_t>(proto::DropReason::VridMismatch),
};

constexpr proto::DropReason drop_reason(RejectReason reason) {
  return static_cast<proto::DropReason>(reason);
}
// The names counters and logs use, shared with the guard: "own-advert", ...
inline std::string_view to_string(RejectReason reason) {
  return to_string(drop_reason(reason));
}

// What the receive checks know about an instance, for keepvipd and the guard.
struct ReceiveProfile {
  uint8_t vrid = 0;
  Family family = Family::V4;
  uint8_t version = 2;
  bool unicast = false;   // unicast_peer mode
  std::string auth_pass;  // v2 PASS password or AH key, at most 8 bytes; empty = none
  config::AuthType auth_type = config::AuthType::Pass;  // what auth_pass is for
  uint16_t interval_cs = 100;                           // our advert interval
  // The advertised VIPs, each once, in configuration order: an advert must
  // list exactly these (keepalived's count and presence check).
  std::vector<IpAddress> vips;
  std::vector<IpAddress> unicast_peers;
  std::vector<config::PeerTtlRange> peer_ttls;  // unicast_peer min_ttl / max_ttl
  bool check_unicast_src = false;               // check_unicast_src / vrrp_check_unicast_src
  bool skip_check_adv_addr = false;             // vrrp_skip_check_adv_addr
  bool v3_checksum_as_v2 = false;               // VRRPv3 IPv4 checksums are not verified
  IpAddress local_address;                      // the address we send from on this link

  bool uses_ah() const { return !auth_pass.empty() && auth_type == config::AuthType::Ah; }
  friend bool operator==(const ReceiveProfile&, const ReceiveProfile&) = default;
};

ReceiveProfile receive_profile(const config::Instance& instance, const config::Global& global,
                               const IpAddress& local_address);

// The TTLs (or hop limits) a unicast peer's adverts may arrive with.
kv_peer peer_ttls(const ReceiveProfile& profile, const IpAddress& peer);

// The shared checks' view of a profile (the check fields of the guard's
// kv_inst_cfg; the guard adds its own).
kv_inst_cfg receive_config(const ReceiveProfile& profile);

using ReceiveVerdict = Expected<void, RejectReason>;

// Accepts the advert (has_value()) or says why it must be dropped. `vrrp` is
// the message decode_advert accepted; `current_master` is
// InstanceState::master_address.
ReceiveVerdict check_received_advert(const ReceiveProfile& profile, const proto::PacketMeta& meta,
                                     std::span<const uint8_t> vrrp,
                                     const std::optional<IpAddress>& current_master);

}  // namespace keepvip::vrrp
