// The VRRP advertisement codec: pure functions from bytes to a decoded advert
// (or a precise reason it was rejected) and back. No sockets, no clocks.
//
// Receive checks split in two places, as in RFC 3768 §7.1 / RFC 9568 §7.1:
//  - here, the checks that need only the packet: IP TTL/hop limit, version,
//    type, count 0, length against the address count, checksum, interval 0,
//    IPv6 link-local source;
//  - in vrrp/receive_checks.h, the checks against an instance's config:
//    VRID, authentication, address list, advert interval (v2).
// Both run the definitions the BPF guard runs (bpf/vrrp_checks_packet.h and
// bpf/vrrp_checks_instance.h), so the guard and keepvipd agree on every
// advert, and name every drop alike (proto/drop_reason.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "common/ip_address.h"
#include "proto/drop_reason.h"
#include "proto/ipsec_ah.h"
#include "vrrp_guard_shared.h"

namespace keepvip::proto {

inline constexpr uint8_t kIpProtoVrrp = 112;
inline constexpr uint8_t kVrrpTtl = 255;  // IPv4 TTL / IPv6 hop limit of every advert
// 224.0.0.18 and ff02::12
IpAddress vrrp_multicast_group(Family family);

struct Advert {
  uint8_t version = 3;  // 2 or 3
  uint8_t vrid = 0;
  uint8_t priority = 0;  // 0 = the master is leaving
  // Advertisement interval in centiseconds. v2 carries whole seconds on the
  // wire (Adver Int); decode multiplies by 100 and encode divides, so callers
  // handle one unit for both versions.
  uint16_t interval_cs = 100;
  std::vector<IpAddress> addresses;  // all of the packet's family
  // v2 only: auth type 1 (simple text password) carries up to 8 bytes, NUL padded.
  uint8_t auth_type = 0;
  std::string auth_data;  // trailing NULs stripped

  friend bool operator==(const Advert&, const Advert&) = default;
};

// What the socket layer knows about a received packet besides its payload.
struct PacketMeta {
  Family family = Family::V4;
  IpAddress source;
  IpAddress destination;
  uint8_t ttl = 0;               // IPv4 TTL or IPv6 hop limit
  std::optional<AhEnvelope> ah;  // IPv4 protocol 51 (auth_type AH) only
};

// The packet-level drop reasons, numbered as the shared checks number them.
enum class DecodeError : uint8_t {
  BadTtl = KV_DROP_BAD_TTL,          // not 255 (callers skip this check in unicast mode)
  Truncated = KV_DROP_TRUNCATED,     // shorter than the fixed header or the declared addresses
  BadVersion = KV_DROP_BAD_VERSION,  // not 2 or 3 (or v2 over IPv6)
  BadType = KV_DROP_BAD_TYPE,        // type is not 1 (ADVERTISEMENT)
  ZeroAddressCount = KV_DROP_ZERO_ADDRESS_COUNT,
  Oversized = KV_DROP_OVERSIZED,  // payload longer than the address count implies
  BadChecksum = KV_DROP_BAD_CHECKSUM,
  ZeroInterval = KV_DROP_ZERO_INTERVAL,
  SourceNotLinkLocal = KV_DROP_SOURCE_NOT_LINK_LOCAL,  // IPv6 (RFC 9568 §5.1.2.1)
  // IPv4 header malformed (ihl, total length, protocol): keepvipd only
  BadIpHeader = static_cast<uint8_t>(DropReason::BadIpHeader),
};

constexpr DropReason drop_reason(DecodeError e) {
  return static_cast<DropReason>(e);
}
inline std::string_view to_string(DecodeError e) {
  return to_string(drop_reason(e));
}

struct DecodeOptions {
  bool check_ttl = true;  // false in unicast mode, where routers may decrement it
  // false in unicast mode, where unicast_src_ip may be a global IPv6 address
  // (keepalived accepts that and never checks the source scope).
  bool check_link_local_source = true;
  // keepalived 2.2.8's v3_checksum_as_v2: it verifies no VRRPv3 checksum
  // over IPv4 (either form, or a wrong one, is accepted).
  bool v3_checksum_as_v2 = false;
};

// Decodes the VRRP part of a packet (the bytes after the IP header).
// v3 checksums over IPv4 cover the pseudo-header (RFC 5798 §5.2.8), as
// keepalived computes them; v2 checksums cover the VRRP message only.
Expected<Advert, DecodeError> decode_advert(const PacketMeta& meta, std::span<const uint8_t> vrrp,
                                            const DecodeOptions& options = {});

// Splits a whole IPv4 packet, as a raw IPPROTO_VRRP or IPPROTO_AH socket
// delivers it, into meta (with the AH header and the bytes its ICV covers)
// and VRRP payload. The span in the result points into `packet`.
struct Ipv4Split {
  PacketMeta meta;
  std::span<const uint8_t> payload;
};
Expected<Ipv4Split, DecodeError> split_ipv4(std::span<const uint8_t> packet);

// How encode_advert checksums.
struct EncodeOptions {
  // keepalived's v3_checksum_as_v2: a VRRPv3 IPv4 checksum without the
  // pseudo-header, as keepalived before 1.3.7 sent it. IPv6 is unchanged.
  bool v3_checksum_as_v2 = false;
};

// Encodes the VRRP part (no IP header) with the checksum filled in for the
// given source and destination (needed for the v3 pseudo-header).
std::vector<uint8_t> encode_advert(const Advert& advert, const IpAddress& source,
                                   const IpAddress& destination, const EncodeOptions& options = {});

// The Internet checksum (RFC 1071) of a byte sequence, optionally seeded
// with a partial sum (for pseudo-headers).
uint16_t internet_checksum(std::span<const uint8_t> data, uint32_t seed = 0);

}  // namespace keepvip::proto
