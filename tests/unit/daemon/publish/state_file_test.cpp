#include "daemon/publish/state_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace keepvip::daemon {
namespace {

HeldInstance vi1() {
  HeldInstance h;
  h.name = "VI_1";
  h.interface = "eth0";
  h.ifindex = 2;
  h.advert.version = 2;
  h.advert.vrid = 51;
  h.advert.interval_cs = 100;
  h.advert.source = *IpAddress::parse("192.0.2.1");
  h.advert.auth_pass = "wjy123";
  h.advert.vips = {*IpPrefix::parse("192.0.2.100/32"), *IpPrefix::parse("192.0.2.101/24")};
  return h;
}

TEST(StateFile, FormatIsTheDocumentedLine) {
  EXPECT_EQ(format_state({vi1()}),
            "keepvip-state 1\n"
            "instance name=VI_1 interface=eth0 ifindex=2 family=ipv4 version=2 vrid=51 "
            "interval_cs=100 source=192.0.2.1 auth=wjy123 peers= "
            "vips=192.0.2.100/32,192.0.2.101/24 excluded= units=\n");
}

TEST(StateFile, MasterUnitsRoundTripAndOlderFilesHaveNone) {
  auto h = vi1();
  h.master_units = {"httpd.service", "keepvip-web@8080.service"};
  std::string text = format_state({h});
  EXPECT_NE(text.find(" units=httpd.service,keepvip-web%408080.service\n"), std::string::npos)
      << text;
  auto parsed = parse_state(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ((*parsed)[0], h);
  // A file written before units were recorded: nothing to stop.
  auto older = parse_state(
      "keepvip-state 1\ninstance name=VI_1 interface=eth0 ifindex=2 family=ipv4 version=2 "
      "vrid=51 interval_cs=100 source=192.0.2.1 auth= peers= vips=192.0.2.100/32 excluded=\n");
  ASSERT_TRUE(older.has_value()) << older.error().describe();
  EXPECT_TRUE((*older)[0].master_units.empty());
}

// The crash hand-over removes the drop tables an instance without accept
// had; an instance with accept (or a file of an earlier version) names none.
TEST(StateFile, FirewallTableRoundTripsAndIsAbsentWithoutOne) {
  auto h = vi1();
  EXPECT_EQ(format_state({h}).find("firewall="), std::string::npos);
  h.firewall_table = "keepvip";
  std::string text = format_state({h});
  EXPECT_NE(text.find(" units= firewall=keepvip\n"), std::string::npos) << text;
  auto parsed = parse_state(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ((*parsed)[0], h);
}

TEST(StateFile, VirtualRoutesAndRulesRoundTripForTheCrashHandOver) {
  auto h = vi1();
  config::RulePriorities numbers;
  for (const char* text : {"198.51.100.0/24 via 192.0.2.254 dev eth0 table 100",
                           "blackhole 2001:db8:5::/48 table 300"})
    h.routes.push_back(*config::parse_route(config::split_words(text)).value);
  h.rules.push_back(
      *config::parse_rule(config::split_words("from 198.51.100.0/24 table 100 priority 100"),
                          numbers)
           .value);
  std::string text = format_state({h});
  EXPECT_NE(text.find(" routes=198.51.100.0/24%20via%20192.0.2.254%20dev%20eth0%20table%20100,"
                      "blackhole%202001:db8:5::/48%20table%20300 rules=inet%20from%20198.51.100.0/"
                      "24%20preference%20100%20table%20100\n"),
            std::string::npos)
      << text;
  auto parsed = parse_state(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ((*parsed)[0], h);
  // Without routes the line stays as before; a damaged entry is refused.
  EXPECT_EQ(format_state({vi1()}).find("routes="), std::string::npos);
  auto bad = parse_state(
      "keepvip-state 1\ninstance name=VI_1 interface=eth0 ifindex=2 family=ipv4 version=2 "
      "vrid=51 interval_cs=100 source=192.0.2.1 auth= peers= vips=192.0.2.100/32 excluded= "
      "routes=192.0.2.0/24%20mtu%201400\n");
  EXPECT_FALSE(bad.has_value());
}

TEST(StateFile, AuthTypeAhRoundTripsAndOlderFilesArePass) {
  auto h = vi1();
  h.advert.ah = true;
  std::string text = format_state({h});
  EXPECT_NE(text.find(" auth=wjy123 ah=1 "), std::string::npos) << text;
  auto parsed = parse_state(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ((*parsed)[0], h);
  auto pass = parse_state(format_state({vi1()}));
  ASSERT_TRUE(pass.has_value());
  EXPECT_FALSE((*pass)[0].advert.ah);
}

TEST(StateFile, WireSettingsRoundTripAndOlderFilesHaveTheDefaults) {
  auto h = vi1();
  h.advert.version = 3;
  h.advert.multicast_group = *IpAddress::parse("224.0.0.117");
  h.advert.v3_checksum_as_v2 = true;
  h.advert.unicast_ttl = 10;
  std::string text = format_state({h});
  EXPECT_NE(text.find(" csum_v2=1 group=224.0.0.117 ttl=10 "), std::string::npos) << text;
  auto parsed = parse_state(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ((*parsed)[0], h);
  auto older = parse_state(format_state({vi1()}));
  ASSERT_TRUE(older.has_value());
  EXPECT_FALSE((*older)[0].advert.multicast_group);
  EXPECT_FALSE((*older)[0].advert.v3_checksum_as_v2);
  EXPECT_FALSE((*older)[0].advert.unicast_ttl);
  EXPECT_FALSE(
      parse_state("keepvip-state 1\ninstance name=VI_1 interface=eth0 ifindex=2 "
                  "family=ipv4 version=2 vrid=51 interval_cs=100 source=192.0.2.1 "
                  "auth= peers= vips=192.0.2.100/32 excluded= group=192.0.2.7\n"));
}

TEST(StateFile, NothingHeldIsJustTheHeader) {
  EXPECT_EQ(format_state({}), "keepvip-state 1\n");
}

TEST(StateFile, OddCharactersAreEscapedAndRoundTrip) {
  auto h = vi1();
  h.name = "VI 1%=x";
  h.advert.auth_pass = "p w,=%";
  h.advert.family = Family::V6;
  h.advert.version = 3;
  h.advert.interval_cs = 20;
  h.advert.source = *IpAddress::parse("fe80::1");
  h.advert.vips = {*IpPrefix::parse("2001:db8::100/64")};
  h.excluded = {*IpPrefix::parse("2001:db8::200/128")};
  h.advert.unicast_peers = {*IpAddress::parse("fe80::2"), *IpAddress::parse("fe80::3")};
  std::string text = format_state({h, vi1()});
  EXPECT_NE(text.find("name=VI%201%25%3Dx "), std::string::npos) << text;
  auto parsed = parse_state(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0], h);
  EXPECT_EQ((*parsed)[1], vi1());
}

TEST(StateFile, RejectsForeignFilesAndBadFields) {
  EXPECT_FALSE(parse_state("hello\n").has_value());
  EXPECT_FALSE(parse_state("keepvip-state 1\ninstance name=x interface=e ifindex=1 family=ipv4 "
                           "version=2 vrid=300 interval_cs=100 source=192.0.2.1 vips=\n")
                   .has_value());
}

TEST(StateFile, IgnoresUnknownKeysAndRecords) {
  auto parsed = parse_state(format_state({vi1()}) + "future-record x=1\n");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->size(), 1u);
}

TEST(StateFile, WritesAtomicallyWithOwnerOnlyMode) {
  char dir_template[] = "/tmp/keepvip-state-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string dir = dir_template;
  ASSERT_TRUE(write_state_file(dir, {vi1()}).has_value());
  struct stat st {};
  ASSERT_EQ(stat((dir + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(dir + "/state");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), format_state({vi1()}));
  EXPECT_FALSE(std::filesystem::exists(dir + "/state.tmp"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace keepvip::daemon
