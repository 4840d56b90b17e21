// The on-the-wire layout of a VRRP advertisement, shared by the decoder and
// the encoder (private to keepvip_proto).
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// |Version| Type  | Virtual Rtr ID|   Priority    | Count IPvX Addr|
// v2: |   Auth Type   |   Adver Int   |          Checksum          |
// v3: |(rsvd) |     Max Adver Int     |          Checksum          |
// |                  IPvX Address(es) ...                          |
// v2 only: |             Authentication Data (8 bytes)             |
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/ip_address.h"

namespace keepvip::proto::wire {

inline constexpr size_t kHeaderSize = 8;
inline constexpr size_t kAuthDataSize = 8;  // v2 only, after the addresses
inline constexpr uint8_t kTypeAdvertisement = 1;
inline constexpr size_t kVersionTypeOffset = 0;
inline constexpr size_t kVridOffset = 1;
inline constexpr size_t kPriorityOffset = 2;
inline constexpr size_t kCountOffset = 3;
inline constexpr size_t kAuthTypeOffset = 4;       // v2
inline constexpr size_t kAdverIntV2Offset = 5;     // v2, whole seconds
inline constexpr size_t kMaxAdverIntV3Offset = 4;  // v3, 12 bits of centiseconds
inline constexpr uint16_t kMaxAdverIntV3Mask = 0x0fff;
inline constexpr size_t kChecksumOffset = 6;

// The IPv4 header fields the codec reads or writes (RFC 791).
namespace ipv4 {
inline constexpr size_t kMinHeaderSize = 20;
inline constexpr size_t kTosOffset = 1;
inline constexpr size_t kTotalLengthOffset = 2;
inline constexpr size_t kIdOffset = 4;
inline constexpr size_t kFragmentOffset = 6;
inline constexpr size_t kTtlOffset = 8;
inline constexpr size_t kProtocolOffset = 9;
inline constexpr size_t kChecksumOffset = 10;
inline constexpr size_t kSourceOffset = 12;
inline constexpr size_t kDestinationOffset = 16;
}  // namespace ipv4

inline constexpr size_t address_size(Family family) {
  return family == Family::V4 ? 4 : 16;
}

// Length of a complete message with `count` addresses.
inline constexpr size_t message_size(uint8_t version, Family family, size_t count) {
  return kHeaderSize + count * address_size(family) + (version == 2 ? kAuthDataSize : 0);
}

inline uint16_t read_be16(std::span<const uint8_t> bytes, size_t offset) {
  return static_cast<uint16_t>((bytes[offset] << 8) | bytes[offset + 1]);
}

inline void write_be16(std::span<uint8_t> bytes, size_t offset, uint16_t value) {
  bytes[offset] = static_cast<uint8_t>(value >> 8);
  bytes[offset + 1] = static_cast<uint8_t>(value & 0xff);
}

// The partial one's-complement sum of the pseudo-header that seeds a v3
// checksum: RFC 5798 §5.2.8 (IPv4, the form keepalived 2.2.7 uses) and RFC 8200
// §8.1 (IPv6). `length` is the VRRP message length.
uint32_t pseudo_header_sum(const IpAddress& source, const IpAddress& destination, size_t length);

// The checksum a message must carry: v2 covers the message only, v3 adds the
// pseudo-header (unless `v3_as_v2`, keepalived's v3_checksum_as_v2, which
// drops it over IPv4). The checksum field of `message` must be zero.
uint16_t message_checksum(uint8_t version, std::span<const uint8_t> message,
                          const IpAddress& source, const IpAddress& destination,
                          bool v3_as_v2 = false);

}  // namespace keepvip::proto::wire
