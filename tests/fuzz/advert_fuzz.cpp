// libFuzzer target for the advert codec and the receive checks it shares
// with the BPF guard (bpf/vrrp_checks_*.h). Properties:
//  - decode_advert, split_ipv4 and check_received_advert never crash or trip
//    a sanitizer;
//  - an advert checked against an instance made from its own fields is
//    accepted exactly when it lists no address twice (the address list
//    check counts each VIP once);
//  - whatever decodes re-encodes to bytes that decode to the same advert, and
//    to the input itself apart from what the codec deliberately normalizes
//    (the v3 reserved bits, the checksum's one's-complement alias);
//  - an IPv4 AH packet (auth_type AH): the ICV check never crashes, and the
//    same message signed again splits back to the same header and passes the
//    ICV check of its key, and of no other.
//
// Input layout (the seed corpus in corpus/advert follows it):
//   byte 0: bit 0 family (0 IPv4, 1 IPv6), bit 1 skip the TTL check,
//           bit 2 skip the IPv6 link-local source check, bit 3 fix the VRRP
//           checksum first (random bytes almost never carry a valid one, and
//           the checks after it deserve fuzzing too)
//   IPv4:   the rest is a whole IPv4 packet, as a raw socket delivers it
//   IPv6:   hop limit (1 byte), source (16), destination (16), VRRP message
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "proto/advert.h"
#include "proto/ipsec_ah.h"
#include "vrrp/receive_checks.h"

namespace {

using keepvip::IpAddress;
using namespace keepvip::proto;

constexpr size_t kChecksumOffset = 6;
constexpr size_t kV3ReservedOffset = 4;

void require(bool condition) {
  if (!condition) std::abort();
}

bool same_apart_from_normalized(std::span<const uint8_t> input, const std::vector<uint8_t>& out,
                                uint8_t version) {
  if (input.size() != out.size()) return false;
  for (size_t i = 0; i < input.size(); ++i) {
    if (i == kChecksumOffset || i == kChecksumOffset + 1) continue;
    uint8_t mask = 0xff;
    if (version == 3 && i == kV3ReservedOffset) mask = 0x0f;
    if ((input[i] & mask) != (out[i] & mask)) return false;
  }
  return true;
}

// Writes a valid checksum into a copy of the message, building the v3
// pseudo-header by hand rather than through the code under test. It uses the
// IPv6 layout for both families: its 16-bit words sum the same as RFC 5798's
// 12-byte IPv4 pseudo-header (the extra words are zero).
std::vector<uint8_t> resealed(const PacketMeta& meta, std::span<const uint8_t> vrrp) {
  std::vector<uint8_t> message(vrrp.begin(), vrrp.end());
  if (message.size() < kChecksumOffset + 2) return message;
  message[kChecksumOffset] = message[kChecksumOffset + 1] = 0;
  std::vector<uint8_t> summed;
  if ((message[0] >> 4) == 3) {
    summed.insert(summed.end(), meta.source.bytes().begin(), meta.source.bytes().end());
    summed.insert(summed.end(), meta.destination.bytes().begin(), meta.destination.bytes().end());
    const auto length = static_cast<uint32_t>(message.size());
    summed.insert(
        summed.end(),
        {static_cast<uint8_t>(length >> 24), static_cast<uint8_t>(length >> 16),
         static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length), 0, 0, 0, kIpProtoVrrp});
  }
  summed.insert(summed.end(), message.begin(), message.end());
  const uint16_t sum = internet_checksum(summed);
  message[kChecksumOffset] = static_cast<uint8_t>(sum >> 8);
  message[kChecksumOffset + 1] = static_cast<uint8_t>(sum);
  return message;
}

// The instance this advert was made for: its VRID, version, interval,
// password and addresses (each once), in the destination's mode, with a
// local address that is not the source.
keepvip::vrrp::ReceiveProfile own_profile(const PacketMeta& meta, const Advert& advert) {
  keepvip::vrrp::ReceiveProfile p;
  p.vrid = advert.vrid;
  p.family = meta.family;
  p.version = advert.version;
  p.unicast = !meta.destination.is_multicast();
  if (advert.auth_type == 1) p.auth_pass = advert.auth_data.substr(0, 8);
  if (advert.auth_type == 2) {
    p.auth_type = keepvip::config::AuthType::Ah;
    p.auth_pass = "fuzzkey";
  }
  p.interval_cs = advert.interval_cs;
  for (const IpAddress& a : advert.addresses)
    if (std::find(p.vips.begin(), p.vips.end(), a) == p.vips.end()) p.vips.push_back(a);
  std::vector<uint8_t> local(meta.source.bytes().begin(), meta.source.bytes().end());
  local.back() ^= 1;
  p.local_address = *IpAddress::from_bytes(local);
  return p;
}

