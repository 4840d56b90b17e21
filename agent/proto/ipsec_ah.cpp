#include "proto/ipsec_ah.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <string>

#include "proto/advert.h"
#include "proto/wire.h"

namespace keepvip::proto {
namespace {

using namespace wire::ipv4;
constexpr size_t kIpv4HeaderSize = kMinHeaderSize;
constexpr uint8_t kVersionIhl = 0x45;
constexpr uint8_t kTosNetworkControl = 0xc0;  // keepalived's TOS
// Within the AH header.
constexpr size_t kSpiOffset = 4;
constexpr size_t kSequenceOffset = 8;
constexpr size_t kIcvOffset = 12;
constexpr size_t kMd5Size = 16;

uint32_t read_be32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
         b[at + 3];
}

void write_be32(std::span<uint8_t> b, size_t at, uint32_t v) {
  b[at] = static_cast<uint8_t>(v >> 24);
  b[at + 1] = static_cast<uint8_t>(v >> 16);
  b[at + 2] = static_cast<uint8_t>(v >> 8);
  b[at + 3] = static_cast<uint8_t>(v);
}

// The bytes the ICV covers: the mutable IPv4 fields and the ICV zeroed.
std::vector<uint8_t> icv_input(std::span<const uint8_t> prefix, std::span<const uint8_t> vrrp,
                               bool unicast) {
  std::vector<uint8_t> input(prefix.begin(), prefix.end());
  input.insert(input.end(), vrrp.begin(), vrrp.end());
  input[kTosOffset] = 0;
  input[kFragmentOffset] = input[kFragmentOffset + 1] = 0;
  input[kChecksumOffset] = input[kChecksumOffset + 1] = 0;
  if (unicast) input[kTtlOffset] = 0;
  const size_t ah_at = prefix.size() - kAhHeaderSize;
  std::fill_n(input.begin() + static_cast<std::ptrdiff_t>(ah_at + kIcvOffset), kAhIcvSize, 0);
  return input;
}

// nullopt when the crypto library refuses HMAC-MD5 (FIPS mode).
std::optional<std::array<uint8_t, kMd5Size>> hmac_md5(const AhKey& key,
                                                      std::span<const uint8_t> data) {
  std::array<uint8_t, kMd5Size> digest{};
  unsigned length = 0;
  if (!HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
            digest.data(), &length) ||
      length != kMd5Size) {
    ERR_clear_error();
    return std::nullopt;
  }
  return digest;
}

}  // namespace

AhKey ah_key(std::string_view auth_pass) {
  AhKey key{};
  std::copy_n(auth_pass.begin(), std::min(auth_pass.size(), key.size()), key.begin());
  return key;
}

std::optional<AuthenticationHeader> read_authentication_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kAhHeaderSize) return std::nullopt;
  AuthenticationHeader ah;
  ah.next_header = bytes[0];
  ah.payload_length = bytes[1];
  ah.spi = read_be32(bytes, kSpiOffset);
  ah.sequence = read_be32(bytes, kSequenceOffset);
  std::copy_n(bytes.begin() + kIcvOffset, kAhIcvSize, ah.icv.begin());
  return ah;
}

std::vector<uint8_t> build_ah_packet(const AhSendParams& params, std::span<const uint8_t> vrrp) {
  const size_t prefix_size = kIpv4HeaderSize + kAhHeaderSize;
  std::vector<uint8_t> packet(prefix_size + vrrp.size(), 0);
  std::span<uint8_t> p(packet);
  p[0] = kVersionIhl;
  p[kTosOffset] = kTosNetworkControl;
  wire::write_be16(p, kTotalLengthOffset, static_cast<uint16_t>(packet.size()));
  wire::write_be16(p, kIdOffset, params.ip_id);
  p[kTtlOffset] = params.ttl;
  p[kProtocolOffset] = kIpProtoAh;
  std::copy_n(params.source.bytes().begin(), 4, p.begin() + kSourceOffset);
  std::copy_n(params.destination.bytes().begin(), 4, p.begin() + kDestinationOffset);

  std::span<uint8_t> ah = p.subspan(kIpv4HeaderSize, kAhHeaderSize);
  ah[0] = kIpProtoVrrp;
  ah[1] = kAhPayloadLength;
  std::copy_n(params.source.bytes().begin(), 4, ah.begin() + kSpiOffset);
  write_be32(ah, kSequenceOffset, params.sequence);
  std::copy(vrrp.begin(), vrrp.end(), p.begin() + prefix_size);

  // Without MD5 (FIPS mode) the ICV stays zero; instances refuse to start
  // before it comes to that (hmac_md5_unavailable).
  if (auto digest = hmac_md5(params.key, icv_input(p.first(prefix_size), vrrp, params.unicast)))
    std::copy_n(digest->begin(), kAhIcvSize, ah.begin() + kIcvOffset);
  wire::write_be16(p, kChecksumOffset, internet_checksum(p.first(kIpv4HeaderSize)));
  return packet;
}

bool ah_icv_matches(const AhEnvelope& envelope, std::span<const uint8_t> vrrp, const AhKey& key,
                    bool unicast) {
  if (envelope.signed_prefix.size() < kIpv4HeaderSize + kAhHeaderSize) return false;
  auto digest = hmac_md5(key, icv_input(envelope.signed_prefix, vrrp, unicast));
  if (!digest) return false;
  return CRYPTO_memcmp(digest->data(), envelope.header.icv.data(), kAhIcvSize) == 0;
}

std::optional<std::string> hmac_md5_unavailable() {
  const AhKey key{};
  const std::array<uint8_t, 1> probe{};
  if (hmac_md5(key, probe)) return std::nullopt;
  return "the crypto library refuses HMAC-MD5 (is the system in FIPS mode?)";
}

}  // namespace keepvip::proto
