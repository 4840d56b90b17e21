// Helpers shared by the codec tests: packets as byte vectors, metadata for
// the captured vectors, and an independent checksum to re-seal mutated
// packets (so a test reaches the check it names instead of failing on the
// checksum first).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/ip_address.h"
#include "proto/advert.h"

namespace keepvip::proto::testing {

inline IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

inline std::vector<uint8_t> bytes(std::span<const uint8_t> data) {
  return {data.begin(), data.end()};
}

inline PacketMeta meta_v4(const char* source = "192.0.2.2", const char* destination = "224.0.0.18",
                          uint8_t ttl = 255) {
  return PacketMeta{Family::V4, ip(source), ip(destination), ttl, {}};
}

inline PacketMeta meta_v6(const char* source, const char* destination = "ff02::12",
                          uint8_t ttl = 255) {
  return PacketMeta{Family::V6, ip(source), ip(destination), ttl, {}};
}

// Rewrites the checksum field of a VRRP message, building the pseudo-header
// byte by byte as RFC 5798 §5.2.8 / RFC 8200 §8.1 lay it out.
inline void reseal(std::vector<uint8_t>& message, const PacketMeta& meta) {
  message[6] = message[7] = 0;
  std::vector<uint8_t> summed;
  if ((message[0] >> 4) == 3) {
    auto src = meta.source.bytes();
    auto dst = meta.destination.bytes();
    summed.insert(summed.end(), src.begin(), src.end());
    summed.insert(summed.end(), dst.begin(), dst.end());
    const auto length = static_cast<uint32_t>(message.size());
    if (meta.family == Family::V4) {
      summed.insert(summed.end(), {0, kIpProtoVrrp, static_cast<uint8_t>(length >> 8),
                                   static_cast<uint8_t>(length)});
    } else {
      summed.insert(
          summed.end(),
          {static_cast<uint8_t>(length >> 24), static_cast<uint8_t>(length >> 16),
           static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length), 0, 0, 0, kIpProtoVrrp});
    }
  }
  summed.insert(summed.end(), message.begin(), message.end());
  const uint16_t sum = internet_checksum(summed);
  message[6] = static_cast<uint8_t>(sum >> 8);
  message[7] = static_cast<uint8_t>(sum);
}

}  // namespace keepvip::proto::testing
