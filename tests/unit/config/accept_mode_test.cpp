// accept / no_accept and the nftables keywords, settled as keepalived 2.2.8
// settles them (vrrp_complete_instance, global_parser.c).
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace keepvip::config {
namespace {

using testing::dump;
using testing::parse;

std::string with(const std::string& global, const std::string& instance) {
  return "global_defs {\n" + global + "\n}\nvrrp_instance VI_1 {\n interface eth0\n" +
         " virtual_router_id 51\n" + instance + "\n virtual_ipaddress {\n  192.0.2.10\n }\n}\n";
}

const Instance& only(const ParseResult& r) {
  return r.config->instances.at(0);
}

TEST(AcceptMode, OutsideStrictModeTheDefaultIsAccept) {
  auto r = parse(with("", ""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(only(r).accept);
  EXPECT_FALSE(only(r).strict);
  EXPECT_FALSE(only(r).drops_vip_traffic());
}

TEST(AcceptMode, StrictModeDefaultsToNoAcceptExceptForTheAddressOwner) {
  auto r = parse(with(" vrrp_strict", " version 3"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_FALSE(only(r).accept);
  EXPECT_TRUE(only(r).strict);
  EXPECT_TRUE(only(r).drops_vip_traffic());
  r = parse(with(" vrrp_strict", " version 3\n state MASTER\n priority 255"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(only(r).accept);
  r = parse(with("", " strict_mode on\n version 3"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_FALSE(only(r).accept);
}

TEST(AcceptMode, AcceptAndNoAcceptAreWhatTheySay) {
  auto r = parse(with(" vrrp_strict", " version 3\n accept"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(only(r).accept);
  EXPECT_EQ(r.warning_count(), 0u) << dump(r);
  r = parse(with("", " no_accept"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_FALSE(only(r).accept);
  EXPECT_TRUE(only(r).drops_vip_traffic());
  // The owner keeps its "no_accept" (keepalived's dump shows it) and drops nothing.
  r = parse(with("", " no_accept\n priority 255"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_FALSE(only(r).accept);
  EXPECT_FALSE(only(r).drops_vip_traffic());
}

TEST(AcceptMode, StrictVrrpV2ResetsAcceptWithKeepalivedsWords) {
  auto r = parse(with(" vrrp_strict", " accept"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_FALSE(only(r).accept);
  ASSERT_EQ(r.warning_count(), 1u) << dump(r);
  EXPECT_NE(dump(r).find("t.conf:7:2: warning: accept: warning - accept mode for VRRP version 2 "
                         "does not comply with RFC3768 - resetting, as keepalived does"),
            std::string::npos)
      << dump(r);
}

TEST(Nftables, DefaultsAreKeepvipsTableAtPriorityMinusOne) {
  auto r = parse(with("", ""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->global.nftables, Nftables{});
  EXPECT_EQ(r.config->global.nftables.table, "keepvip");
  EXPECT_EQ(r.config->global.nftables.priority, -1);
}

TEST(Nftables, TheGlobalKeywordsSetTheTable) {
  auto r =
      parse(with(" nftables edge_vrrp\n nftables_priority -150\n nftables_ifindex\n"
                 " nftables_counters",
                 ""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->global.nftables, (Nftables{"edge_vrrp", -150, true, true}));
  EXPECT_EQ(r.warning_count(), 0u) << dump(r);
  r = parse(with(" nftables", ""));
  EXPECT_EQ(r.config->global.nftables.table, "keepvip");
}

// keepalived's handler: a second line is ignored, and the first resets a
// priority given before it.
TEST(Nftables, ASecondNftablesIsIgnoredAndTheFirstResetsThePriority) {
  auto r = parse(with(" nftables_priority 5\n nftables one\n nftables two", ""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->global.nftables.table, "one");
  EXPECT_EQ(r.config->global.nftables.priority, -1);
  EXPECT_NE(dump(r).find("t.conf:4:2: warning: nftables: nftables already specified - ignoring"),
            std::string::npos)
      << dump(r);
}

TEST(Nftables, ATableNameNftCannotReadIsAnError) {
  auto r = parse(with(" nftables \"my table\"", ""));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(dump(r).find("t.conf:2:11: error: nftables: expected a table name nft can read"),
            std::string::npos)
      << dump(r);
}

}  // namespace
}  // namespace keepvip::config
