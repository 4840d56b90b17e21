// Splits what a raw IPPROTO_VRRP IPv4 socket delivers (the IP header is
// included) into the metadata the codec needs and the VRRP message.
#include <array>

#include "proto/advert.h"
#include "proto/wire.h"

namespace keepvip::proto {
namespace {

constexpr size_t kMinIpv4HeaderSize = 20;
constexpr size_t kTotalLengthOffset = 2;
constexpr size_t kFragmentOffset = 6;
constexpr size_t kTtlOffset = 8;
constexpr size_t kProtocolOffset = 9;
constexpr size_t kSourceOffset = 12;
constexpr size_t kDestinationOffset = 16;
constexpr uint16_t kMoreFragmentsAndOffsetMask = 0x3fff;

IpAddress ipv4_at(std::span<const uint8_t> packet, size_t offset) {
  return IpAddress::v4(
      {packet[offset], packet[offset + 1], packet[offset + 2], packet[offset + 3]});
}

}  // namespace

Expected<Ipv4Split, DecodeError> split_ipv4(std::span<const uint8_t> packet) {
  if (packet.size() < kMinIpv4HeaderSize || (packet[0] >> 4) != 4) {
    return unexpected(DecodeError::BadIpHeader);
  }
  const size_t header_size = static_cast<size_t>(packet[0] & 0x0f) * 4;
  if (header_size < kMinIpv4HeaderSize || header_size > packet.size()) {
    return unexpected(DecodeError::BadIpHeader);
  }
  // keepalived drops a packet whose total length disagrees with what was
  // received; the kernel has already reassembled fragments, so a fragment
  // here is malformed too.
  if (wire::read_be16(packet, kTotalLengthOffset) != packet.size() ||
      (wire::read_be16(packet, kFragmentOffset) & kMoreFragmentsAndOffsetMask) != 0 ||
      packet[kProtocolOffset] != kIpProtoVrrp) {
    return unexpected(DecodeError::BadIpHeader);
  }
  Ipv4Split split;
  split.meta.family = Family::V4;
  split.meta.source = ipv4_at(packet, kSourceOffset);
  split.meta.destination = ipv4_at(packet, kDestinationOffset);
  split.meta.ttl = packet[kTtlOffset];
  split.payload = packet.subspan(header_size);
  return split;
}

}  // namespace keepvip::proto
