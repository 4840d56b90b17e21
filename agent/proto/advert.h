// The VRRP advertisement codec: pure functions from bytes to a decoded advert
// (or a precise reason it was rejected) and back. No sockets, no clocks.
//
// Receive checks split in two places, as in RFC 3768 §7.1 / RFC 9568 §7.1:
//  - here, the checks that need only the packet: IP TTL/hop limit, version,
//    type, length against the address count, checksum, count 0, interval 0,
//    IPv6 link-local source, addresses of the wrong family;
//  - in vrrp/receive_checks.h, the checks against an instance's config:
//    VRID, authentication, address list, advert interval (v2).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "common/ip_address.h"

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
  uint8_t ttl = 0;  // IPv4 TTL or IPv6 hop limit
};

enum class DecodeError {
  Truncated,       // shorter than the fixed header or the declared addresses
  BadVersion,      // not 2 or 3 (or v2 over IPv6)
  BadType,         // type is not 1 (ADVERTISEMENT)
  BadTtl,          // TTL/hop limit is not 255 (callers skip this check in unicast mode)
  LengthMismatch,  // payload longer than the address count implies
  BadChecksum,
  ZeroAddressCount,
  ZeroInterval,
  SourceNotLinkLocal,  // IPv6 source must be link-local (RFC 9568 §5.1.2.1)
  BadIpHeader,         // IPv4 header malformed (ihl, total length, protocol)
};

std::string_view to_string(DecodeError e);

struct DecodeOptions {
  bool check_ttl = true;  // false in unicast mode, where routers may decrement it
  // false in unicast mode, where unicast_src_ip may be a global IPv6 address
  // (keepalived accepts that and never checks the source scope).
  bool check_link_local_source = true;
};

// Decodes the VRRP part of a packet (the bytes after the IP header).
// v3 checksums over IPv4 cover the pseudo-header (RFC 5798 §5.2.8), as
// keepalived computes them; v2 checksums cover the VRRP message only.
Expected<Advert, DecodeError> decode_advert(const PacketMeta& meta, std::span<const uint8_t> vrrp,
                                            const DecodeOptions& options = {});

// Splits a whole IPv4 packet, as a raw IPPROTO_VRRP socket delivers it, into
// meta and VRRP payload. The span in the result points into `packet`.
struct Ipv4Split {
  PacketMeta meta;
  std::span<const uint8_t> payload;
};
Expected<Ipv4Split, DecodeError> split_ipv4(std::span<const uint8_t> packet);

// Encodes the VRRP part (no IP header) with the checksum filled in for the
// given source and destination (needed for the v3 pseudo-header).
std::vector<uint8_t> encode_advert(const Advert& advert, const IpAddress& source,
                                   const IpAddress& destination);

// The Internet checksum (RFC 1071) of a byte sequence, optionally seeded
// with a partial sum (for pseudo-headers).
uint16_t internet_checksum(std::span<const uint8_t> data, uint32_t seed = 0);

}  // namespace keepvip::proto
