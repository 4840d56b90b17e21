#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "advert_test_support.h"
#include "keepalived_vectors.h"
#include "proto/advert.h"

namespace keepvip::proto {
namespace {

using testing::bytes;
using testing::ip;

TEST(SplitIpv4, SeparatesHeaderFromCapturedPacket) {
  const auto packet = bytes(vectors::kV2PassIpv4Packet);
  auto split = split_ipv4(packet);
  ASSERT_TRUE(split) << to_string(split.error());
  EXPECT_EQ(split->meta.family, Family::V4);
  EXPECT_EQ(split->meta.source, ip("192.0.2.2"));
  EXPECT_EQ(split->meta.destination, ip("224.0.0.18"));
  EXPECT_EQ(split->meta.ttl, 255);
  EXPECT_EQ(bytes(split->payload), bytes(vectors::kV2Pass));
  EXPECT_EQ(split->payload.data(), packet.data() + 20);  // a view, not a copy
}

TEST(SplitIpv4, FeedsTheDecoder) {
  const auto packet = bytes(vectors::kV3Ipv4Packet);
  auto split = split_ipv4(packet);
  ASSERT_TRUE(split);
  auto advert = decode_advert(split->meta, split->payload);
  ASSERT_TRUE(advert) << to_string(advert.error());
  EXPECT_EQ(advert->vrid, 52);
}

TEST(SplitIpv4, HonoursIpOptions) {
  // A router-alert option (ihl 6) in front of the same VRRP message.
  auto packet = bytes(vectors::kV3Ipv4Packet);
  packet.insert(packet.begin() + 20, {0x94, 0x04, 0x00, 0x00});
  packet[0] = 0x46;
  packet[3] = static_cast<uint8_t>(packet.size());
  auto split = split_ipv4(packet);
  ASSERT_TRUE(split);
  EXPECT_EQ(bytes(split->payload), bytes(vectors::kV3Ipv4));
}

TEST(SplitIpv4, RejectsMalformedHeaders) {
  struct Case {
    std::string name;
    std::function<void(std::vector<uint8_t>&)> mutate;
  };
  const Case cases[] = {
      {"shorter than a header", [](auto& p) { p.resize(19); }},
      {"IP version 6", [](auto& p) { p[0] = 0x65; }},
      {"ihl 4", [](auto& p) { p[0] = 0x44; }},
      {"ihl beyond the packet", [](auto& p) { p[0] = 0x4f; }},
      {"total length too long", [](auto& p) { p[3] += 1; }},
      {"total length too short", [](auto& p) { p[3] -= 4; }},
      {"trailing bytes", [](auto& p) { p.push_back(0); }},
      {"protocol UDP", [](auto& p) { p[9] = 17; }},
      {"more fragments", [](auto& p) { p[6] = 0x20; }},
      {"fragment offset", [](auto& p) { p[7] = 0x01; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto packet = bytes(vectors::kV2PassIpv4Packet);
    c.mutate(packet);
    auto split = split_ipv4(packet);
    ASSERT_FALSE(split);
    EXPECT_EQ(split.error(), DecodeError::BadIpHeader);
  }
}

TEST(SplitIpv4, AcceptsDontFragment) {
  auto packet = bytes(vectors::kV2PassIpv4Packet);
  packet[6] = 0x40;
  EXPECT_TRUE(split_ipv4(packet));
}

}  // namespace
}  // namespace keepvip::proto
