// LinkMonitor against a real kernel: link down/up, carrier loss on a veth,
// address changes.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "net/netlink.h"
#include "netns_lab.h"

namespace keepvip::net {
namespace {

using namespace std::chrono_literals;
using testing::Netns;

class LinkMonitorNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::netns_unavailable_reason()) GTEST_SKIP() << *why;
    ns_.emplace("mon");
    ASSERT_TRUE(ns_->created());
    // veth only: the kernel may lack the dummy driver.
    ASSERT_TRUE(ns_->ip("link add kvd0 type veth peer name kvd1"));
    ASSERT_TRUE(ns_->ip("link add kvv0 type veth peer name kvv1"));
    ASSERT_TRUE(ns_->ip("link set kvd0 up"));
    ASSERT_TRUE(ns_->ip("link set kvd1 up"));
    ASSERT_TRUE(ns_->ip("link set kvv0 up"));
    ASSERT_TRUE(ns_->ip("link set kvv1 up"));
    ns_->inside([&] {
      auto opened = LinkMonitor::open();
      if (opened) monitor_.emplace(std::move(*opened));
      auto nl = Netlink::open();
      if (nl) netlink_.emplace(std::move(*nl));
    });
    ASSERT_TRUE(monitor_ && netlink_);
  }

  int index(const char* name) { return netlink_->interface_index(name).value_or(-1); }

  // Drains events until one for `ifindex` says `up`, for at most 3 s.
  bool saw_link(int ifindex, bool up) {
    auto deadline = std::chrono::steady_clock::now() + 3s;
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() < deadline) {
      if (!testing::wait_readable(monitor_->fd(), 100ms)) continue;
      auto drained = monitor_->drain([&](const LinkEvent& e) {
        if (e.ifindex == ifindex && e.up == up) seen = true;
      });
      EXPECT_TRUE(drained) << drained.error().describe();
    }
    return seen;
  }

  std::optional<Netns> ns_;
  std::optional<LinkMonitor> monitor_;
  std::optional<Netlink> netlink_;
};

TEST_F(LinkMonitorNetns, SeesALinkGoDownAndComeBack) {
  int kvd0 = index("kvd0");
  ASSERT_GT(kvd0, 0);
  ASSERT_TRUE(ns_->ip("link set kvd0 down"));
  EXPECT_TRUE(saw_link(kvd0, false));
  ASSERT_TRUE(ns_->ip("link set kvd0 up"));
  EXPECT_TRUE(saw_link(kvd0, true));
}

TEST_F(LinkMonitorNetns, CarrierLossIsDownThoughAdministrativelyUp) {
  int kvv0 = index("kvv0");
  ASSERT_GT(kvv0, 0);
  // Taking the peer down removes kvv0's carrier; kvv0 itself stays UP.
  ASSERT_TRUE(ns_->ip("link set kvv1 down"));
  EXPECT_TRUE(saw_link(kvv0, false));
  auto up = netlink_->link_is_up(kvv0);
  ASSERT_TRUE(up);
  EXPECT_FALSE(*up);
  ASSERT_TRUE(ns_->ip("link set kvv1 up"));
  EXPECT_TRUE(saw_link(kvv0, true));
}

TEST_F(LinkMonitorNetns, ReportsAddressesAddedAndRemoved) {
  int kvd0 = index("kvd0");
  auto vip = *IpPrefix::parse("192.0.2.20/32");
  std::optional<AddressEvent> added, removed;
  auto watch = [&](std::optional<AddressEvent>& slot) {
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (!slot && std::chrono::steady_clock::now() < deadline) {
      if (!testing::wait_readable(monitor_->fd(), 100ms)) continue;
      auto drained = monitor_->drain({}, [&](const AddressEvent& e) {
        if (e.ifindex == kvd0 && e.prefix == vip) slot = e;
      });
      EXPECT_TRUE(drained);
    }
  };
  ASSERT_TRUE(netlink_->add_address(kvd0, vip));
  watch(added);
  ASSERT_TRUE(added);
  EXPECT_TRUE(added->added);
  ASSERT_TRUE(netlink_->remove_address(kvd0, vip));
  watch(removed);
  ASSERT_TRUE(removed);
  EXPECT_FALSE(removed->added);
}

TEST_F(LinkMonitorNetns, DrainDoesNotBlockWhenNothingIsPending) {
  // Flush what is queued; the next drain must return at once, not wait.
  ASSERT_TRUE(monitor_->drain([](const LinkEvent&) {}));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(monitor_->drain([](const LinkEvent&) {}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
}

}  // namespace
}  // namespace keepvip::net
