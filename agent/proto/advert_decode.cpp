// Decoding and the packet-level receive checks of RFC 3768 §7.1 and
// RFC 9568 §7.1. The checks run in the RFCs' order (TTL, version, length,
// checksum), with the header sanity checks (type, count, interval) placed
// where their fields are first trusted.
#include "proto/advert.h"
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

std::string_view to_string(DecodeError e) {
  switch (e) {
    case DecodeError::Truncated:
      return "truncated";
    case DecodeError::BadVersion:
      return "bad-version";
    case DecodeError::BadType:
      return "bad-type";
    case DecodeError::BadTtl:
      return "bad-ttl";
    case DecodeError::LengthMismatch:
      return "length-mismatch";
    case DecodeError::BadChecksum:
      return "bad-checksum";
    case DecodeError::ZeroAddressCount:
      return "zero-address-count";
    case DecodeError::ZeroInterval:
      return "zero-interval";
    case DecodeError::SourceNotLinkLocal:
      return "source-not-link-local";
    case DecodeError::BadIpHeader:
      return "bad-ip-header";
  }
  return "unknown";
}

Expected<Advert, DecodeError> decode_advert(const PacketMeta& meta, std::span<const uint8_t> vrrp,
                                            const DecodeOptions& options) {
  if (meta.source.family() != meta.family || meta.destination.family() != meta.family) {
    return unexpected(DecodeError::BadIpHeader);
  }
  if (options.check_ttl && meta.ttl != kVrrpTtl) return unexpected(DecodeError::BadTtl);
  if (vrrp.size() < kHeaderSize) return unexpected(DecodeError::Truncated);

  const uint8_t version = vrrp[wire::kVersionTypeOffset] >> 4;
  // VRRPv2 exists only for IPv4 (RFC 3768); v3 covers both families.
  if (version == 2 ? meta.family != Family::V4 : version != 3) {
    return unexpected(DecodeError::BadVersion);
  }
  if ((vrrp[wire::kVersionTypeOffset] & 0x0f) != wire::kTypeAdvertisement) {
    return unexpected(DecodeError::BadType);
  }
  const uint8_t count = vrrp[wire::kCountOffset];
  if (count == 0) return unexpected(DecodeError::ZeroAddressCount);

  const size_t expected = wire::message_size(version, meta.family, count);
  if (vrrp.size() < expected) return unexpected(DecodeError::Truncated);
  if (vrrp.size() > expected) return unexpected(DecodeError::LengthMismatch);

  // Summing a message that carries its own checksum gives zero when intact.
  if (wire::message_checksum(version, vrrp, meta.source, meta.destination) != 0) {
    return unexpected(DecodeError::BadChecksum);
  }

  const uint16_t interval_cs = interval_centiseconds(version, vrrp);
  if (interval_cs == 0) return unexpected(DecodeError::ZeroInterval);

  // RFC 9568 §5.1.2.1: an IPv6 advert comes from the sender's link-local address.
  if (meta.family == Family::V6 && options.check_link_local_source &&
      !meta.source.is_ipv6_link_local()) {
    return unexpected(DecodeError::SourceNotLinkLocal);
  }

  Advert advert;
  advert.version = version;
  advert.vrid = vrrp[wire::kVridOffset];
  advert.priority = vrrp[wire::kPriorityOffset];
  advert.interval_cs = interval_cs;
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
