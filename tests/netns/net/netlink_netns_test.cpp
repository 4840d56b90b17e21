// Netlink against a real kernel, inside a namespace of its own with a veth
// pair (kvd0 <-> kvd1; the kernel may lack the dummy driver). iproute2
// cross-checks what our requests did.
#include <gtest/gtest.h>
#include <linux/if_addr.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "net/netlink.h"
#include "netns_lab.h"

namespace keepvip::net {
namespace {

using testing::Netns;

constexpr MacAddress kLinkMac{0x02, 0, 0, 0, 0x01, 0x01};

class NetlinkNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::netns_unavailable_reason()) GTEST_SKIP() << *why;
    ns_.emplace("nl");
    ASSERT_TRUE(ns_->created());
    ASSERT_TRUE(
        ns_->ip("link add kvd0 address " + to_string(kLinkMac) + " type veth peer name kvd1"));
    ASSERT_TRUE(ns_->ip("link set kvd0 up"));
    ASSERT_TRUE(ns_->ip("link set kvd1 up"));
    ns_->inside([&] {
      auto opened = Netlink::open();
      if (opened) netlink_.emplace(std::move(*opened));
    });
    ASSERT_TRUE(netlink_) << "cannot open rtnetlink in " << ns_->name();
    auto index = netlink_->interface_index("kvd0");
    ASSERT_TRUE(index) << index.error().describe();
    ifindex_ = *index;
  }

  bool listed(const char* prefix) {
    auto all = netlink_->list_addresses(ifindex_);
    EXPECT_TRUE(all) << all.error().describe();
    auto wanted = *IpPrefix::parse(prefix);
    return all && std::find(all->begin(), all->end(), wanted) != all->end();
  }

  // What iproute2 prints for the link, searched with grep.
  bool ip_shows(const std::string& text) {
    return ns_->ip("addr show dev kvd0 | grep -q -- '" + text + "'");
  }

  std::optional<Netns> ns_;
  std::optional<Netlink> netlink_;
  int ifindex_ = 0;
};

TEST_F(NetlinkNetns, AddsAndRemovesIpv4VipIdempotently) {
  auto vip = *IpPrefix::parse("192.0.2.10/32");
  ASSERT_TRUE(netlink_->add_address(ifindex_, vip));
  EXPECT_TRUE(listed("192.0.2.10/32"));
  EXPECT_TRUE(ip_shows("inet 192.0.2.10/32 scope global kvd0"));
  // Present already (EEXIST): still success.
  EXPECT_TRUE(netlink_->add_address(ifindex_, vip));

  ASSERT_TRUE(netlink_->remove_address(ifindex_, vip));
  EXPECT_FALSE(listed("192.0.2.10/32"));
  EXPECT_FALSE(ip_shows("192.0.2.10"));
  // Gone already (EADDRNOTAVAIL): still success.
  EXPECT_TRUE(netlink_->remove_address(ifindex_, vip));
}

TEST_F(NetlinkNetns, AddsAnIpv4VipWithAnAliasLabel) {
  auto vip = *IpPrefix::parse("192.0.2.12/24");
  ASSERT_TRUE(netlink_->add_labelled_address(ifindex_, vip, "kvd0:vip"));
  EXPECT_TRUE(ns_->ip("addr show label kvd0:vip | grep -q 'inet 192.0.2.12/24'"));
  ASSERT_TRUE(netlink_->remove_address(ifindex_, vip));
  EXPECT_FALSE(listed("192.0.2.12/24"));
}

