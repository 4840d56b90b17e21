// virtual_routes / virtual_rules / static_routes / static_rules: every
// option keepvip installs, keepalived's validation errors (file:line:column
// at the word at fault), the options it does not install yet, and the text
// form the crash record reads back.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace keepvip::config {
namespace {

const char* kInstanceHead =
    "vrrp_instance VI_1 {\n"
    "  interface eth0\n"
    "  virtual_router_id 51\n"
    "  priority 100\n"
    "  virtual_ipaddress {\n"
    "    192.0.2.100/24\n"
    "  }\n";

ParseResult parse_instance_block(const std::string& block) {
  return testing::parse(std::string(kInstanceHead) + block + "}\n");
}

Route route(const std::string& text) {
  auto parsed = parse_route(split_words(text));
  EXPECT_TRUE(parsed.value.has_value()) << text;
  return parsed.value.value_or(Route{});
}

std::string route_error(const std::string& text) {
  auto parsed = parse_route(split_words(text));
  EXPECT_FALSE(parsed.value.has_value()) << text;
  for (const auto& p : parsed.problems)
    if (p.error) return p.message;
  return "(no error)";
}

Rule rule(const std::string& text) {
  RulePriorities numbers;
  auto parsed = parse_rule(split_words(text), numbers);
  EXPECT_TRUE(parsed.value.has_value()) << text;
  return parsed.value.value_or(Rule{});
}

std::string rule_error(const std::string& text) {
  RulePriorities numbers;
  auto parsed = parse_rule(split_words(text), numbers);
  EXPECT_FALSE(parsed.value.has_value()) << text;
  for (const auto& p : parsed.problems)
    if (p.error) return p.message;
  return "(no error)";
}

TEST(RouteSyntax, ReadsEveryInstalledOption) {
  Route r = route(
      "192.0.2.0/24 via 198.51.100.1 dev eth1 src 198.51.100.2 table 100 metric 7 "
      "scope link onlink tos 16 protocol static");
  EXPECT_EQ(r.family, Family::V4);
  EXPECT_EQ(r.destination, *IpPrefix::parse("192.0.2.0/24"));
  EXPECT_EQ(r.via, IpAddress::parse("198.51.100.1"));
  EXPECT_EQ(r.dev, "eth1");
  EXPECT_EQ(r.preferred_source, IpAddress::parse("198.51.100.2"));
  EXPECT_EQ(r.table, 100u);
  EXPECT_EQ(r.metric, 7u);
  EXPECT_EQ(r.scope, 253);
  EXPECT_TRUE(r.onlink);
  EXPECT_EQ(r.tos, 16);
  // keepalived tracks a route with a dev under its own protocol number.
  EXPECT_EQ(r.protocol, kKeepalivedProtocol);
  EXPECT_EQ(r.type, RouteType::Unicast);
}

TEST(RouteSyntax, DefaultTakesItsFamilyFromTheGatewayOrInet6) {
  Route v4 = route("default via 192.0.2.1");
  EXPECT_EQ(v4.family, Family::V4);
  EXPECT_EQ(v4.destination, *IpPrefix::parse("0.0.0.0/0"));
  Route v6 = route("default via 2001:db8::1 dev eth0");
  EXPECT_EQ(v6.family, Family::V6);
  EXPECT_EQ(v6.destination, *IpPrefix::parse("::/0"));
  EXPECT_EQ(route("default inet6 dev eth0").family, Family::V6);
  EXPECT_EQ(route("to default dev eth0").family, Family::V4);
}

TEST(RouteSyntax, TypesAndNamedTables) {
  EXPECT_EQ(route("blackhole 192.0.2.0/25").type, RouteType::Blackhole);
  EXPECT_EQ(route("unreachable 2001:db8:1::/48").type, RouteType::Unreachable);
  EXPECT_EQ(route("prohibit 192.0.2.128/25 table main").table, kMainTable);
  Route t = route("throw 192.0.2.0/24 table local");
  EXPECT_EQ(t.type, RouteType::Throw);
  EXPECT_EQ(t.table, 255u);
  EXPECT_EQ(route("to unicast 192.0.2.0/24 dev eth0").type, RouteType::Unicast);
  EXPECT_EQ(route("2001:db8::/64 from 2001:db8:1::/64 dev eth0").from,
            IpPrefix::parse("2001:db8:1::/64"));
}

TEST(RouteSyntax, TableNamesComeFromIproute2sFile) {
  const char* file = "#\n# reserved values\n#\n255\tlocal\n254\tmain\n100 vip # ours\n0x65\tweb\n";
  EXPECT_EQ(table_number_in_file(file, "vip"), 100u);
  EXPECT_EQ(table_number_in_file(file, "web"), 101u);
  EXPECT_EQ(table_number_in_file(file, "ours"), std::nullopt);
  EXPECT_EQ(table_number_in_file(file, "nosuch"), std::nullopt);
}

TEST(RouteSyntax, KeepalivedValidationErrors) {
  EXPECT_EQ(route_error("via 192.0.2.1"), "Route must have a destination");
  EXPECT_EQ(route_error("192.0.2.0/24 via 2001:db8::1"),
            "Cannot mix IPv4 and IPv6 addresses for route");
  EXPECT_EQ(route_error("192.0.2.0/24 src nonsense"), "invalid route src address nonsense");
  EXPECT_EQ(route_error("192.0.2.0/24 table nosuch"), "Routing table nosuch not found for route");
  EXPECT_EQ(route_error("192.0.2.0/24 scope far"), "Scope far not found or invalid for route");
  EXPECT_EQ(route_error("192.0.2.0/24 metric -1"), "Invalid metric -1 specified for route");
  EXPECT_EQ(route_error("192.0.2.0/24 tos 300"), "TOS value 300 is invalid");
  EXPECT_EQ(route_error("192.0.2.0/24 from 192.0.2.1"),
            "route from address only supported with IPv6 (192.0.2.1)");
  EXPECT_EQ(route_error("frobnicate"), "unknown route keyword frobnicate");
  EXPECT_EQ(route_error("192.0.2.0/24 inet6"), "inet6 specified for IPv4 route");
  EXPECT_EQ(route_error("192.0.2.0/24 dev"), "expected a value after 'dev'");
  EXPECT_EQ(route_error("192.0.2.1/24 dev eth0"),
            "route destination 192.0.2.1/24 has bits set after its prefix length (the kernel "
            "refuses it)");
}

TEST(RouteSyntax, OptionsNotInstalledYetAreErrorsNotSilence) {
  for (const char* option : {"mtu 1400", "advmss 1400", "realms 1", "nexthop via 192.0.2.1",
                             "encap ip id 1", "expires 10", "congctl cubic", "append"}) {
    EXPECT_NE(route_error(std::string("192.0.2.0/24 dev eth0 ") + option)
                  .find("is accepted by keepalived but not supported by keepvip yet"),
              std::string::npos)
        << option;
  }
  EXPECT_EQ(route_error("local 192.0.2.0/24"),
            "route type 'local' is not supported by keepvip yet");
}

TEST(RouteSyntax, GwIsDeprecatedAsInKeepalived) {
  auto parsed = parse_route(split_words("192.0.2.0/24 gw 198.51.100.1 dev eth0"));
  ASSERT_TRUE(parsed.value);
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_FALSE(parsed.problems[0].error);
  EXPECT_EQ(parsed.problems[0].message, "\"gw\" for routes is deprecated. Please use \"via\"");
  EXPECT_EQ(parsed.problems[0].word, 1u);
}

TEST(RuleSyntax, ReadsSelectorsAndActions) {
  Rule r = rule(
      "from 192.0.2.0/24 to 198.51.100.0/24 iif eth0 oif eth1 fwmark 0x10/0xff "
      "tos 8 priority 100 table 200");
  EXPECT_EQ(r.family, Family::V4);
  EXPECT_EQ(r.from, IpPrefix::parse("192.0.2.0/24"));
  EXPECT_EQ(r.to, IpPrefix::parse("198.51.100.0/24"));
  EXPECT_EQ(r.iif, "eth0");
  EXPECT_EQ(r.oif, "eth1");
  EXPECT_EQ(r.fwmark, 16u);
  EXPECT_EQ(r.fwmask, 255u);
  EXPECT_EQ(r.tos, 8);
  EXPECT_EQ(r.priority, 100u);
  EXPECT_EQ(r.action, RuleAction::Table);
  EXPECT_EQ(r.table, 200u);
  EXPECT_EQ(r.protocol, kKeepalivedProtocol);

  Rule g = rule("not from 2001:db8::/64 preference 10 goto 20");
  EXPECT_EQ(g.family, Family::V6);
  EXPECT_TRUE(g.invert);
  EXPECT_EQ(g.action, RuleAction::Goto);
  EXPECT_EQ(g.goto_target, 20u);
  EXPECT_EQ(rule("to 192.0.2.1 priority 5 blackhole").action, RuleAction::Blackhole);
  EXPECT_EQ(rule("to 192.0.2.1 priority 5 type unreachable").action, RuleAction::Unreachable);
  EXPECT_EQ(rule("to 192.0.2.1 priority 5 prohibit").action, RuleAction::Prohibit);
  EXPECT_EQ(rule("priority 5 nop").action, RuleAction::Nop);
  EXPECT_EQ(rule("from all lookup main priority 7").table, kMainTable);
  EXPECT_FALSE(rule("from all lookup main priority 7 no_track").protocol);
  EXPECT_EQ(rule("from all lookup 100 priority 7 suppress_prefixlength 0").suppress_prefixlen, 0u);
}

TEST(RuleSyntax, KeepalivedValidationErrors) {
  EXPECT_EQ(rule_error("from 192.0.2.0/24 priority 5"), "No action specified for rule - ignoring");
  EXPECT_EQ(rule_error("from 192.0.2.0/24 to 2001:db8::/64 table 5"),
            "rule specification has mixed IPv4 and IPv6");
  EXPECT_EQ(rule_error("table 0"), "Table 0 is not valid");
  EXPECT_EQ(rule_error("table 5 blackhole"),
            "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable for "
            "rule");
  EXPECT_EQ(rule_error("goto 20"), "Invalid rule - goto target 20 specified without preference");
  EXPECT_EQ(rule_error("priority 30 goto 20"), "Invalid rule - preference 30 >= goto target 20");
  EXPECT_EQ(rule_error("fwmark 1/x table 5"), "Invalid rule fwmark 1/x specified");
  EXPECT_EQ(rule_error("priority 5 blackhole suppress_prefixlength 0"),
            "suppressor/realm specified for non table action - skipping");
  EXPECT_EQ(rule_error("priority 5 throw"), "Invalid rule action throw");
  EXPECT_EQ(rule_error("priority 5 frobnicate"), "Unknown rule option frobnicate");
  EXPECT_EQ(rule_error("from nonsense table 5"), "Invalid rule from address nonsense");
  EXPECT_NE(rule_error("uidrange 1-2 table 5").find("not supported by keepvip yet"),
            std::string::npos);
}

TEST(RuleSyntax, UnnumberedRulesCountDownPerFamilyWithKeepalivedsWarning) {
  RulePriorities numbers;
  auto first = parse_rule(split_words("from 192.0.2.0/24 table 5"), numbers);
  auto second = parse_rule(split_words("from 192.0.2.0/24 table 6"), numbers);
  auto v6 = parse_rule(split_words("from 2001:db8::/64 table 6"), numbers);
  ASSERT_TRUE(first.value && second.value && v6.value);
  EXPECT_EQ(first.value->priority, 16384u);
  EXPECT_EQ(second.value->priority, 16383u);
  EXPECT_EQ(v6.value->priority, 16384u);
  ASSERT_EQ(first.problems.size(), 1u);
  EXPECT_EQ(first.problems[0].message,
            "Rule has no preference specified - setting to 16384. This is probably not what you "
            "want.");
}

TEST(RouteText, ReadsBackWhatItWrites) {
  for (const char* text :
       {"192.0.2.0/24 via 198.51.100.1 dev eth1 src 198.51.100.2 table 100 metric 7 scope 253 "
        "onlink",
        "blackhole 192.0.2.0/25 table 100", "default inet6 dev eth0",
        "2001:db8::/64 from 2001:db8:1::/64 via 2001:db8::1 protocol 4", "throw 198.51.100.0/24"}) {
    Route r = route(text);
    EXPECT_EQ(route(to_string(r)), r) << text << " -> " << to_string(r);
  }
  EXPECT_EQ(to_string(route("blackhole 192.0.2.0/25 table 100")),
            "blackhole 192.0.2.0/25 table 100");
  for (const char* text :
       {"from 192.0.2.0/24 to 198.51.100.0/24 iif eth0 oif eth1 fwmark 16/255 priority 100 "
        "table 200",
        "not from 2001:db8::/64 preference 10 goto 20", "to 192.0.2.1 priority 5 blackhole",
        "from all lookup main priority 7 no_track", "priority 3 nop protocol 4 no_track"}) {
    Rule r = rule(text);
    EXPECT_EQ(rule(to_string(r)), r) << text << " -> " << to_string(r);
  }
}

TEST(RouteBlocks, InstanceAndStaticBlocksAreRead) {
  auto result = testing::parse(std::string(kInstanceHead) +
                               "  virtual_routes {\n"
                               "    192.0.2.0/25 via 192.0.2.1 table 100\n"
                               "    blackhole 2001:db8:5::/48\n"
                               "  }\n"
                               "  virtual_rules {\n"
                               "    from 192.0.2.0/24 table 100 priority 100\n"
                               "  }\n"
                               "}\n"
                               "static_routes {\n"
                               "  198.51.100.0/24 dev eth0 table 101\n"
                               "}\n"
                               "static_rules {\n"
                               "  to 198.51.100.0/24 lookup 101 priority 101\n"
                               "}\n");
  ASSERT_TRUE(result.ok()) << testing::dump(result);
  // keepalived's warning for the routes without a dev, and only for them.
  std::string all = testing::dump(result);
  EXPECT_EQ(result.warning_count(), 2u) << all;
  EXPECT_NE(all.find("t.conf:9:5: warning: virtual_routes: Warning - cannot track route "
                     "192.0.2.0/25 with no interface specified, not tracking"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("t.conf:10:5: warning: virtual_routes: Warning - cannot track route "
                     "2001:db8:5::/48 with no interface specified, not tracking"),
            std::string::npos)
      << all;
  const Instance& i = result.config->instances.at(0);
  ASSERT_EQ(i.virtual_routes.size(), 2u);
  EXPECT_EQ(i.virtual_routes[1].type, RouteType::Blackhole);
  ASSERT_EQ(i.virtual_rules.size(), 1u);
  EXPECT_EQ(i.virtual_rules[0].table, 100u);
  ASSERT_EQ(result.config->static_routes.size(), 1u);
  EXPECT_EQ(result.config->static_routes[0].table, 101u);
  ASSERT_EQ(result.config->static_rules.size(), 1u);
  EXPECT_EQ(result.config->static_rules[0].priority, 101u);
}

TEST(RouteBlocks, ErrorsNameTheWordAtFault) {
  auto result = parse_instance_block(
      "  virtual_routes {\n"
      "    192.0.2.0/24 via 192.0.2.1 mtu 1400\n"
      "  }\n"
      "  virtual_rules {\n"
      "    from 192.0.2.0/24 priority 30 goto 20\n"
      "  }\n");
  ASSERT_FALSE(result.ok());
  std::string all = testing::dump(result);
  EXPECT_NE(all.find("t.conf:9:32: error: virtual_routes: route option 'mtu' is accepted by "
                     "keepalived but not supported by keepvip yet"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("t.conf:12:5: error: virtual_rules: Invalid rule - preference 30 >= goto "
                     "target 20"),
            std::string::npos)
      << all;
}

TEST(RouteBlocks, StaticBlockWarningsCarryTheirPlace) {
  auto result = testing::parse(std::string(kInstanceHead) + "}\n" +
                               "static_rules {\n"
                               "  from 192.0.2.0/24 table 5\n"
                               "}\n"
                               "static_routes {\n"
                               "  192.0.2.0/24 gw 198.51.100.1\n"
                               "}\n");
  ASSERT_TRUE(result.ok()) << testing::dump(result);
  std::string all = testing::dump(result);
  EXPECT_NE(all.find("t.conf:10:3: warning: static_rules: Rule has no preference specified - "
                     "setting to 16384"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("t.conf:13:16: warning: static_routes: \"gw\" for routes is deprecated"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace keepvip::config
