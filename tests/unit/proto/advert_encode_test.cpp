#include <gtest/gtest.h>

#include "advert_test_support.h"
#include "keepalived_vectors.h"
#include "proto/advert.h"

namespace keepvip::proto {
namespace {

using testing::bytes;
using testing::ip;
using testing::meta_v4;
using testing::meta_v6;

// encode(decode(x)) == x for every captured keepalived packet: our adverts
// are byte-identical to keepalived's for the same content.
TEST(EncodeKnownAnswer, ReproducesKeepalivedBytes) {
  struct Vector {
    const char* name;
    PacketMeta meta;
    std::vector<uint8_t> message;
  };
  const Vector all[] = {
      {"v2 PASS", meta_v4(), bytes(vectors::kV2Pass)},
      {"v2 shutdown", meta_v4(), bytes(vectors::kV2PassShutdown)},
      {"v3 IPv4", meta_v4(), bytes(vectors::kV3Ipv4)},
      {"v3 IPv4 shutdown", meta_v4(), bytes(vectors::kV3Ipv4Shutdown)},
      {"v3 IPv6", meta_v6(vectors::kV3Ipv6Source), bytes(vectors::kV3Ipv6)},
  };
  for (const Vector& v : all) {
    SCOPED_TRACE(v.name);
    auto advert = decode_advert(v.meta, v.message);
    ASSERT_TRUE(advert) << to_string(advert.error());
    EXPECT_EQ(encode_advert(*advert, v.meta.source, v.meta.destination), v.message);
  }
}

TEST(EncodeKnownAnswer, BuildsKeepalivedV2AdvertFromFields) {
  Advert advert;
  advert.version = 2;
  advert.vrid = 51;
  advert.priority = 150;
  advert.interval_cs = 100;
  advert.addresses = {ip("192.0.2.100"), ip("192.0.2.101")};
  advert.auth_type = 1;
  advert.auth_data = "1111";
  EXPECT_EQ(encode_advert(advert, ip("192.0.2.2"), ip("224.0.0.18")), bytes(vectors::kV2Pass));
}

TEST(EncodeKnownAnswer, BuildsKeepalivedV3Ipv6AdvertFromFields) {
  Advert advert;
  advert.version = 3;
  advert.vrid = 53;
  advert.priority = 200;
  advert.interval_cs = 100;
  advert.addresses = {ip("2001:db8::100"), ip("2001:db8::101")};
  EXPECT_EQ(encode_advert(advert, ip(vectors::kV3Ipv6Source), ip("ff02::12")),
            bytes(vectors::kV3Ipv6));
}

TEST(Encode, RoundTripsThroughDecode) {
  Advert v3;
  v3.version = 3;
  v3.vrid = 7;
  v3.priority = 255;
  v3.interval_cs = 4095;
  v3.addresses = {ip("192.0.2.10"), ip("192.0.2.11"), ip("192.0.2.12")};
  Advert v2 = v3;
  v2.version = 2;
  v2.interval_cs = 25500;
  v2.auth_type = 1;
  v2.auth_data = "12345678";
  Advert v6 = v3;
  v6.addresses = {ip("fe80::1"), ip("2001:db8::10")};
  v6.interval_cs = 1;

  for (const auto& [advert, meta] : {std::pair{v3, meta_v4("192.0.2.1", "192.0.2.2")},
                                     std::pair{v2, meta_v4()}, std::pair{v6, meta_v6("fe80::2")}}) {
    SCOPED_TRACE(advert.version);
    auto decoded = decode_advert(meta, encode_advert(advert, meta.source, meta.destination));
    ASSERT_TRUE(decoded) << to_string(decoded.error());
    EXPECT_EQ(*decoded, advert);
  }
}

TEST(Encode, SendsOnlyTheFirstEightPasswordBytes) {
  Advert advert;
  advert.version = 2;
  advert.vrid = 1;
  advert.priority = 100;
  advert.addresses = {ip("192.0.2.10")};
  advert.auth_type = 1;
  advert.auth_data = "longpassword";
  auto decoded = decode_advert(meta_v4(), encode_advert(advert, ip("192.0.2.2"), ip("224.0.0.18")));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->auth_data, "longpass");
}

TEST(Encode, V2IntervalIsWholeSecondsNeverZero) {
  struct Row {
    uint16_t interval_cs;
    uint8_t wire_seconds;
  };
  const Row rows[] = {{100, 1}, {149, 1}, {150, 2}, {40, 1}, {0, 1}, {25500, 255}, {30000, 255}};
  for (const Row& row : rows) {
    SCOPED_TRACE(row.interval_cs);
    Advert advert;
    advert.version = 2;
    advert.interval_cs = row.interval_cs;
    advert.addresses = {ip("192.0.2.10")};
    EXPECT_EQ(encode_advert(advert, ip("192.0.2.2"), ip("224.0.0.18"))[5], row.wire_seconds);
  }
}

TEST(Encode, V3IntervalIsClampedToTwelveBits) {
  Advert advert;
  advert.version = 3;
  advert.interval_cs = 5000;
  advert.addresses = {ip("192.0.2.10")};
  auto message = encode_advert(advert, ip("192.0.2.2"), ip("224.0.0.18"));
  EXPECT_EQ(message[4], 0x0f);
  EXPECT_EQ(message[5], 0xff);
}

TEST(Encode, LeavesOutAddressesOfTheOtherFamily) {
  Advert advert;
  advert.version = 3;
  advert.addresses = {ip("192.0.2.10"), ip("2001:db8::10"), ip("192.0.2.11")};
  auto message = encode_advert(advert, ip("192.0.2.2"), ip("224.0.0.18"));
  EXPECT_EQ(message[3], 2);
  EXPECT_EQ(message.size(), 8u + 2 * 4);
  auto decoded = decode_advert(meta_v4(), message);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->addresses, (std::vector<IpAddress>{ip("192.0.2.10"), ip("192.0.2.11")}));
}

}  // namespace
}  // namespace keepvip::proto

