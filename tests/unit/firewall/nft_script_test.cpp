// The drop tables as nft reads them: keepalived 2.2.8's tables, sets, chains
// and rules (vrrp_nftables.c), the settings of global_defs, and the changes
// that leave the other instances' elements alone.
#include "firewall/nft_script.h"

#include <gtest/gtest.h>

namespace keepvip::firewall {
namespace {

ports::DroppedAddress address(const char* text) {
  return {*IpAddress::parse(text), 0, "", false};
}
ports::DroppedAddress link_local(const char* text, int ifindex) {
  return {*IpAddress::parse(text), ifindex, "", false};
}
ports::DroppedAddress link_local_by_name(const char* text, const char* ifname) {
  return {*IpAddress::parse(text), 0, ifname, true};
}

TEST(NftScript, TheIpv4TableDropsTrafficToAndFromTheVips) {
  config::Nftables settings;
  EXPECT_EQ(table_script(Family::V4, settings, {address("192.0.2.100"), address("192.0.2.101")}),
            "add table ip keepvip\n"
            "delete table ip keepvip\n"
            "table ip keepvip {\n"
            "\tset vips {\n"
            "\t\ttype ipv4_addr\n"
            "\t\telements = { 192.0.2.100, 192.0.2.101 }\n"
            "\t}\n"
            "\tchain in {\n"
            "\t\ttype filter hook input priority -1; policy accept;\n"
            "\t\tip daddr @vips drop\n"
            "\t}\n"
            "\tchain out {\n"
            "\t\ttype filter hook output priority -1; policy accept;\n"
            "\t\tip saddr @vips drop\n"
            "\t}\n"
            "}\n");
}

TEST(NftScript, TableNamePriorityAndCountersFollowGlobalDefs) {
  config::Nftables settings{"edge", -150, false, true};
  std::string script = table_script(Family::V4, settings, {address("192.0.2.100")});
  EXPECT_NE(script.find("table ip edge {\n"), std::string::npos) << script;
  EXPECT_NE(script.find("type filter hook input priority -150; policy accept;"), std::string::npos);
  EXPECT_NE(script.find("ip daddr @vips counter drop\n"), std::string::npos) << script;
  EXPECT_NE(script.find("ip saddr @vips counter drop\n"), std::string::npos) << script;
}

TEST(NftScript, TheIpv6TableLetsNeighbourDiscoveryThroughAndMatchesLinkLocalByInterface) {
  config::Nftables settings;
  std::string script = table_script(Family::V6, settings,
                                    {address("2001:db8::100"), link_local("fe80::100", 2),
                                     link_local_by_name("fe80::101", "eth0")});
  EXPECT_EQ(script,
            "add table ip6 keepvip\n"
            "delete table ip6 keepvip\n"
            "table ip6 keepvip {\n"
            "\tset vips {\n"
            "\t\ttype ipv6_addr\n"
            "\t\telements = { 2001:db8::100 }\n"
            "\t}\n"
            "\tset neighbor-discovery {\n"
            "\t\ttype icmpv6_type\n"
            "\t\tflags constant\n"
            "\t\telements = { nd-neighbor-solicit, nd-neighbor-advert }\n"
            "\t}\n"
            "\tset vips_link_local {\n"
            "\t\ttype ipv6_addr . iface_index\n"
            "\t\telements = { fe80::100 . 2 }\n"
            "\t}\n"
            "\tset vips_link_local_name {\n"
            "\t\ttype ipv6_addr . ifname\n"
            "\t\telements = { fe80::101 . \"eth0\" }\n"
            "\t}\n"
            "\tchain in_link_local {\n"
            "\t\tip6 daddr . iif @vips_link_local drop\n"
            "\t\tip6 daddr . iifname @vips_link_local_name drop\n"
            "\t}\n"
            "\tchain out_link_local {\n"
            "\t\tip6 saddr . oif @vips_link_local drop\n"
            "\t\tip6 saddr . oifname @vips_link_local_name drop\n"
            "\t}\n"
            "\tchain in {\n"
            "\t\ttype filter hook input priority -1; policy accept;\n"
            "\t\ticmpv6 type @neighbor-discovery accept\n"
            "\t\tip6 daddr fe80::/10 goto in_link_local\n"
            "\t\tip6 daddr @vips drop\n"
            "\t}\n"
            "\tchain out {\n"
            "\t\ttype filter hook output priority -1; policy accept;\n"
            "\t\ticmpv6 type @neighbor-discovery accept\n"
            "\t\tip6 saddr fe80::/10 goto out_link_local\n"
            "\t\tip6 saddr @vips drop\n"
            "\t}\n"
            "}\n");
}

TEST(NftScript, AnIpv6TableWithoutLinkLocalVipsHasNoLinkLocalSets) {
  std::string script = table_script(Family::V6, {}, {address("2001:db8::100")});
  EXPECT_EQ(script.find("vips_link_local"), std::string::npos) << script;
  EXPECT_NE(script.find("\tchain in_link_local {\n\t}\n"), std::string::npos) << script;
}

TEST(NftScript, NothingToDropRemovesTheTable) {
  EXPECT_EQ(table_script(Family::V4, {}, {}), "add table ip keepvip\ndelete table ip keepvip\n");
  EXPECT_EQ(removal_script(Family::V6, "edge"), "add table ip6 edge\ndelete table ip6 edge\n");
}

// Another instance becoming MASTER touches only its own elements: the
// table, and the counters of the rules, stay.
TEST(NftScript, ChangesAreElementsWhileTheTableKeepsItsSets) {
  config::Nftables settings;
  Dropped before{address("192.0.2.100"), address("192.0.2.101")};
  Dropped after{address("192.0.2.101"), address("192.0.2.102")};
  EXPECT_EQ(change_script(Family::V4, settings, before, after),
            "delete element ip keepvip vips { 192.0.2.100 }\n"
            "add element ip keepvip vips { 192.0.2.102 }\n");
  EXPECT_EQ(change_script(Family::V4, settings, before, before), "");
  EXPECT_EQ(change_script(Family::V6, settings, {link_local("fe80::1", 2)},
                          {link_local("fe80::1", 2), link_local("fe80::2", 3)}),
            "add element ip6 keepvip vips_link_local { fe80::2 . 3 }\n");
}

TEST(NftScript, ANewKindOfSetOrAnEmptyOneReplacesTheTable) {
  config::Nftables settings;
  Dropped global{address("2001:db8::100")};
  Dropped with_link_local{address("2001:db8::100"), link_local("fe80::1", 2)};
  EXPECT_EQ(change_script(Family::V6, settings, global, with_link_local),
            table_script(Family::V6, settings, with_link_local));
  EXPECT_EQ(change_script(Family::V6, settings, with_link_local, global),
            table_script(Family::V6, settings, global));
  EXPECT_EQ(change_script(Family::V4, settings, {}, {address("192.0.2.1")}),
            table_script(Family::V4, settings, {address("192.0.2.1")}));
  EXPECT_EQ(change_script(Family::V4, settings, {address("192.0.2.1")}, {}),
            removal_script(Family::V4, "keepvip"));
}

}  // namespace
}  // namespace keepvip::firewall
