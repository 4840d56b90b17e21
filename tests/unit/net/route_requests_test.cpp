// Route and rule requests compared byte for byte with hand-assembled
// messages (host-order netlink fields, network-order addresses).
#include <gtest/gtest.h>

#include <bit>
#include <vector>

#include "net/route_netlink.h"

namespace keepvip::net {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the expected bytes below are written for a little-endian host");

config::Route route(const char* text) {
  return *config::parse_route(config::split_words(text)).value;
}

config::Rule rule(const char* text) {
  config::RulePriorities numbers;
  return *config::parse_rule(config::split_words(text), numbers).value;
}

TEST(BuildRouteRequest, AddsAsKeepalivedDoes) {
  const std::vector<uint8_t> expected = {
      // nlmsghdr: len 60, RTM_NEWROUTE (24), REQUEST|ACK|CREATE (0x0405), seq 7
      60, 0, 0, 0, 24, 0, 0x05, 0x04, 7, 0, 0, 0, 0, 0, 0, 0,
      // rtmsg: AF_INET, /24, src 0, tos 0, table 100, proto keepalived (18),
      // scope universe, unicast, no flags
      2, 24, 0, 0, 100, 18, 0, 1, 0, 0, 0, 0,
      // RTA_DST (1) 192.0.2.0
      8, 0, 1, 0, 192, 0, 2, 0,
      // RTA_GATEWAY (5) 198.51.100.1
      8, 0, 5, 0, 198, 51, 100, 1,
      // RTA_OIF (4) 3
      8, 0, 4, 0, 3, 0, 0, 0,
      // RTA_PRIORITY (6) 7
      8, 0, 6, 0, 7, 0, 0, 0};
  EXPECT_EQ(
      build_route_request(RouteOp::Add,
                          route("192.0.2.0/24 via 198.51.100.1 dev eth1 table 100 metric 7"), 3, 7),
      expected);
}

TEST(BuildRouteRequest, RemovesWithScopeNowhereAndNoType) {
  const std::vector<uint8_t> expected = {
      // len 44, RTM_DELROUTE (25), REQUEST|ACK, seq 9
      44, 0, 0, 0, 25, 0, 0x05, 0x00, 9, 0, 0, 0, 0, 0, 0, 0,
      // AF_INET, /24, table main (254), proto 18, scope nowhere (255), type unspec
      2, 24, 0, 0, 254, 18, 255, 0, 0, 0, 0, 0,
      // RTA_DST 192.0.2.0, RTA_GATEWAY 198.51.100.1
      8, 0, 1, 0, 192, 0, 2, 0, 8, 0, 5, 0, 198, 51, 100, 1};
  EXPECT_EQ(build_route_request(RouteOp::Remove, route("192.0.2.0/24 via 198.51.100.1"), 0, 9),
            expected);
}

TEST(BuildRouteRequest, BlackholeInABigTableAndIpv6Default) {
  const std::vector<uint8_t> blackhole = {
      // len 56, RTM_NEWROUTE, REQUEST|ACK|CREATE, seq 1
      56, 0, 0, 0, 24, 0, 0x05, 0x04, 1, 0, 0, 0, 0, 0, 0, 0,
      // AF_INET6, /48, table unspec (in RTA_TABLE), proto 18, universe, blackhole (6)
      10, 48, 0, 0, 0, 18, 0, 6, 0, 0, 0, 0,
      // RTA_TABLE (15) 300
      8, 0, 15, 0, 0x2c, 0x01, 0, 0,
      // RTA_DST 2001:db8:5::
      20, 0, 1, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> got =
      build_route_request(RouteOp::Add, route("blackhole 2001:db8:5::/48 table 300"), 0, 1);
  EXPECT_EQ(got, blackhole);

  // A default route has no RTA_DST; onlink and a written scope reach the header.
  std::vector<uint8_t> v6default =
      build_route_request(RouteOp::Add, route("default via 2001:db8::1 scope link onlink"), 0, 1);
  ASSERT_EQ(v6default.size(), 16u + 12u + 20u);
  EXPECT_EQ(v6default[16], 10);    // AF_INET6
  EXPECT_EQ(v6default[17], 0);     // dst_len
  EXPECT_EQ(v6default[22], 253);   // scope link
  EXPECT_EQ(v6default[24], 0x04);  // RTNH_F_ONLINK
  EXPECT_EQ(v6default[30], 5);     // RTA_GATEWAY
}

TEST(BuildRuleRequest, AddsIpv6RuleToABigTable) {
  const std::vector<uint8_t> expected = {
      // len 72, RTM_NEWRULE (32), REQUEST|ACK|EXCL|CREATE (0x0605), seq 4
      72, 0, 0, 0, 32, 0, 0x05, 0x06, 4, 0, 0, 0, 0, 0, 0, 0,
      // fib_rule_hdr: AF_INET6, dst 0, src /64, tos 0, table unspec, 2 reserved,
      // FR_ACT_TO_TBL (1), flags 0
      10, 0, 64, 0, 0, 0, 0, 1, 0, 0, 0, 0,
      // FRA_SRC (2) 2001:db8::
      20, 0, 2, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      // FRA_PRIORITY (6) 100
      8, 0, 6, 0, 100, 0, 0, 0,
      // FRA_TABLE (15) 300
      8, 0, 15, 0, 0x2c, 0x01, 0, 0,
      // FRA_PROTOCOL (21) keepalived, padded
      5, 0, 21, 0, 18, 0, 0, 0};
  EXPECT_EQ(build_rule_request(RouteOp::Add, rule("from 2001:db8::/64 priority 100 table 300"), 4),
            expected);
}

TEST(BuildRuleRequest, SelectorsAndActions) {
  const std::vector<uint8_t> expected = {
      // len 80, RTM_DELRULE (33), REQUEST|ACK, seq 2
      80, 0, 0, 0, 33, 0, 0x05, 0x00, 2, 0, 0, 0, 0, 0, 0, 0,
      // AF_INET, dst /32, src 0, tos 0, table unspec, FR_ACT_GOTO (2), FIB_RULE_INVERT (2)
      2, 32, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0,
      // FRA_DST (1) 192.0.2.1
      8, 0, 1, 0, 192, 0, 2, 1,
      // FRA_PRIORITY 10
      8, 0, 6, 0, 10, 0, 0, 0,
      // FRA_FWMARK (10) 16, FRA_FWMASK (16) 255
      8, 0, 10, 0, 16, 0, 0, 0, 8, 0, 16, 0, 255, 0, 0, 0,
      // FRA_IFNAME (3) "eth0\0", padded
      9, 0, 3, 0, 'e', 't', 'h', '0', 0, 0, 0, 0,
      // FRA_GOTO (4) 20
      8, 0, 4, 0, 20, 0, 0, 0};
  EXPECT_EQ(build_rule_request(
                RouteOp::Remove,
                rule("not to 192.0.2.1 iif eth0 fwmark 16/255 priority 10 goto 20 no_track"), 2),
            expected);
  auto blackhole = build_rule_request(RouteOp::Add, rule("to 192.0.2.1 priority 5 blackhole"), 1);
  EXPECT_EQ(blackhole[16 + 7], 6);  // FR_ACT_BLACKHOLE
  auto main = build_rule_request(RouteOp::Add, rule("from all lookup main priority 7"), 1);
  EXPECT_EQ(main[16 + 4], 254);  // RT_TABLE_MAIN in the header
}

}  // namespace
}  // namespace keepvip::net
