// Why an advert was dropped: one vocabulary for the codec (DecodeError), the
// instance checks (vrrp::RejectReason) and the BPF guard's kernel counters.
// The kernel's reasons are numbered and named by the one C table the guard
// and keepvipd share (kv_drop_reason_name in bpf/vrrp_guard_shared.h); only
// keepvipd's own checks add names here. The names are an interface: they
// key the D-Bus Drops property, `keepvipd --stats` and the logs.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>

#include "vrrp_guard_shared.h"

namespace keepvip::proto {

enum class DropReason : uint8_t {
  BadTtl = KV_DROP_BAD_TTL,
  BadVersion = KV_DROP_BAD_VERSION,
  BadType = KV_DROP_BAD_TYPE,
  Truncated = KV_DROP_TRUNCATED,
  Oversized = KV_DROP_OVERSIZED,
  BadChecksum = KV_DROP_BAD_CHECKSUM,
  AuthMismatch = KV_DROP_AUTH_MISMATCH,
  VersionMismatch = KV_DROP_VERSION_MISMATCH,
  IntervalMismatch = KV_DROP_INTERVAL_MISMATCH,
  RateLimit = KV_DROP_RATE_LIMIT,
  ZeroAddressCount = KV_DROP_ZERO_ADDRESS_COUNT,
  ZeroInterval = KV_DROP_ZERO_INTERVAL,
  SourceNotLinkLocal = KV_DROP_SOURCE_NOT_LINK_LOCAL,
  MulticastInUnicastMode = KV_DROP_MULTICAST_IN_UNICAST,
  UnicastInMulticastMode = KV_DROP_UNICAST_IN_MULTICAST,
  OwnAdvert = KV_DROP_OWN_ADVERT,
  AuthTypeMismatch = KV_DROP_AUTH_TYPE_MISMATCH,
  AddressListMismatch = KV_DROP_ADDRESS_LIST_MISMATCH,
  NotUnicastPeer = KV_DROP_NOT_UNICAST_PEER,
  Fragment = KV_DROP_FRAGMENT,
  ExtHeaderChain = KV_DROP_EXT_HEADER_CHAIN,
  // keepvipd only: the socket layer hands each instance its family and VRID,
  // and a raw IPv4 socket can deliver a header the kernel never checked.
  FamilyMismatch = 0xf0,
  VridMismatch = 0xf1,
  // keepvipd only: auth_type AH checks need the key and the sequence counter
  // (keepalived counts all three as auth_failure).
  AhIcvMismatch = 0xf2,     // HMAC-MD5 wrong: another password, or a forged/changed advert
  AhSpiMismatch = 0xf3,     // the SPI is not the IPv4 source address
  AhSequenceReplay = 0xf4,  // sequence number not above the last one taken
  BadIpHeader = 0xff,
};

// "bad-ttl", "auth-mismatch", ...; "unknown" for a number outside the enum.
std::string_view to_string(DropReason reason);

// A counter of the guard's kernel table (index < KV_DROP__MAX).
inline DropReason drop_reason_from_kernel(unsigned index) {
  return static_cast<DropReason>(index);
}

// Ordered by name, as counters have always been listed (D-Bus, --stats).
struct ByName {
  bool operator()(DropReason a, DropReason b) const { return to_string(a) < to_string(b); }
};
using DropCounts = std::map<DropReason, uint64_t, ByName>;

}  // namespace keepvip::proto
