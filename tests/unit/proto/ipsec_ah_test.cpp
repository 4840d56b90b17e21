#include "proto/ipsec_ah.h"

#include <gtest/gtest.h>

#include "advert_test_support.h"
#include "keepalived_ah_vectors.h"
#include "proto/advert.h"

namespace keepvip::proto {
namespace {

using testing::bytes;
using testing::ip;

constexpr size_t kVrrpAt = 20 + kAhHeaderSize;

std::vector<uint8_t> vrrp_of(std::span<const uint8_t> packet) {
  return bytes(packet.subspan(kVrrpAt));
}

TEST(IpsecAh, KeyIsAuthPassNulPaddedAndCutToEightBytes) {
  EXPECT_EQ(ah_key("abc"), (AhKey{'a', 'b', 'c', 0, 0, 0, 0, 0}));
  EXPECT_EQ(ah_key(vectors::kAhKeyText), (AhKey{'s', 'e', 'c', 'r', 'e', 't', '1', '2'}));
}

TEST(IpsecAh, BuildsKeepalivedsPacketByteForByte) {
  const auto captured = bytes(vectors::kAhIpv4Packet);
  AhSendParams params;
  params.source = ip("192.0.2.11");
  params.destination = ip("224.0.0.18");
  params.ip_id = 1;
  params.sequence = 1;
  params.key = ah_key(vectors::kAhKeyText);
  EXPECT_EQ(build_ah_packet(params, vrrp_of(captured)), captured);

  params.ip_id = 2;
  params.sequence = 2;
  EXPECT_EQ(build_ah_packet(params, vrrp_of(vectors::kAhIpv4PacketNext)),
            bytes(vectors::kAhIpv4PacketNext));
}

TEST(IpsecAh, SplitsTheCapturedPacketAfterTheAhHeader) {
  const auto packet = bytes(vectors::kAhIpv4Packet);
  auto split = split_ipv4(packet);
  ASSERT_TRUE(split) << to_string(split.error());
  EXPECT_EQ(split->meta.source, ip("192.0.2.11"));
  EXPECT_EQ(split->meta.ttl, 255);
  ASSERT_TRUE(split->meta.ah);
  const AuthenticationHeader& ah = split->meta.ah->header;
  EXPECT_EQ(ah.next_header, kIpProtoVrrp);
  EXPECT_EQ(ah.payload_length, kAhPayloadLength);
  EXPECT_EQ(ah.spi, 0xc000020bu);  // keepalived's SPI: the source address
  EXPECT_EQ(ah.sequence, 1u);
  EXPECT_EQ(split->meta.ah->signed_prefix, bytes(std::span(packet).first(kVrrpAt)));
  EXPECT_EQ(bytes(split->payload), vrrp_of(packet));

  auto advert = decode_advert(split->meta, split->payload);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->vrid, 51);
  EXPECT_EQ(advert->priority, 150);
  EXPECT_EQ(advert->auth_type, 2);
  EXPECT_EQ(advert->addresses, std::vector<IpAddress>{ip("192.0.2.100")});
}

TEST(IpsecAh, VerifiesTheCapturedIcvWithTheRightKeyOnly) {
  const auto packet = bytes(vectors::kAhIpv4Packet);
  auto split = split_ipv4(packet);
  ASSERT_TRUE(split);
  EXPECT_TRUE(ah_icv_matches(*split->meta.ah, split->payload, ah_key("secret12"), false));
  EXPECT_FALSE(ah_icv_matches(*split->meta.ah, split->payload, ah_key("secret13"), false));
  // In unicast mode the TTL is left out, so the multicast ICV no longer fits.
  EXPECT_FALSE(ah_icv_matches(*split->meta.ah, split->payload, ah_key("secret12"), true));
}

TEST(IpsecAh, IcvIgnoresTheMutableFieldsAndCoversTheRest) {
  auto packet = bytes(vectors::kAhIpv4Packet);
  packet[1] = 0x00;                // TOS
  packet[10] = packet[11] = 0x55;  // header checksum
  auto split = split_ipv4(packet);
  ASSERT_TRUE(split);
  const AhKey key = ah_key("secret12");
  EXPECT_TRUE(ah_icv_matches(*split->meta.ah, split->payload, key, false));

  for (size_t at : {size_t{5} /* IPv4 ID */, size_t{27} /* SPI */, size_t{31} /* sequence */,
                    kVrrpAt + 2 /* priority */}) {
    auto changed = bytes(vectors::kAhIpv4Packet);
    changed[at] ^= 1;
    auto s = split_ipv4(changed);
    ASSERT_TRUE(s) << at;
    EXPECT_FALSE(ah_icv_matches(*s->meta.ah, s->payload, key, false)) << "byte " << at;
  }
}

TEST(IpsecAh, UnicastIcvLeavesTheTtlOut) {
  AhSendParams params;
  params.source = ip("192.0.2.11");
  params.destination = ip("192.0.2.12");
  params.ip_id = 7;
  params.sequence = 9;
  params.key = ah_key("pw");
  params.unicast = true;
  auto packet = build_ah_packet(params, vrrp_of(vectors::kAhIpv4Packet));
  packet[8] = 250;  // a router on the way
  auto split = split_ipv4(packet);
  ASSERT_TRUE(split);
  EXPECT_TRUE(ah_icv_matches(*split->meta.ah, split->payload, params.key, true));
}

TEST(IpsecAh, SplitRejectsAhThatDoesNotCarryVrrpOrIsCut) {
  auto other = bytes(vectors::kAhIpv4Packet);
  other[20] = 6;  // next header TCP: IPsec traffic, not an advert
  EXPECT_FALSE(split_ipv4(other));

  auto cut = bytes(std::span(vectors::kAhIpv4Packet).first(30));
  cut[2] = 0;
  cut[3] = 30;
  EXPECT_FALSE(split_ipv4(cut));
}

TEST(IpsecAh, HmacMd5IsAvailableOutsideFipsMode) {
  EXPECT_EQ(hmac_md5_unavailable(), std::nullopt);
}

}  // namespace
}  // namespace keepvip::proto
