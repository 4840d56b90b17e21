// VRRPv2 "auth_type AH" as keepalived implements it: an IPsec AH header
// (RFC 2402) between the IPv4 header (protocol 51) and the VRRP message, its
// ICV the first 96 bits of HMAC-MD5 keyed with auth_pass. There is no
// security association: the SPI is the sender's IPv4 address and the
// sequence number is kept per instance (vrrp/ah_sequence.h).
//
//   IPv4 header (20 bytes, protocol 51)
//   | Next Header (112) | Payload Len (4) |        Reserved (0)         |
//   |                 SPI = the IPv4 source address                    |
//   |                        Sequence Number                           |
//   |                 ICV (12 bytes of HMAC-MD5)                       |
//   VRRPv2 message (Auth Type 2, Authentication Data zero)
//
// The ICV covers the IPv4 header with TOS, fragment field and checksum
// zeroed (and the TTL too in unicast mode, where routers may change it),
// the AH header with the ICV zeroed, and the VRRP message.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/expected.h"
#include "common/ip_address.h"

namespace keepvip::proto {

inline constexpr uint8_t kIpProtoAh = 51;
inline constexpr size_t kAhHeaderSize = 24;
inline constexpr size_t kAhIcvSize = 12;
// keepalived's "Payload Len": the AH length in 32-bit words minus 2.
inline constexpr uint8_t kAhPayloadLength = 4;

// keepalived keys the HMAC with auth_pass in an 8-byte NUL-padded field
// (longer passwords are truncated).
using AhKey = std::array<uint8_t, 8>;
AhKey ah_key(std::string_view auth_pass);

struct AuthenticationHeader {
  uint8_t next_header = 0;
  uint8_t payload_length = 0;
  uint32_t spi = 0;
  uint32_t sequence = 0;
  std::array<uint8_t, kAhIcvSize> icv{};
};

// An AH advert as received: its header, and the bytes the ICV covers before
// the VRRP message (the IPv4 header and the AH header, as they arrived).
struct AhEnvelope {
  AuthenticationHeader header;
  std::vector<uint8_t> signed_prefix;
};

// Reads the AH header at the start of `bytes`; nullopt when too short.
std::optional<AuthenticationHeader> read_authentication_header(std::span<const uint8_t> bytes);

// What one AH advert is sent with.
struct AhSendParams {
  IpAddress source;       // IPv4; also the SPI
  IpAddress destination;  // 224.0.0.18 or a unicast peer
  uint16_t ip_id = 0;     // covered by the ICV, so chosen here (never 0)
  uint32_t sequence = 0;
  AhKey key{};
  bool unicast = false;  // the TTL is left out of the ICV
  uint8_t ttl = 255;     // unicast_ttl for unicast peers
};

// The whole IPv4 packet (header with checksum, AH with ICV, `vrrp`), as
// keepalived sends it: TOS 0xc0, TTL 255 (or unicast_ttl), no fragmentation.
std::vector<uint8_t> build_ah_packet(const AhSendParams& params, std::span<const uint8_t> vrrp);

// Whether the ICV of a received AH advert is right for `key`, compared in
// constant time.
bool ah_icv_matches(const AhEnvelope& envelope, std::span<const uint8_t> vrrp, const AhKey& key,
                    bool unicast);

// HMAC-MD5 needs MD5, which a crypto library in FIPS mode refuses: say so
// before an instance counts on it. Empty when HMAC-MD5 works here.
std::optional<std::string> hmac_md5_unavailable();

}  // namespace keepvip::proto
