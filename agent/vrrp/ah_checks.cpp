#include "vrrp/ah_checks.h"

namespace keepvip::vrrp {

std::optional<proto::DropReason> check_ah_advert(const proto::PacketMeta& meta,
                                                 std::span<const uint8_t> vrrp,
                                                 const proto::AhKey& key, bool unicast,
                                                 AhSequence& sequence) {
  // The shared checks already dropped a plain advert for an AH instance.
  if (!meta.ah) return proto::DropReason::AuthTypeMismatch;
  // keepalived: "IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields
  // mutation or bad password !"
  if (!proto::ah_icv_matches(*meta.ah, vrrp, key, unicast)) return proto::DropReason::AhIcvMismatch;
  const auto source = meta.source.bytes();
  const uint32_t source_as_spi = (uint32_t{source[0]} << 24) | (uint32_t{source[1]} << 16) |
                                 (uint32_t{source[2]} << 8) | source[3];
  if (meta.source.family() != Family::V4 || meta.ah->header.spi != source_as_spi)
    return proto::DropReason::AhSpiMismatch;
  // "IPSEC-AH : sequence number %u already processed. Packet dropped."
  if (!sequence.accept(meta.ah->header.sequence)) return proto::DropReason::AhSequenceReplay;
  return std::nullopt;
}

}  // namespace keepvip::vrrp
