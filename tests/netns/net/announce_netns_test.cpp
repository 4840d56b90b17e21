// The Announcer in namespace a; a packet socket on the peer end of the veth
// in namespace b captures what arrives.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "net/announce.h"
#include "netns_lab.h"

namespace keepvip::net {
namespace {

using namespace std::chrono_literals;
using Frame = std::vector<uint8_t>;

class AnnounceNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::netns_unavailable_reason()) GTEST_SKIP() << *why;
    lab_.emplace();
    ASSERT_TRUE(lab_->error.empty()) << lab_->error;
    // Both sockets are opened inside a: interface indexes are per namespace.
    lab_->a.inside([&] {
      auto nl = Netlink::open();
      if (!nl) return;
      netlink_.emplace(std::move(*nl));
      auto announcer = Announcer::open(*netlink_);
      EXPECT_TRUE(announcer) << announcer.error().describe();
      if (announcer) announcer_.emplace(std::move(*announcer));
    });
    ASSERT_TRUE(netlink_ && announcer_);
    lab_->b.inside(
        [&] { capture_.reset(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL))); });
    ASSERT_TRUE(capture_.valid());
    sockaddr_ll where{};
    where.sll_family = AF_PACKET;
    where.sll_protocol = htons(ETH_P_ALL);
    where.sll_ifindex = lab_->ifindex_b;
    ASSERT_EQ(::bind(capture_.get(), reinterpret_cast<sockaddr*>(&where), sizeof where), 0);
  }

  // The first incoming frame on kvb that `wanted` accepts, within 3 s.
  std::optional<Frame> capture(const std::function<bool(const Frame&)>& wanted) {
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!testing::wait_readable(capture_.get(), 100ms)) continue;
      Frame frame(2048);
      sockaddr_ll from{};
      socklen_t from_len = sizeof from;
      ssize_t n = ::recvfrom(capture_.get(), frame.data(), frame.size(), 0,
                             reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
      frame.resize(static_cast<size_t>(n));
      if (wanted(frame)) return frame;
    }
    return std::nullopt;
  }

  static uint16_t ether_type(const Frame& f) {
    return f.size() >= 14 ? static_cast<uint16_t>(f[12] << 8 | f[13]) : 0;
  }

  std::optional<testing::TwoHosts> lab_;
  std::optional<Netlink> netlink_;
  std::optional<Announcer> announcer_;
  UniqueFd capture_;
};

TEST_F(AnnounceNetns, GratuitousArpReachesThePeer) {
  auto vip = *IpAddress::parse("192.0.2.100");
  auto sent = announcer_->announce(lab_->ifindex_a, vip);
  ASSERT_TRUE(sent) << sent.error().describe();
  auto frame = capture([](const Frame& f) { return ether_type(f) == 0x0806; });
  ASSERT_TRUE(frame) << "no ARP frame on the peer in 3 s";
  EXPECT_EQ(*frame, build_garp_frame(testing::TwoHosts::kMacA, vip));
}

TEST_F(AnnounceNetns, UnsolicitedNeighbourAdvertReachesThePeer) {
  auto vip = *IpAddress::parse("2001:db8::100");
  auto sent = announcer_->announce(lab_->ifindex_a, vip);
  ASSERT_TRUE(sent) << sent.error().describe();
  // Link-up also sends router solicitations and MLD reports: pick the NA (ICMPv6 136).
  auto frame = capture([](const Frame& f) {
    return ether_type(f) == 0x86dd && f.size() > 54 && f[20] == 58 && f[54] == 136;
  });
  ASSERT_TRUE(frame) << "no neighbour advertisement on the peer in 3 s";
  EXPECT_EQ(*frame, build_unsolicited_na_frame(testing::TwoHosts::kMacA, vip));
}

TEST_F(AnnounceNetns, FailsClearlyOnAMissingInterface) {
  auto sent = announcer_->announce(9999, *IpAddress::parse("192.0.2.100"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().errnum, ENODEV);
}

}  // namespace
}  // namespace keepvip::net
