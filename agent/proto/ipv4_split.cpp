// Splits what a raw IPPROTO_VRRP or IPPROTO_AH IPv4 socket delivers (the IP
// header is included) into the metadata the codec needs and the VRRP message.
#include <array>

#include "proto/advert.h"
#include "proto/wire.h"

namespace keepvip::proto {
namespace {

using namespace wire::ipv4;
constexpr size_t kMinIpv4HeaderSize = kMinHeaderSize;
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
      (wire::read_be16(packet, kFragmentOffset) & kMoreFragmentsAndOffsetMask) != 0) {
    return unexpected(DecodeError::BadIpHeader);
  }
  Ipv4Split split;
  size_t payload_at = header_size;
  if (packet[kProtocolOffset] == kIpProtoAh) {
    // keepalived ignores an AH packet that does not carry VRRP.
    auto ah = read_authentication_header(packet.subspan(header_size));
    if (!ah || ah->next_header != kIpProtoVrrp) return unexpected(DecodeError::BadIpHeader);
    payload_at += kAhHeaderSize;
    split.meta.ah = AhEnvelope{*ah, {packet.begin(), packet.begin() + payload_at}};
  } else if (packet[kProtocolOffset] != kIpProtoVrrp) {
    return unexpected(DecodeError::BadIpHeader);
  }
  split.meta.family = Family::V4;
  split.meta.source = ipv4_at(packet, kSourceOffset);
  split.meta.destination = ipv4_at(packet, kDestinationOffset);
  split.meta.ttl = packet[kTtlOffset];
  split.payload = packet.subspan(payload_at);
  return split;
}

}  // namespace keepvip::proto
