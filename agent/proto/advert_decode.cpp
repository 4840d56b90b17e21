// Decoding and the packet-level receive checks of RFC 3768 §7.1 and
// RFC 9568 §7.1. The checks themselves are the BPF guard's
// (bpf/vrrp_checks_packet.h): one definition, one order, one set of reasons.
#include "proto/advert.h"
#include "proto/packet_checks.h"
#include "proto/wire.h"

namespace keepvip::proto {
namespace {

using wire::kHeaderSize;

// v2 carries the password NUL padded; callers compare the text part.
std::string strip_trailing_nuls(std::span<const uint8_t> bytes) {
  size_t length = bytes.size();
  while (length > 0 && bytes[length - 1] == 0) --length;
  return std::string(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
}

uint16_t interval_centiseconds(uint8_t version, std::span<const uint8_t> vrrp) {
  if (version == 2) return static_cast<uint16_t>(vrrp[wire::kAdverIntV2Offset] * 100);
  return wire::read_be16(vrrp, wire::kMaxAdverIntV3Offset) & wire::kMaxAdverIntV3Mask;
}

}  // namespace

IpAddress vrrp_multicast_group(Family family) {
  if (family == Family::V4) return IpAddress::v4({224, 0, 0, 18});
  return IpAddress::v6({0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});
}

Expected<Advert, DecodeError> decode_advert(const PacketMeta& meta, std::span<const uint8_t> vrrp,
                                            const DecodeOptions& options) {
  if (meta.source.family() != meta.family || meta.destination.family() != meta.family) {
    return unexpected(DecodeError::BadIpHeader);
  }
  if (int reason = run_packet_checks(meta, vrrp, options); reason != kAccept) {
    return unexpected(static_cast<DecodeError>(reason));
  }

  const uint8_t version = vrrp[wire::kVersionTypeOffset] >> 4;
  const uint8_t count = vrrp[wire::kCountOffset];
  Advert advert;
  advert.version = version;
  advert.vrid = vrrp[wire::kVridOffset];
  advert.priority = vrrp[wire::kPriorityOffset];
  advert.interval_cs = interval_centiseconds(version, vrrp);
  const size_t address_size = wire::address_size(meta.family);
  advert.addresses.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    advert.addresses.push_back(
        *IpAddress::from_bytes(vrrp.subspan(kHeaderSize + i * address_size, address_size)));
  }
  if (version == 2) {
    advert.auth_type = vrrp[wire::kAuthTypeOffset];
    advert.auth_data = strip_trailing_nuls(vrrp.last(wire::kAuthDataSize));
  }
  return advert;
}

}  // namespace keepvip::proto
