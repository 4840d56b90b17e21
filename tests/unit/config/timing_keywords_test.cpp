// keepalived 2.2.8's gratuitous-ARP and interface timing keywords, read as
// its parsers read them: defaults taken from global_defs and from the
// master repeat and delay, vrrp_min_garp's "only what is still default",
// strict mode, interface_up_down_delays and its limits, and the keywords
// that wait for VMAC or linkbeat polling.
#include <gtest/gtest.h>

#include <string>

#include "config/parser.h"
#include "parse_helpers.h"

using namespace std::chrono_literals;

namespace keepvip::config {
namespace {

using testing::dump;
using testing::parse;

std::string instance(const std::string& body, const std::string& name = "VI_1",
                     const std::string& ifname = "eth0") {
  return "vrrp_instance " + name + " {\n interface " + ifname +
         "\n virtual_router_id 51\n virtual_ipaddress {\n  192.0.2.10\n }\n" + body + "}\n";
}
std::string globals(const std::string& body) {
  return "global_defs {\n" + body + "}\n";
}

const Instance& only_instance(const ParseResult& r) {
  EXPECT_TRUE(r.ok()) << dump(r);
  static const Instance none;
  if (!r.config || r.config->instances.empty()) return none;
  return r.config->instances.front();
}

bool has_message(const ParseResult& r, const std::string& part) {
  for (const auto& d : r.diagnostics)
    if (d.message.find(part) != std::string::npos) return true;
  return false;
}

// ---- garp_lower_prio_* --------------------------------------------------------

TEST(GarpLowerPrio, DefaultsToTheMasterRepeatAndDelay) {
  auto plain = parse(instance(""));
  EXPECT_EQ(only_instance(plain).garp_lower_prio_repeat, 5u);
  EXPECT_EQ(only_instance(plain).garp_lower_prio_delay, 5s);
  // From global_defs' master values, not the instance's (vrrp_complete_init).
  auto r = parse(globals(" vrrp_garp_master_repeat 3\n vrrp_garp_master_delay 7\n") +
                 instance(" garp_master_repeat 2\n"));
  EXPECT_EQ(only_instance(r).garp_lower_prio_repeat, 3u);
  EXPECT_EQ(only_instance(r).garp_lower_prio_delay, 7s);
}

TEST(GarpLowerPrio, GlobalThenInstanceValuesWin) {
  auto global = parse(globals(" vrrp_garp_lower_prio_repeat 2\n vrrp_garp_lower_prio_delay 0\n") +
                      instance(""));
  EXPECT_EQ(only_instance(global).garp_lower_prio_repeat, 2u);
  EXPECT_EQ(only_instance(global).garp_lower_prio_delay, 0s);
  auto own = parse(globals(" vrrp_garp_lower_prio_repeat 2\n") +
                   instance(" garp_lower_prio_repeat 0\n garp_lower_prio_delay 9\n"));
  EXPECT_EQ(only_instance(own).garp_lower_prio_repeat, 0u);
  EXPECT_EQ(only_instance(own).garp_lower_prio_delay, 9s);
  EXPECT_TRUE(own.diagnostics.empty()) << dump(own);
}

TEST(GarpLowerPrio, StrictModeSendsNoneAndResetsWhatIsSet) {
  auto unset = parse(instance(" strict_mode\n"));
  EXPECT_EQ(only_instance(unset).garp_lower_prio_repeat, 0u);
  EXPECT_EQ(only_instance(unset).garp_lower_prio_delay, 0s);
  auto set = parse(instance(" strict_mode\n garp_lower_prio_repeat 3\n garp_lower_prio_delay 2\n"));
  EXPECT_EQ(only_instance(set).garp_lower_prio_repeat, 0u);
  EXPECT_TRUE(has_message(set, "strict mode requires no repeat garps")) << dump(set);
  EXPECT_TRUE(has_message(set, "strict mode requires no repeat garp delay")) << dump(set);
}

TEST(GarpLowerPrio, BadValuesAreErrorsAtTheValue) {
  auto r = parse(instance(" garp_lower_prio_repeat -1\n"));
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].where.to_string(), "t.conf:7:25");
  EXPECT_FALSE(parse(globals(" vrrp_garp_lower_prio_delay 1.5\n")).ok());
}

