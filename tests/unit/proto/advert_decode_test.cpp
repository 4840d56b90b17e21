#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

#include "advert_test_support.h"
#include "keepalived_vectors.h"
#include "proto/advert.h"

namespace keepvip::proto {
namespace {

using testing::bytes;
using testing::ip;
using testing::meta_v4;
using testing::meta_v6;
using testing::reseal;

TEST(DecodeKnownAnswer, KeepalivedV2WithPassword) {
  auto advert = decode_advert(meta_v4(), vectors::kV2Pass);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->version, 2);
  EXPECT_EQ(advert->vrid, 51);
  EXPECT_EQ(advert->priority, 150);
  EXPECT_EQ(advert->interval_cs, 100);
  EXPECT_EQ(advert->addresses, (std::vector<IpAddress>{ip("192.0.2.100"), ip("192.0.2.101")}));
  EXPECT_EQ(advert->auth_type, 1);
  EXPECT_EQ(advert->auth_data, "1111");
}

TEST(DecodeKnownAnswer, KeepalivedV2ShutdownCarriesPriorityZero) {
  auto advert = decode_advert(meta_v4(), vectors::kV2PassShutdown);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->priority, 0);
  EXPECT_EQ(advert->vrid, 51);
}

TEST(DecodeKnownAnswer, KeepalivedV3OverIpv4) {
  auto advert = decode_advert(meta_v4(), vectors::kV3Ipv4);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->version, 3);
  EXPECT_EQ(advert->vrid, 52);
  EXPECT_EQ(advert->priority, 120);
  EXPECT_EQ(advert->interval_cs, 50);
  EXPECT_EQ(advert->addresses, std::vector<IpAddress>{ip("192.0.2.110")});
  EXPECT_EQ(advert->auth_type, 0);
  EXPECT_EQ(advert->auth_data, "");
}

TEST(DecodeKnownAnswer, KeepalivedV3ShutdownCarriesPriorityZero) {
  auto advert = decode_advert(meta_v4(), vectors::kV3Ipv4Shutdown);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->priority, 0);
  EXPECT_EQ(advert->interval_cs, 50);
}

TEST(DecodeKnownAnswer, KeepalivedV3OverIpv6) {
  auto advert = decode_advert(meta_v6(vectors::kV3Ipv6Source), vectors::kV3Ipv6);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->version, 3);
  EXPECT_EQ(advert->vrid, 53);
  EXPECT_EQ(advert->priority, 200);
  EXPECT_EQ(advert->interval_cs, 100);
  EXPECT_EQ(advert->addresses, (std::vector<IpAddress>{ip("2001:db8::100"), ip("2001:db8::101")}));
}

TEST(DecodeKnownAnswer, V3OverIpv4NeedsThePseudoHeader) {
  // A v3 checksum computed like v2's (message only) must not pass: that is
  // the incompatibility keepalived fixed by following RFC 5798.
  auto message = bytes(vectors::kV3Ipv4);
  message[6] = message[7] = 0;
  const uint16_t message_only = internet_checksum(message);
  message[6] = static_cast<uint8_t>(message_only >> 8);
  message[7] = static_cast<uint8_t>(message_only);
  auto advert = decode_advert(meta_v4(), message);
  ASSERT_FALSE(advert);
  EXPECT_EQ(advert.error(), DecodeError::BadChecksum);
}

TEST(DecodeKnownAnswer, V3ChecksumCoversTheDestination) {
  // Same bytes sent unicast: the pseudo-header changes, the checksum fails.
  auto advert = decode_advert(meta_v4("192.0.2.2", "192.0.2.3"), vectors::kV3Ipv4);
  ASSERT_FALSE(advert);
  EXPECT_EQ(advert.error(), DecodeError::BadChecksum);
}

TEST(DecodeKnownAnswer, V2ChecksumIgnoresTheAddresses) {
  // v2 has no pseudo-header: the same message is valid sent unicast.
  EXPECT_TRUE(decode_advert(meta_v4("192.0.2.2", "192.0.2.3"), vectors::kV2Pass));
}

// ---- every packet-level receive check as a negative case --------------------

struct NegativeCase {
  std::string name;
  PacketMeta meta;
  std::vector<uint8_t> message;
  std::function<void(std::vector<uint8_t>&)> mutate;
  bool reseal_after = false;  // fix the checksum so the named check is reached
  DecodeError expected;
  DecodeOptions options{};
};

