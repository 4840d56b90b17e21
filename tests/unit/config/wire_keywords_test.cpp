// The keywords a peer can see on the wire, read as keepalived 2.2.8 reads
// them: vrrp_mcast_group4/6 and mcast_dst_ip, v3_checksum_as_v2,
// unicast_ttl, unicast_peer's min_ttl/max_ttl and unicast_fault_no_peer.
#include <gtest/gtest.h>

#include <string>

#include "config/parser.h"
#include "parse_helpers.h"

namespace keepvip::config {
namespace {

using testing::dump;
using testing::parse;

// Line 1 is the global_defs line (if any), the instance starts on line 2.
std::string with_global(const std::string& global_line, const std::string& body,
                        const std::string& vip = "192.0.2.10") {
  return "global_defs {" + global_line + "}\nvrrp_instance VI_1 {\n interface eth0\n" +
         " virtual_router_id 51\n virtual_ipaddress {\n  " + vip + "\n }\n" + body + "}\n";
}
std::string instance(const std::string& body, const std::string& vip = "192.0.2.10") {
  return with_global("", body, vip);
}

const Diagnostic* find(const ParseResult& r, const std::string& keyword) {
  for (const auto& d : r.diagnostics)
    if (d.keyword == keyword) return &d;
  return nullptr;
}

TEST(MulticastGroup, GlobalGroupsAreEachFamilysDefault) {
  auto v4 = parse(with_global(" vrrp_mcast_group4 224.0.0.117\n vrrp_mcast_group6 ff02::117 ", ""));
  ASSERT_TRUE(v4.ok()) << dump(v4);
  EXPECT_TRUE(v4.diagnostics.empty()) << dump(v4);
  EXPECT_EQ(v4.config->instances[0].wire.multicast_group, IpAddress::parse("224.0.0.117"));
  auto v6 = parse(with_global(" vrrp_mcast_group6 ff02::117 ", "", "fe80::10"));
  ASSERT_TRUE(v6.ok()) << dump(v6);
  EXPECT_EQ(v6.config->instances[0].wire.multicast_group, IpAddress::parse("ff02::117"));
  auto none = parse(instance(""));
  ASSERT_TRUE(none.ok()) << dump(none);
  EXPECT_FALSE(none.config->instances[0].wire.multicast_group);  // 224.0.0.18
}

TEST(MulticastGroup, InstanceGroupOverridesTheGlobalOne) {
  auto r = parse(with_global(" vrrp_mcast_group4 224.0.0.117 ", " mcast_dst_ip 224.0.0.118\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].wire.multicast_group, IpAddress::parse("224.0.0.118"));
}

TEST(MulticastGroup, GlobalGroupsMustBeMulticastOfTheirFamily) {
  struct Case {
    const char* line;
    const char* message;
  };
  for (const Case& c :
       {Case{" vrrp_mcast_group4 192.0.2.1 ", "vrrp_mcast_group4 [192.0.2.1] is not multicast"},
        Case{" vrrp_mcast_group4 ff02::117 ", "vrrp_mcast_group4 [ff02::117] is not IPv4"},
        Case{" vrrp_mcast_group6 224.0.0.117 ", "vrrp_mcast_group6 [224.0.0.117] is not IPv6"},
        Case{" vrrp_mcast_group6 2001:db8::1 ",
             "vrrp_mcast_group6 [2001:db8::1] is not multicast"}}) {
    SCOPED_TRACE(c.line);
    auto r = parse(with_global(c.line, ""));
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
    EXPECT_EQ(r.diagnostics[0].where.to_string(), "t.conf:1:33");
    EXPECT_NE(r.diagnostics[0].message.find(c.message), std::string::npos) << dump(r);
  }
}

TEST(MulticastGroup, AGlobalIpv6GroupBeyondTheLinkIsAWarning) {
  auto r = parse(with_global(" vrrp_mcast_group6 ff05::117 ", ""));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::Warning);
  EXPECT_EQ(r.diagnostics[0].message,
            "vrrp_mcast_group6 [ff05::117] should be link-local multicast.");
}

TEST(MulticastGroup, InstanceGroupMustBeMulticastAndIpv6OnTheLink) {
  auto unicast_address = parse(instance(" mcast_dst_ip 192.0.2.200\n"));
  EXPECT_FALSE(unicast_address.ok());
  ASSERT_NE(find(unicast_address, "mcast_dst_ip"), nullptr) << dump(unicast_address);
  EXPECT_EQ(find(unicast_address, "mcast_dst_ip")->where.to_string(), "t.conf:8:15");
  EXPECT_NE(
      find(unicast_address, "mcast_dst_ip")->message.find("mcast_dst_ip 192.0.2.200 not multicast"),
      std::string::npos);
  auto site = parse(instance(" mcast_dst_ip ff05::117\n", "fe80::10"));
  EXPECT_FALSE(site.ok());
  ASSERT_NE(find(site, "mcast_dst_ip"), nullptr) << dump(site);
  EXPECT_NE(find(site, "mcast_dst_ip")->message.find("not link-local multicast"),
            std::string::npos);
}

TEST(MulticastGroup, InstanceGroupOfTheOtherFamilyIsIgnored) {
  auto r = parse(instance(" mcast_dst_ip ff02::117\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_NE(find(r, "mcast_dst_ip"), nullptr) << dump(r);
  EXPECT_EQ(find(r, "mcast_dst_ip")->severity, Severity::Warning);
  EXPECT_FALSE(r.config->instances[0].wire.multicast_group);
}

TEST(MulticastGroup, UnicastInstancesIgnoreItWithKeepalivedsWords) {
  auto r = parse(instance(" mcast_dst_ip 224.0.0.117\n unicast_peer {\n  192.0.2.2\n }\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_NE(find(r, "mcast_dst_ip"), nullptr) << dump(r);
  EXPECT_EQ(find(r, "mcast_dst_ip")->message,
            "(VI_1) multicast destination specified with unicast - ignoring");
  EXPECT_FALSE(r.config->instances[0].wire.multicast_group);
}

TEST(V3ChecksumAsV2, GlobalSetsTheDefaultTheInstanceDecides) {
  auto global = parse(with_global(" v3_checksum_as_v2 ", ""));
  ASSERT_TRUE(global.ok()) << dump(global);
  EXPECT_TRUE(global.config->global.wire.v3_checksum_as_v2);
  EXPECT_EQ(global.config->instances[0].wire.v3_checksum_as_v2, true);
  auto off = parse(with_global(" v3_checksum_as_v2 ", " v3_checksum_as_v2 false\n"));
  ASSERT_TRUE(off.ok()) << dump(off);
  EXPECT_EQ(off.config->instances[0].wire.v3_checksum_as_v2, false);
  auto bare = parse(instance(" v3_checksum_as_v2\n"));
  ASSERT_TRUE(bare.ok()) << dump(bare);
  EXPECT_EQ(bare.config->instances[0].wire.v3_checksum_as_v2, true);
  auto none = parse(instance(""));
  EXPECT_EQ(none.config->instances[0].wire.v3_checksum_as_v2, false);
  auto bad = parse(instance(" v3_checksum_as_v2 maybe\n"));
  EXPECT_FALSE(bad.ok());
  ASSERT_NE(find(bad, "v3_checksum_as_v2"), nullptr) << dump(bad);
  EXPECT_EQ(find(bad, "v3_checksum_as_v2")->where.to_string(), "t.conf:8:20");
}

TEST(UnicastTtl, SetsTheTtlOfUnicastAdverts) {
  auto r = parse(instance(" unicast_ttl 10\n unicast_peer {\n  192.0.2.2\n }\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  EXPECT_EQ(r.config->instances[0].wire.unicast_ttl, 10);
  auto big = parse(instance(" unicast_ttl 256\n unicast_peer {\n  192.0.2.2\n }\n"));
  EXPECT_FALSE(big.ok());
  ASSERT_NE(find(big, "unicast_ttl"), nullptr) << dump(big);
  EXPECT_EQ(find(big, "unicast_ttl")->where.to_string(), "t.conf:8:14");
}

TEST(UnicastTtl, WithoutPeersIsResetWithKeepalivedsWords) {
  auto r = parse(instance(" unicast_ttl 10\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_NE(find(r, "unicast_ttl"), nullptr) << dump(r);
  EXPECT_EQ(find(r, "unicast_ttl")->severity, Severity::Warning);
  EXPECT_EQ(find(r, "unicast_ttl")
                ->message.find("(VI_1): Cannot use unicast_ttl without unicast peers - resetting"),
            0u);
  EXPECT_FALSE(r.config->instances[0].wire.unicast_ttl);
}

TEST(PeerTtl, MinAndMaxTtlArePerPeerAndTurnTheSourceCheckOn) {
  auto r = parse(
      instance(" unicast_peer {\n  192.0.2.2 min_ttl 250 max_ttl 254\n  192.0.2.3 max_ttl 64\n"
               "  192.0.2.4\n }\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  const Instance& i = r.config->instances[0];
  EXPECT_TRUE(i.check_unicast_src);
  ASSERT_EQ(i.wire.peer_ttls.size(), 2u);
  EXPECT_EQ(i.wire.peer_ttls[0], (PeerTtlRange{*IpAddress::parse("192.0.2.2"), 250, 254}));
  EXPECT_EQ(i.wire.peer_ttls[1], (PeerTtlRange{*IpAddress::parse("192.0.2.3"), 0, 64}));
  auto plain = parse(instance(" unicast_peer {\n  192.0.2.2\n }\n"));
  EXPECT_FALSE(plain.config->instances[0].check_unicast_src);
}

TEST(PeerTtl, BadOptionsAreErrorsWhereTheyAre) {
  struct Case {
    const char* entry;
    const char* where;
    const char* message;
  };
  for (const Case& c : {
           Case{"192.0.2.2 hops 3", "t.conf:9:13", "unknown unicast_peer option hops"},
           Case{"192.0.2.2 min_ttl", "t.conf:9:13", "min_ttl is missing a value"},
           Case{"192.0.2.2 max_ttl 300", "t.conf:9:21", "max_ttl: "},
           Case{"192.0.2.2 min_ttl 200 max_ttl 100", "t.conf:9:13",
                "min_ttl 200 > max_ttl 100 - all packets will be discarded"},
       }) {
    SCOPED_TRACE(c.entry);
    auto r = parse(instance(std::string(" unicast_peer {\n  ") + c.entry + "\n }\n"));
    EXPECT_FALSE(r.ok());
    ASSERT_NE(find(r, "unicast_peer"), nullptr) << dump(r);
    EXPECT_EQ(find(r, "unicast_peer")->where.to_string(), c.where) << dump(r);
    EXPECT_NE(find(r, "unicast_peer")->message.find(c.message), std::string::npos) << dump(r);
  }
}

TEST(UnicastFaultNoPeer, WithoutPeersTheInstanceFaultsWithKeepalivedsWords) {
  auto r = parse(instance(" unicast_fault_no_peer\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_NE(find(r, "unicast_fault_no_peer"), nullptr) << dump(r);
  EXPECT_EQ(find(r, "unicast_fault_no_peer")->message,
            "(VI_1) Cannot use unicast without any peers - going to fault state");
  EXPECT_TRUE(r.config->instances[0].wire.unicast_fault_no_peer);
  auto peers = parse(instance(" unicast_fault_no_peer\n unicast_peer {\n  192.0.2.2\n }\n"));
  ASSERT_TRUE(peers.ok()) << dump(peers);
  EXPECT_TRUE(peers.diagnostics.empty()) << dump(peers);
}

}  // namespace
}  // namespace keepvip::config