// ---- garp_master_refresh_repeat ----------------------------------------------

TEST(GarpRefreshRepeat, DefaultOneGlobalThenInstanceAndZeroBecomesOne) {
  EXPECT_EQ(only_instance(parse(instance(""))).garp_master_refresh_repeat, 1u);
  auto global = parse(globals(" vrrp_garp_master_refresh_repeat 4\n") + instance(""));
  EXPECT_EQ(only_instance(global).garp_master_refresh_repeat, 4u);
  auto zero = parse(instance(" garp_master_refresh_repeat 0\n"));
  EXPECT_EQ(only_instance(zero).garp_master_refresh_repeat, 1u);
  EXPECT_TRUE(has_message(zero, "must be greater than 0; setting to 1")) << dump(zero);
}

// ---- vrrp_min_garp ------------------------------------------------------------

TEST(VrrpMinGarp, OneGarpNoSecondBurstNoRefreshRepeat) {
  auto r = parse(globals(" vrrp_min_garp\n") + instance(""));
  const Instance& i = only_instance(r);
  EXPECT_EQ(i.garp_master_repeat, 1);
  EXPECT_EQ(i.garp_master_delay, 0s);
  EXPECT_EQ(i.garp_master_refresh, 0s);
  EXPECT_EQ(i.garp_master_refresh_repeat, 0u);
  // The lower-priority defaults follow the master values it set.
  EXPECT_EQ(i.garp_lower_prio_repeat, 1u);
  EXPECT_EQ(i.garp_lower_prio_delay, 0s);
}

TEST(VrrpMinGarp, OnlyWhatIsStillDefaultChangesAndLaterKeywordsWin) {
  auto before = parse(globals(" vrrp_garp_master_repeat 3\n vrrp_min_garp true\n") + instance(""));
  EXPECT_EQ(only_instance(before).garp_master_repeat, 3);
  EXPECT_EQ(only_instance(before).garp_master_delay, 0s);
  auto after = parse(globals(" vrrp_min_garp\n vrrp_garp_master_delay 2\n") + instance(""));
  EXPECT_EQ(only_instance(after).garp_master_delay, 2s);
  auto off = parse(globals(" vrrp_min_garp false\n") + instance(""));
  EXPECT_EQ(only_instance(off).garp_master_repeat, 5);
  EXPECT_FALSE(parse(globals(" vrrp_min_garp maybe\n")).ok());
}

// ---- vrrp_startup_delay -------------------------------------------------------