std::vector<NegativeCase> negative_cases() {
  const auto v2 = bytes(vectors::kV2Pass);
  const auto v3 = bytes(vectors::kV3Ipv4);
  const auto v6 = bytes(vectors::kV3Ipv6);
  const auto m4 = meta_v4();
  const auto m6 = meta_v6(vectors::kV3Ipv6Source);
  auto nothing = [](std::vector<uint8_t>&) {};
  return {
      {"v2 TTL 64", meta_v4("192.0.2.2", "224.0.0.18", 64), v2, nothing, false,
       DecodeError::BadTtl},
      {"v3 IPv6 hop limit 1", meta_v6(vectors::kV3Ipv6Source, "ff02::12", 1), v6, nothing, false,
       DecodeError::BadTtl},
      {"version 1", m4, v2, [](auto& m) { m[0] = 0x11; }, true, DecodeError::BadVersion},
      {"version 4", m4, v3, [](auto& m) { m[0] = 0x41; }, true, DecodeError::BadVersion},
      {"v2 over IPv6", m6, v6, [](auto& m) { m[0] = 0x21; }, true, DecodeError::BadVersion},
      {"type 2", m4, v2, [](auto& m) { m[0] = 0x22; }, true, DecodeError::BadType},
      {"type 0", m4, v3, [](auto& m) { m[0] = 0x30; }, true, DecodeError::BadType},
      {"empty", m4, v2, [](auto& m) { m.clear(); }, false, DecodeError::Truncated},
      {"shorter than the header", m4, v3, [](auto& m) { m.resize(7); }, false,
       DecodeError::Truncated},
      {"v2 without its auth data", m4, v2, [](auto& m) { m.resize(m.size() - 8); }, false,
       DecodeError::Truncated},
      {"v3 IPv4 missing an address byte", m4, v3, [](auto& m) { m.pop_back(); }, false,
       DecodeError::Truncated},
      {"count says 3, carries 2", m6, v6, [](auto& m) { m[3] = 3; }, false, DecodeError::Truncated},
      {"v2 one extra byte", m4, v2, [](auto& m) { m.push_back(0); }, false, DecodeError::Oversized},
      {"v3 IPv4 an extra address", m4, v3,
       [](auto& m) {
         m.insert(m.end(), {192, 0, 2, 9});
       },
       false, DecodeError::Oversized},
      {"count says 1, carries 2", m6, v6, [](auto& m) { m[3] = 1; }, false, DecodeError::Oversized},
      {"v2 flipped address bit", m4, v2, [](auto& m) { m[11] ^= 0x01; }, false,
       DecodeError::BadChecksum},
      {"v2 flipped password byte", m4, v2, [](auto& m) { m[16] ^= 0x20; }, false,
       DecodeError::BadChecksum},
      {"v3 IPv4 flipped priority", m4, v3, [](auto& m) { m[2] ^= 0x80; }, false,
       DecodeError::BadChecksum},
      {"v3 IPv6 flipped checksum", m6, v6, [](auto& m) { m[7] ^= 0xff; }, false,
       DecodeError::BadChecksum},
      {"v3 IPv6 from another link-local source", meta_v6("fe80::1"), v6, nothing, false,
       DecodeError::BadChecksum},
      {"count 0", m4, v3,
       [](auto& m) {
         m[3] = 0;
         m.resize(8);
       },
       true, DecodeError::ZeroAddressCount},
      {"v2 interval 0", m4, v2, [](auto& m) { m[5] = 0; }, true, DecodeError::ZeroInterval},
      {"v3 interval 0", m4, v3, [](auto& m) { m[4] = m[5] = 0; }, true, DecodeError::ZeroInterval},
      {"v3 interval 0 with reserved bits set", m6, v6,
       [](auto& m) {
         m[4] = 0xf0;
         m[5] = 0;
       },
       true, DecodeError::ZeroInterval},
      {"v3 IPv6 global source", meta_v6("2001:db8::2"), v6, nothing, true,
       DecodeError::SourceNotLinkLocal},
      {"metadata of another family",
       PacketMeta{Family::V4, ip("fe80::1"), ip("224.0.0.18"), 255, {}}, v2, nothing, false,
       DecodeError::BadIpHeader},
  };
}

TEST(DecodeRejects, EveryPacketLevelCheck) {
  for (NegativeCase& c : negative_cases()) {
    SCOPED_TRACE(c.name);
    c.mutate(c.message);
    if (c.reseal_after) reseal(c.message, c.meta);
    auto advert = decode_advert(c.meta, c.message, c.options);
    ASSERT_FALSE(advert);
    EXPECT_EQ(to_string(advert.error()), to_string(c.expected));
  }
}

TEST(DecodeRejects, ResealedMutationsDecodeWhenTheCheckIsRelaxed) {
  // The negative cases above must fail for the reason they name: relaxing
  // that one check lets the same bytes through.
  DecodeOptions no_ttl;
  no_ttl.check_ttl = false;
  EXPECT_TRUE(decode_advert(meta_v4("192.0.2.2", "224.0.0.18", 64), vectors::kV2Pass, no_ttl));

  DecodeOptions no_scope;
  no_scope.check_link_local_source = false;
  auto v6 = bytes(vectors::kV3Ipv6);
  const auto global = meta_v6("2001:db8::2");
  reseal(v6, global);
  EXPECT_TRUE(decode_advert(global, v6, no_scope));
}

TEST(DecodeRejects, ReservedBitsOfV3IntervalAreIgnored) {
  auto message = bytes(vectors::kV3Ipv4);
  message[4] |= 0xf0;
  reseal(message, meta_v4());
  auto advert = decode_advert(meta_v4(), message);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->interval_cs, 50);
}

TEST(DecodeErrors, HaveDistinctStableNames) {
  const DecodeError all[] = {
      DecodeError::Truncated,        DecodeError::BadVersion,   DecodeError::BadType,
      DecodeError::BadTtl,           DecodeError::Oversized,    DecodeError::BadChecksum,
      DecodeError::ZeroAddressCount, DecodeError::ZeroInterval, DecodeError::SourceNotLinkLocal,
      DecodeError::BadIpHeader};
  std::set<std::string_view> names;
  for (DecodeError e : all) names.insert(to_string(e));
  EXPECT_EQ(names.size(), std::size(all));
  EXPECT_EQ(to_string(DecodeError::BadChecksum), "bad-checksum");
  EXPECT_EQ(to_string(DecodeError::BadTtl), "bad-ttl");
}

TEST(MulticastGroup, IsTheIanaVrrpGroup) {
  EXPECT_EQ(vrrp_multicast_group(Family::V4), ip("224.0.0.18"));
  EXPECT_EQ(vrrp_multicast_group(Family::V6), ip("ff02::12"));
}

}  // namespace
}  // namespace keepvip::proto
