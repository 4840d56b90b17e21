// The Internet checksum (RFC 1071) and the pseudo-headers VRRPv3 adds to it.
#include "proto/advert.h"
#include "proto/wire.h"

namespace keepvip::proto {
namespace {

// Sums big-endian 16-bit words; an odd trailing byte is padded with zero.
uint64_t add_words(uint64_t sum, std::span<const uint8_t> data) {
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<uint64_t>((data[i] << 8) | data[i + 1]);
  if (i < data.size()) sum += static_cast<uint64_t>(data[i]) << 8;
  return sum;
}

uint16_t fold(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

}  // namespace

uint16_t internet_checksum(std::span<const uint8_t> data, uint32_t seed) {
  return static_cast<uint16_t>(~fold(add_words(seed, data)) & 0xffff);
}

namespace wire {

uint32_t pseudo_header_sum(const IpAddress& source, const IpAddress& destination, size_t length) {
  uint64_t sum = add_words(0, source.bytes());
  sum = add_words(sum, destination.bytes());
  // IPv4: zero, protocol, 16-bit length. IPv6: 32-bit length, 24 zero bits,
  // next header. Either way the words are the length and the protocol.
  sum += (length >> 16) & 0xffff;
  sum += length & 0xffff;
  sum += kIpProtoVrrp;
  return fold(sum);
}

uint16_t message_checksum(uint8_t version, std::span<const uint8_t> message,
                          const IpAddress& source, const IpAddress& destination, bool v3_as_v2) {
  // keepalived's v3_checksum_as_v2 concerns IPv4 only: over IPv6 the kernel
  // checksums with the pseudo-header (IPV6_CHECKSUM) whatever it says.
  const bool pseudo_header = version == 3 && !(v3_as_v2 && source.is_v4());
  const uint32_t seed = pseudo_header ? pseudo_header_sum(source, destination, message.size()) : 0;
  return internet_checksum(message, seed);
}

}  // namespace wire
}  // namespace keepvip::proto
