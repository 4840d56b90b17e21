#include "common/ip_address.h"

#include <gtest/gtest.h>

namespace keepvip {
namespace {

TEST(IpAddress, ParsesBothFamilies) {
  auto v4 = IpAddress::parse("192.0.2.10");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->is_v4());
  EXPECT_EQ(v4->to_string(), "192.0.2.10");
  auto v6 = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->is_v6());
  EXPECT_EQ(v6->to_string(), "2001:db8::1");
}

TEST(IpAddress, RejectsGarbage) {
  for (const char* bad : {"", "192.0.2", "192.0.2.256", "host", "2001:db8:::1", "1.2.3.4 "}) {
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;
  }
}

TEST(IpAddress, OrdersNumerically) {
  EXPECT_LT(*IpAddress::parse("192.0.2.9"), *IpAddress::parse("192.0.2.10"));
  EXPECT_LT(*IpAddress::parse("fe80::2"), *IpAddress::parse("fe80::10"));
  EXPECT_LT(*IpAddress::parse("255.255.255.255"), *IpAddress::parse("::"));
}

TEST(IpAddress, LinkLocalAndMulticast) {
  EXPECT_TRUE(IpAddress::parse("fe80::1")->is_ipv6_link_local());
  EXPECT_FALSE(IpAddress::parse("2001:db8::1")->is_ipv6_link_local());
  EXPECT_TRUE(IpAddress::parse("224.0.0.18")->is_multicast());
  EXPECT_TRUE(IpAddress::parse("ff02::12")->is_multicast());
}

TEST(IpPrefix, ParsesWithAndWithoutLength) {
  EXPECT_EQ(IpPrefix::parse("192.0.2.10")->prefix_len, 32);
  EXPECT_EQ(IpPrefix::parse("192.0.2.10/24")->prefix_len, 24);
  EXPECT_EQ(IpPrefix::parse("2001:db8::10/64")->prefix_len, 64);
  EXPECT_EQ(IpPrefix::parse("2001:db8::10")->prefix_len, 128);
  EXPECT_FALSE(IpPrefix::parse("192.0.2.10/33"));
  EXPECT_FALSE(IpPrefix::parse("192.0.2.10/"));
  EXPECT_FALSE(IpPrefix::parse("192.0.2.10/2x"));
}

}  // namespace
}  // namespace keepvip
