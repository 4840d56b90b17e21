// Which addresses accept mode drops: keepalived's vrrp_handle_accept_mode
// (none with accept or as the address owner) and nft_update_ipv6_address
// (how a link-local VIP is matched with its interface).
#include "daemon/instances/drop_rules.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

class DropRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_.instance.name = "VI_1";
    spec_.instance.interface = "eth0";
    spec_.instance.accept = false;
    spec_.placement.ifindex = 2;
  }
  void vip(const char* text, std::string dev = "") {
    spec_.instance.virtual_addresses.push_back({*IpPrefix::parse(text), std::move(dev), "", {}});
  }
  std::vector<ports::DroppedAddress> dropped() {
    return dropped_addresses(spec_, [](const std::string& name) -> std::optional<int> {
      if (name == "eth1") return 3;
      return std::nullopt;
    });
  }
  InstanceSpec spec_;
};

TEST_F(DropRulesTest, WithoutAcceptEveryVipAndExcludedVipIsDropped) {
  vip("192.0.2.100/24");
  spec_.instance.excluded_addresses.push_back({*IpPrefix::parse("192.0.2.200/32"), "", "", {}});
  auto out = dropped();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].address, *IpAddress::parse("192.0.2.100"));
  EXPECT_EQ(out[1].address, *IpAddress::parse("192.0.2.200"));
  EXPECT_EQ(out[0].ifindex, 0);
}

TEST_F(DropRulesTest, AcceptOrTheAddressOwnerDropsNothing) {
  vip("192.0.2.100");
  spec_.instance.accept = true;
  EXPECT_TRUE(dropped().empty());
  spec_.instance.accept = false;
  spec_.instance.priority = 255;
  EXPECT_TRUE(dropped().empty());
}

TEST_F(DropRulesTest, LinkLocalVipsAreMatchedWithTheirInterface) {
  vip("fe80::100/64");
  vip("fe80::101/64", "eth1");
  vip("fe80::102/64", "gone0");  // not there: nothing to match it with
  vip("2001:db8::100/64");
  auto out = dropped();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].ifindex, 2);
  EXPECT_FALSE(out[0].by_name);
  EXPECT_EQ(out[1].ifindex, 3);
  EXPECT_EQ(out[2].ifindex, 0);
}

// keepalived matches by name only with dont_track_primary, for addresses on
// the instance's own interface, unless nftables_ifindex says otherwise.
TEST_F(DropRulesTest, DontTrackPrimaryMatchesOwnLinkLocalVipsByName) {
  vip("fe80::100/64");
  vip("fe80::101/64", "eth1");
  spec_.instance.dont_track_primary = true;
  auto out = dropped();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].by_name);
  EXPECT_EQ(out[0].ifname, "eth0");
  EXPECT_FALSE(out[1].by_name);
  spec_.global.nftables.ifindex = true;
  EXPECT_FALSE(dropped()[0].by_name);
}

}  // namespace
}  // namespace keepvip::daemon
