#include "daemon/icmp_echo.h"

#include <gtest/gtest.h>

#include "proto/advert.h"

namespace keepvip::daemon {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(IcmpEcho, Ipv4RequestBytes) {
  Bytes m = build_echo_request(Family::V4, 0x1234, 7);
  ASSERT_EQ(m.size(), 16u);
  EXPECT_EQ(m[0], 8);  // echo request
  EXPECT_EQ(m[1], 0);
  EXPECT_EQ(Bytes(m.begin() + 4, m.begin() + 8), (Bytes{0x12, 0x34, 0x00, 0x07}));
  // A correct Internet checksum sums to zero over the whole message.
  EXPECT_EQ(proto::internet_checksum(m), 0);
}

TEST(IcmpEcho, Ipv6RequestLeavesTheChecksumToTheKernel) {
  Bytes m = build_echo_request(Family::V6, 1, 2);
  EXPECT_EQ(m[0], 128);
  EXPECT_EQ(m[2], 0);
  EXPECT_EQ(m[3], 0);
}

Bytes ipv4_reply(uint8_t type, uint16_t id, uint16_t seq) {
  // 20-byte IPv4 header (protocol 1) + echo header.
  Bytes p = {0x45,
             0,
             0,
             36,
             0,
             0,
             0,
             0,
             64,
             1,
             0,
             0,
             192,
             0,
             2,
             254,
             192,
             0,
             2,
             1,
             type,
             0,
             0,
             0,
             static_cast<uint8_t>(id >> 8),
             static_cast<uint8_t>(id),
             static_cast<uint8_t>(seq >> 8),
             static_cast<uint8_t>(seq)};
  return p;
}

TEST(IcmpEcho, RecognisesAnIpv4ReplyAfterTheIpHeader) {
  auto reply = parse_echo_reply(Family::V4, ipv4_reply(0, 0xbeef, 42));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->id, 0xbeef);
  EXPECT_EQ(reply->seq, 42);
}

TEST(IcmpEcho, IgnoresEverythingElse) {
  EXPECT_FALSE(parse_echo_reply(Family::V4, ipv4_reply(8, 1, 1)).has_value());  // a request
  EXPECT_FALSE(parse_echo_reply(Family::V4, ipv4_reply(3, 1, 1)).has_value());  // unreachable
  auto truncated = ipv4_reply(0, 1, 1);
  truncated.resize(24);
  EXPECT_FALSE(parse_echo_reply(Family::V4, truncated).has_value());
  EXPECT_FALSE(parse_echo_reply(Family::V6, Bytes{128, 0, 0, 0, 0, 1, 0, 1}).has_value());
}

TEST(IcmpEcho, RecognisesAnIpv6Reply) {
  auto reply = parse_echo_reply(Family::V6, Bytes{129, 0, 0xab, 0xcd, 0, 9, 1, 0});
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->id, 9);
  EXPECT_EQ(reply->seq, 256);
}

}  // namespace
}  // namespace keepvip::daemon
