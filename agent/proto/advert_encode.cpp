// Encoding: the inverse of decode_advert for every advert it accepts.
#include <algorithm>

#include "proto/advert.h"
#include "proto/wire.h"

namespace keepvip::proto {
namespace {

constexpr size_t kMaxAddresses = 255;  // the count field is 8 bits
constexpr uint16_t kCentisecondsPerSecond = 100;
constexpr uint16_t kMaxV2IntervalSeconds = 255;

// v2 carries whole seconds: rounded to the nearest, never 0 (an interval the
// receiver must reject).
uint8_t v2_interval_seconds(uint16_t interval_cs) {
  const int seconds = (interval_cs + kCentisecondsPerSecond / 2) / kCentisecondsPerSecond;
  return static_cast<uint8_t>(std::clamp<int>(seconds, 1, kMaxV2IntervalSeconds));
}

}  // namespace

std::vector<uint8_t> encode_advert(const Advert& advert, const IpAddress& source,
                                   const IpAddress& destination, const EncodeOptions& options) {
  const Family family = source.family();
  // An advert speaks for one family; addresses of the other one cannot be
  // carried and are left out.
  std::vector<IpAddress> addresses;
  for (const IpAddress& address : advert.addresses) {
    if (address.family() == family && addresses.size() < kMaxAddresses) {
      addresses.push_back(address);
    }
  }

  std::vector<uint8_t> message(wire::message_size(advert.version, family, addresses.size()), 0);
  message[wire::kVersionTypeOffset] =
      static_cast<uint8_t>((advert.version << 4) | wire::kTypeAdvertisement);
  message[wire::kVridOffset] = advert.vrid;
  message[wire::kPriorityOffset] = advert.priority;
  message[wire::kCountOffset] = static_cast<uint8_t>(addresses.size());
  if (advert.version == 2) {
    message[wire::kAuthTypeOffset] = advert.auth_type;
    message[wire::kAdverIntV2Offset] = v2_interval_seconds(advert.interval_cs);
  } else {
    wire::write_be16(message, wire::kMaxAdverIntV3Offset,
                     std::min(advert.interval_cs, wire::kMaxAdverIntV3Mask));
  }

  auto cursor = message.begin() + wire::kHeaderSize;
  for (const IpAddress& address : addresses) {
    cursor = std::copy(address.bytes().begin(), address.bytes().end(), cursor);
  }
  if (advert.version == 2) {
    // keepalived sends (and compares) only the first 8 bytes of auth_pass.
    const size_t length = std::min(advert.auth_data.size(), wire::kAuthDataSize);
    std::copy_n(advert.auth_data.begin(), length, cursor);
  }

  wire::write_be16(message, wire::kChecksumOffset,
                   wire::message_checksum(advert.version, message, source, destination,
                                          options.v3_checksum_as_v2));
  return message;
}

}  // namespace keepvip::proto