void check_against_own_instance(const PacketMeta& meta, std::span<const uint8_t> vrrp,
                                const Advert& advert) {
  const auto profile = own_profile(meta, advert);
  const bool repeats = profile.vips.size() != advert.addresses.size();
  // A password the auth type does not carry cannot be configured; auth type
  // 2 (AH) comes from an AH instance only in an AH header, and the reverse.
  if (advert.version == 2 && advert.auth_type > 2) return;
  if (meta.ah.has_value() != (advert.version == 2 && advert.auth_type == 2)) return;
  if (advert.version == 2 && advert.auth_type == 1 && advert.auth_data.empty()) return;
  const auto verdict = keepvip::vrrp::check_received_advert(profile, meta, vrrp, std::nullopt);
  require(verdict.has_value() == !repeats);
}

void check_round_trip(const PacketMeta& meta, std::span<const uint8_t> received,
                      const DecodeOptions& options, bool reseal) {
  const std::vector<uint8_t> fixed = reseal ? resealed(meta, received) : std::vector<uint8_t>{};
  const std::span<const uint8_t> vrrp = reseal ? std::span<const uint8_t>(fixed) : received;
  auto advert = decode_advert(meta, vrrp, options);
  if (!advert) {
    (void)to_string(advert.error());
    return;
  }
  check_against_own_instance(meta, vrrp, *advert);
  const std::vector<uint8_t> encoded = encode_advert(*advert, meta.source, meta.destination);
  auto again = decode_advert(meta, encoded, options);
  require(again.has_value());
  require(*again == *advert);
  require(same_apart_from_normalized(vrrp, encoded, advert->version));
}

void check_ah(const PacketMeta& meta, std::span<const uint8_t> vrrp) {
  if (!meta.ah) return;
  const AhKey key = ah_key("fuzzkey");
  (void)ah_icv_matches(*meta.ah, vrrp, key, false);
  (void)ah_icv_matches(*meta.ah, vrrp, key, true);
  AhSendParams params;
  params.source = meta.source;
  params.destination = meta.destination;
  params.ip_id = 1;
  params.sequence = meta.ah->header.sequence;
  params.key = key;
  const std::vector<uint8_t> packet = build_ah_packet(params, vrrp);
  auto again = split_ipv4(packet);
  require(again.has_value() && again->meta.ah.has_value());
  require(again->meta.ah->header.sequence == meta.ah->header.sequence);
  require(std::equal(again->payload.begin(), again->payload.end(), vrrp.begin(), vrrp.end()));
  require(ah_icv_matches(*again->meta.ah, again->payload, key, false));
  require(!ah_icv_matches(*again->meta.ah, again->payload, ah_key("otherkey"), false));
}

std::optional<IpAddress> v6_at(std::span<const uint8_t> data, size_t offset) {
  return IpAddress::from_bytes(data.subspan(offset, 16));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::span<const uint8_t> input(data, size);
  const uint8_t mode = input[0];
  DecodeOptions options;
  options.check_ttl = (mode & 0x02) == 0;
  options.check_link_local_source = (mode & 0x04) == 0;
  const bool reseal = (mode & 0x08) != 0;

  if ((mode & 0x01) == 0) {
    auto split = split_ipv4(input.subspan(1));
    if (!split) {
      (void)to_string(split.error());
      return 0;
    }
    check_ah(split->meta, split->payload);
    check_round_trip(split->meta, split->payload, options, reseal);
    return 0;
  }

  constexpr size_t kV6Prefix = 1 + 1 + 16 + 16;
  if (size < kV6Prefix) return 0;
  PacketMeta meta;
  meta.family = keepvip::Family::V6;
  meta.ttl = input[1];
  meta.source = *v6_at(input, 2);
  meta.destination = *v6_at(input, 18);
  check_round_trip(meta, input.subspan(kV6Prefix), options, reseal);
  return 0;
}