TEST_F(NetlinkNetns, AddsIpv6WithNodadAndHostVipsDeprecated) {
  auto host_vip = *IpPrefix::parse("2001:db8::10/128");
  auto subnet_vip = *IpPrefix::parse("2001:db8::11/64");
  ASSERT_TRUE(netlink_->add_address(ifindex_, host_vip));
  ASSERT_TRUE(netlink_->add_address(ifindex_, subnet_vip));
  EXPECT_TRUE(listed("2001:db8::10/128"));
  EXPECT_TRUE(listed("2001:db8::11/64"));

  auto entries = netlink_->address_entries(ifindex_, Family::V6);
  ASSERT_TRUE(entries) << entries.error().describe();
  auto find = [&](const IpPrefix& p) {
    return std::find_if(entries->begin(), entries->end(),
                        [&](const AddressEntry& e) { return e.prefix == p; });
  };
  auto host = find(host_vip);
  auto subnet = find(subnet_vip);
  ASSERT_NE(host, entries->end());
  ASSERT_NE(subnet, entries->end());
  EXPECT_TRUE(host->flags & IFA_F_NODAD);
  EXPECT_FALSE(host->flags & IFA_F_TENTATIVE) << "nodad: usable at once";
  EXPECT_TRUE(host->flags & IFA_F_DEPRECATED) << "a /128 VIP is never a source address";
  EXPECT_EQ(host->scope, 0) << "scope global";
  EXPECT_TRUE(subnet->flags & IFA_F_NODAD);
  EXPECT_FALSE(subnet->flags & IFA_F_DEPRECATED);
  EXPECT_TRUE(ip_shows("inet6 2001:db8::10/128 scope global"));

  ASSERT_TRUE(netlink_->remove_address(ifindex_, host_vip));
  ASSERT_TRUE(netlink_->remove_address(ifindex_, subnet_vip));
  EXPECT_FALSE(listed("2001:db8::10/128"));
  EXPECT_FALSE(ip_shows("2001:db8::1"));
  EXPECT_TRUE(netlink_->remove_address(ifindex_, host_vip));
}

TEST_F(NetlinkNetns, PrimaryAddressSkipsVipsAndIpv6IsLinkLocal) {
  auto vip = *IpAddress::parse("192.0.2.10");
  // The VIP first, so it is listed before the real address.
  ASSERT_TRUE(netlink_->add_address(ifindex_, IpPrefix{vip, 32}));
  ASSERT_TRUE(netlink_->add_address(ifindex_, *IpPrefix::parse("192.0.2.1/24")));
  std::vector<IpAddress> vips{vip};
  auto primary = netlink_->primary_address(ifindex_, Family::V4, vips);
  ASSERT_TRUE(primary) << primary.error().describe();
  EXPECT_EQ(*primary, *IpAddress::parse("192.0.2.1"));

  ASSERT_TRUE(netlink_->add_address(ifindex_, *IpPrefix::parse("2001:db8::1/64")));
  auto v6 = netlink_->primary_address(ifindex_, Family::V6);
  ASSERT_TRUE(v6) << v6.error().describe();
  EXPECT_TRUE(v6->is_ipv6_link_local()) << v6->to_string();
}

TEST_F(NetlinkNetns, PrimaryAddressFailsWhenOnlyVipsAreThere) {
  auto vip = *IpAddress::parse("192.0.2.10");
  ASSERT_TRUE(netlink_->add_address(ifindex_, IpPrefix{vip, 32}));
  std::vector<IpAddress> vips{vip};
  auto primary = netlink_->primary_address(ifindex_, Family::V4, vips);
  ASSERT_FALSE(primary);
  EXPECT_EQ(primary.error().errnum, EADDRNOTAVAIL);
}

TEST_F(NetlinkNetns, ReadsLinkNameMacAndState) {
  auto name = netlink_->interface_name(ifindex_);
  ASSERT_TRUE(name) << name.error().describe();
  EXPECT_EQ(*name, "kvd0");
  auto mac = netlink_->mac_address(ifindex_);
  ASSERT_TRUE(mac);
  EXPECT_EQ(*mac, kLinkMac);
  auto up = netlink_->link_is_up(ifindex_);
  ASSERT_TRUE(up);
  EXPECT_TRUE(*up);

  ASSERT_TRUE(ns_->ip("link set kvd0 down"));
  up = netlink_->link_is_up(ifindex_);
  ASSERT_TRUE(up);
  EXPECT_FALSE(*up);
}

TEST_F(NetlinkNetns, ReportsMissingInterfacesWithErrno) {
  auto index = netlink_->interface_index("kvnosuch0");
  ASSERT_FALSE(index);
  EXPECT_EQ(index.error().errnum, ENODEV);
  EXPECT_NE(index.error().describe().find("kvnosuch0"), std::string::npos);

  auto added = netlink_->add_address(9999, *IpPrefix::parse("192.0.2.10/32"));
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().errnum, ENODEV);
  EXPECT_NE(added.error().describe().find("192.0.2.10/32"), std::string::npos);

  auto name = netlink_->interface_name(9999);
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().errnum, ENODEV);

  EXPECT_FALSE(netlink_->interface_index("a-name-far-too-long-for-linux"));
}

}  // namespace
}  // namespace keepvip::net