namespace keepvip::proto {
namespace {

using testing::ip;
using testing::meta_v4;
using testing::meta_v6;

Advert v3_advert(const char* vip) {
  Advert advert;
  advert.version = 3;
  advert.vrid = 51;
  advert.priority = 150;
  advert.interval_cs = 100;
  advert.addresses = {ip(vip)};
  return advert;
}

uint16_t checksum_field(const std::vector<uint8_t>& message) {
  return static_cast<uint16_t>(message[6] << 8 | message[7]);
}

// keepalived 2.2.8's v3_checksum_as_v2: a VRRPv3 IPv4 checksum over the
// message alone (as VRRPv2 sums it), whatever the addresses.
TEST(V3ChecksumAsV2, Ipv4ChecksumLeavesThePseudoHeaderOut) {
  EncodeOptions old_form;
  old_form.v3_checksum_as_v2 = true;
  auto message =
      encode_advert(v3_advert("192.0.2.10"), ip("192.0.2.2"), ip("224.0.0.18"), old_form);
  auto zeroed = message;
  zeroed[6] = zeroed[7] = 0;
  EXPECT_EQ(checksum_field(message), internet_checksum(zeroed));
  EXPECT_EQ(message,
            encode_advert(v3_advert("192.0.2.10"), ip("192.0.2.3"), ip("224.0.0.117"), old_form));
  // The RFC form differs: it sums the pseudo-header too.
  EXPECT_NE(message, encode_advert(v3_advert("192.0.2.10"), ip("192.0.2.2"), ip("224.0.0.18")));
}

TEST(V3ChecksumAsV2, Ipv6AndVersion2AreUnchanged) {
  EncodeOptions old_form;
  old_form.v3_checksum_as_v2 = true;
  const char* source = "fe80::2";
  EXPECT_EQ(encode_advert(v3_advert("fe80::10"), ip(source), ip("ff02::12"), old_form),
            encode_advert(v3_advert("fe80::10"), ip(source), ip("ff02::12")));
  Advert v2 = v3_advert("192.0.2.10");
  v2.version = 2;
  EXPECT_EQ(encode_advert(v2, ip("192.0.2.2"), ip("224.0.0.18"), old_form),
            encode_advert(v2, ip("192.0.2.2"), ip("224.0.0.18")));
}

// keepalived 2.2.8 verifies no VRRPv3 IPv4 checksum with v3_checksum_as_v2:
// the old form, the RFC form and a wrong one are all accepted; without it,
// only the RFC form.
TEST(V3ChecksumAsV2, DecodingAcceptsAnyIpv4ChecksumOnlyWhenSet) {
  EncodeOptions old_form;
  old_form.v3_checksum_as_v2 = true;
  const auto meta = meta_v4("192.0.2.2", "224.0.0.18");
  const auto rfc = encode_advert(v3_advert("192.0.2.10"), meta.source, meta.destination);
  const auto old = encode_advert(v3_advert("192.0.2.10"), meta.source, meta.destination, old_form);
  auto wrong = rfc;
  wrong[7] ^= 0x5a;
  DecodeOptions as_v2;
  as_v2.v3_checksum_as_v2 = true;
  for (const std::vector<uint8_t>* message :
       {&rfc, &old, static_cast<const std::vector<uint8_t>*>(&wrong)})
    EXPECT_TRUE(decode_advert(meta, *message, as_v2));
  EXPECT_TRUE(decode_advert(meta, rfc));
  EXPECT_EQ(decode_advert(meta, old).error(), DecodeError::BadChecksum);
  EXPECT_EQ(decode_advert(meta, wrong).error(), DecodeError::BadChecksum);
  // IPv6 keeps its (kernel-checked) pseudo-header form.
  const auto meta6 = meta_v6("fe80::2");
  auto wrong6 = encode_advert(v3_advert("fe80::10"), meta6.source, meta6.destination);
  wrong6[7] ^= 0x5a;
  EXPECT_EQ(decode_advert(meta6, wrong6, as_v2).error(), DecodeError::BadChecksum);
}

}  // namespace
}  // namespace keepvip::proto