TEST(VrrpStartupDelay, SecondsToTheMillisecondAndANoteFromAMinute) {
  auto r = parse(globals(" vrrp_startup_delay 2.5\n") + instance(""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->global.vrrp_startup_delay, 2500ms);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  auto large = parse(globals(" vrrp_startup_delay 60\n"));
  EXPECT_TRUE(has_message(large, "the vrrp_startup_delay is very large - 60 seconds"))
      << dump(large);
  EXPECT_FALSE(parse(globals(" vrrp_startup_delay 0\n")).ok());
  EXPECT_FALSE(parse(globals(" vrrp_startup_delay soon\n")).ok());
}

// ---- garp_extra_if --------------------------------------------------------------

TEST(GarpExtraIf, ReadWithAllAndDelayAndAcceptedUntilVmac) {
  auto r = parse(instance(" garp_extra_if all 30\n"));
  const Instance& i = only_instance(r);
  EXPECT_EQ(i.garp_extra_if, 30s);
  EXPECT_TRUE(i.garp_extra_if_all);
  EXPECT_TRUE(has_message(r, "accepted, not used by keepvip (VMAC")) << dump(r);
  EXPECT_FALSE(parse(instance(" garp_extra_if all\n")).ok());
  EXPECT_FALSE(parse(instance(" garp_extra_if 86401\n")).ok());
  // global_defs: 1..86400.
  EXPECT_FALSE(parse(globals(" vrrp_garp_extra_if 0\n")).ok());
  auto old = parse(instance(" vmac_garp_intvl 5\n"));
  EXPECT_TRUE(has_message(old, "deprecated; please use \"garp_extra_if\"")) << dump(old);
}

// ---- interface_up_down_delays ----------------------------------------------------

TEST(InterfaceUpDownDelays, DownAndUpDelaysPerInterface) {
  auto r = parse("interface_up_down_delays {\n eth0 1.5 0.25\n eth1 1\n}\n" + instance(""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  const auto& delays = r.config->interface_delays;
  ASSERT_EQ(delays.count("eth0"), 1u);
  EXPECT_EQ(delays.at("eth0").down, 1500ms);
  EXPECT_EQ(delays.at("eth0").up, 250ms);
  // keepalived's code, not its man page: no UP_DELAY is 0.
  EXPECT_EQ(delays.at("eth1").down, 1s);
  EXPECT_EQ(delays.at("eth1").up, 0s);
}

TEST(InterfaceUpDownDelays, LimitsAndMalformedLines) {
  EXPECT_FALSE(parse("interface_up_down_delays {\n eth0 256\n}\n").ok());
  EXPECT_FALSE(parse("interface_up_down_delays {\n eth0 1 x\n}\n").ok());
  auto none = parse("interface_up_down_delays {\n eth0\n}\n");
  EXPECT_TRUE(none.ok());
  EXPECT_TRUE(has_message(none, "no timeouts specified for eth0")) << dump(none);
  auto many = parse("interface_up_down_delays {\n eth0 1 1 1\n}\n");
  EXPECT_TRUE(has_message(many, "too many parameters for eth0")) << dump(many);
}

TEST(InterfaceUpDownDelays, KeptBelowTheInstancesTakeoverAsKeepalivedDoes) {
  // advert_int 1, down_timer_adverts 3: below 2 s, so 2 s - 1/256 s.
  auto r = parse("interface_up_down_delays {\n eth0 5 2\n}\n" + instance(""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->interface_delays.at("eth0").down, 1996094us);
  EXPECT_EQ(r.config->interface_delays.at("eth0").up, 1996094us);
  EXPECT_TRUE(has_message(r, "debounce timer(s) not less than 2 * advert_int")) << dump(r);
  auto one =
      parse("interface_up_down_delays {\n eth0 1\n}\n" + instance(" down_timer_adverts 1\n"));
  EXPECT_EQ(one.config->interface_delays.at("eth0").down, 0s);
  EXPECT_TRUE(has_message(one, "cannot use debounce timers with down_timer_adverts = 1"))
      << dump(one);
  // Another interface's delays are not the instance's concern.
  auto other = parse("interface_up_down_delays {\n eth1 5\n}\n" + instance(""));
  EXPECT_EQ(other.config->interface_delays.at("eth1").down, 5s);
}

// ---- linkbeat ---------------------------------------------------------------------

TEST(Linkbeat, ReadValidatedAndAcceptedNotUsed) {
  auto r = parse("linkbeat_use_polling\nlinkbeat_interfaces {\n eth0 ETHTOOL\n eth1\n}\n" +
                 instance(""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.config->global.linkbeat_use_polling);
  ASSERT_EQ(r.config->linkbeat_interfaces.size(), 2u);
  EXPECT_EQ(r.config->linkbeat_interfaces[0].type, "ETHTOOL");
  EXPECT_TRUE(has_message(r, "accepted, not used by keepvip (keepvip follows every link's"))
      << dump(r);
  EXPECT_FALSE(parse("linkbeat_interfaces {\n eth0 POLL\n}\n").ok());
  auto deprecated = parse(instance(" linkbeat_use_polling\n"));
  EXPECT_TRUE(has_message(deprecated, "'linkbeat_use_polling' in vrrp instance deprecated"))
      << dump(deprecated);
}

}  // namespace
}  // namespace keepvip::config
