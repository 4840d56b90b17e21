// Two VrrpSockets in two namespaces joined by a veth pair exchange VRRP
// payloads: v2 over IPv4 multicast, v3 over IPv6 multicast, unicast with a
// chosen source. Payload bytes are opaque to the socket layer, so they are
// written by hand here (the codec has its own tests).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "net/vrrp_socket.h"
#include "netns_lab.h"

namespace keepvip::net {
namespace {

using namespace std::chrono_literals;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

// RFC 1071 sum over a pseudo-header and message; 0xffff when the checksum in
// the message is right.
uint32_t ones_complement_sum(const std::vector<uint8_t>& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i < data.size(); i += 2)
    sum += static_cast<uint32_t>(data[i] << 8 | (i + 1 < data.size() ? data[i + 1] : 0));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

// VRRPv2: version 2 / type 1, VRID 51, priority 100, 1 address, no auth,
// interval 1 s, checksum (not checked by the socket), 192.0.2.100, 8 auth bytes.
const std::vector<uint8_t> kV2Advert = {0x21, 51,  100, 1, 0, 1, 0x12, 0x34, 192, 0,
                                        2,    100, 0,   0, 0, 0, 0,    0,    0,   0};
// VRRPv3: version 3 / type 1, VRID 52, priority 200, 1 address, interval 100
// cs, checksum left 0 (the kernel fills it: IPV6_CHECKSUM), 2001:db8::100.
const std::vector<uint8_t> kV3Advert = {0x31, 52,   200,  1, 0x00, 100, 0,    0,   0x20,
                                        0x01, 0x0d, 0xb8, 0, 0,    0,   0,    0,   0,
                                        0,    0,    0,    0, 0,    0,   0x01, 0x00};

class VrrpSocketNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::netns_unavailable_reason()) GTEST_SKIP() << *why;
    lab_.emplace();
    ASSERT_TRUE(lab_->error.empty()) << lab_->error;
  }

  std::optional<VrrpSocket> open_in(const testing::Netns& ns, int ifindex, Family family,
                                    VrrpSocketOptions options = {}) {
    std::optional<VrrpSocket> socket;
    ns.inside([&] {
      auto opened = VrrpSocket::open(ifindex, family, options);
      EXPECT_TRUE(opened) << opened.error().describe();
      if (opened) socket.emplace(std::move(*opened));
    });
    return socket;
  }

  // The next packet on `socket` within 3 s.
  std::optional<Received> next(VrrpSocket& socket) {
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!testing::wait_readable(socket.fd(), 100ms)) continue;
      auto r = socket.receive();
      EXPECT_TRUE(r) << r.error().describe();
      if (r && *r) return std::move(**r);
    }
    return std::nullopt;
  }

  std::optional<testing::TwoHosts> lab_;
};

TEST_F(VrrpSocketNetns, V2OverIpv4MulticastArrivesWithTtl255) {
  auto a = open_in(lab_->a, lab_->ifindex_a, Family::V4);
  auto b = open_in(lab_->b, lab_->ifindex_b, Family::V4);
  ASSERT_TRUE(a && b);
  auto sent = a->send(kV2Advert, ip("224.0.0.18"));
  ASSERT_TRUE(sent) << sent.error().describe();

  auto got = next(*b);
  ASSERT_TRUE(got) << "nothing received in 3 s";
  EXPECT_EQ(got->meta.family, Family::V4);
  EXPECT_EQ(got->meta.ttl, 255);
  EXPECT_EQ(got->meta.source, ip("192.0.2.1"));
  EXPECT_EQ(got->meta.destination, ip("224.0.0.18"));
  EXPECT_EQ(got->payload, kV2Advert);

  // Multicast loop is off: the sender does not hear itself.
  auto own = a->receive();
  ASSERT_TRUE(own);
  EXPECT_FALSE(*own);
}

TEST_F(VrrpSocketNetns, V3OverIpv6MulticastArrivesWithHopLimit255AndKernelChecksum) {
  auto a = open_in(lab_->a, lab_->ifindex_a, Family::V6);
  auto b = open_in(lab_->b, lab_->ifindex_b, Family::V6);
  ASSERT_TRUE(a && b);
  auto group = ip("ff02::12");
  auto sent = a->send(kV3Advert, group);
  ASSERT_TRUE(sent) << sent.error().describe();

  auto got = next(*b);
  ASSERT_TRUE(got) << "nothing received in 3 s";
  EXPECT_EQ(got->meta.family, Family::V6);
  EXPECT_EQ(got->meta.ttl, 255);
  EXPECT_EQ(got->meta.source, lab_->link_local_a);
  EXPECT_EQ(got->meta.destination, group);
  ASSERT_EQ(got->payload.size(), kV3Advert.size());
  // Everything but the checksum is as sent...
  auto without_checksum = [](std::vector<uint8_t> p) {
    p[6] = p[7] = 0;
    return p;
  };
  EXPECT_EQ(without_checksum(got->payload), kV3Advert);
  // ...and the checksum is the RFC 5798 one over the IPv6 pseudo-header.
  std::vector<uint8_t> pseudo;
  auto src = got->meta.source.bytes();
  auto dst = group.bytes();
  pseudo.insert(pseudo.end(), src.begin(), src.end());
  pseudo.insert(pseudo.end(), dst.begin(), dst.end());
  pseudo.insert(pseudo.end(), {0, 0, 0, static_cast<uint8_t>(kV3Advert.size()), 0, 0, 0, 112});
  pseudo.insert(pseudo.end(), got->payload.begin(), got->payload.end());
  EXPECT_EQ(ones_complement_sum(pseudo), 0xffffu);

  auto own = a->receive();
  ASSERT_TRUE(own);
  EXPECT_FALSE(*own);
}

// The daemon always names the source (the primary address it computed the
// v3 checksum with), on multicast too.
TEST_F(VrrpSocketNetns, MulticastWithAnExplicitSourceKeepsIt) {
  ASSERT_TRUE(lab_->a.ip("addr add 192.0.2.11/24 dev kva"));
  auto a4 = open_in(lab_->a, lab_->ifindex_a, Family::V4);
  auto b4 = open_in(lab_->b, lab_->ifindex_b, Family::V4);
  auto a6 = open_in(lab_->a, lab_->ifindex_a, Family::V6);
  auto b6 = open_in(lab_->b, lab_->ifindex_b, Family::V6);
  ASSERT_TRUE(a4 && b4 && a6 && b6);

  auto sent = a4->send(kV2Advert, ip("224.0.0.18"), ip("192.0.2.11"));
  ASSERT_TRUE(sent) << sent.error().describe();
  auto got = next(*b4);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->meta.source, ip("192.0.2.11"));
  EXPECT_EQ(got->meta.destination, ip("224.0.0.18"));
  EXPECT_EQ(got->meta.ttl, 255);

  sent = a6->send(kV3Advert, ip("ff02::12"), lab_->link_local_a);
  ASSERT_TRUE(sent) << sent.error().describe();
  got = next(*b6);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->meta.source, lab_->link_local_a);
  EXPECT_EQ(got->meta.destination, ip("ff02::12"));
  EXPECT_EQ(got->meta.ttl, 255);
}

TEST_F(VrrpSocketNetns, UnicastIpv4UsesTheChosenSource) {
  ASSERT_TRUE(lab_->a.ip("addr add 192.0.2.11/24 dev kva"));
  auto a = open_in(lab_->a, lab_->ifindex_a, Family::V4,
                   {.multicast = false, .source = ip("192.0.2.11")});
  auto b =
      open_in(lab_->b, lab_->ifindex_b, Family::V4, {.multicast = false, .source = std::nullopt});
  ASSERT_TRUE(a && b);
  auto sent = a->send(kV2Advert, ip("192.0.2.2"));
  ASSERT_TRUE(sent) << sent.error().describe();

  auto got = next(*b);
  ASSERT_TRUE(got) << "nothing received in 3 s";
  EXPECT_EQ(got->meta.source, ip("192.0.2.11"));
  EXPECT_EQ(got->meta.destination, ip("192.0.2.2"));
  EXPECT_EQ(got->meta.ttl, 255);
  EXPECT_EQ(got->payload, kV2Advert);

  // A per-packet source overrides the socket's default.
  ASSERT_TRUE(a->send(kV2Advert, ip("192.0.2.2"), ip("192.0.2.1")));
  got = next(*b);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->meta.source, ip("192.0.2.1"));
}

TEST_F(VrrpSocketNetns, UnicastIpv6UsesTheChosenGlobalSource) {
  ASSERT_TRUE(lab_->a.ip("addr add 2001:db8::1/64 dev kva nodad"));
  ASSERT_TRUE(lab_->b.ip("addr add 2001:db8::2/64 dev kvb nodad"));
  auto a = open_in(lab_->a, lab_->ifindex_a, Family::V6,
                   {.multicast = false, .source = ip("2001:db8::1")});
  auto b =
      open_in(lab_->b, lab_->ifindex_b, Family::V6, {.multicast = false, .source = std::nullopt});
  ASSERT_TRUE(a && b);
  auto sent = a->send(kV3Advert, ip("2001:db8::2"));
  ASSERT_TRUE(sent) << sent.error().describe();

  auto got = next(*b);
  ASSERT_TRUE(got) << "nothing received in 3 s";
  EXPECT_EQ(got->meta.source, ip("2001:db8::1"));
  EXPECT_EQ(got->meta.destination, ip("2001:db8::2"));
  EXPECT_EQ(got->meta.ttl, 255);
}

TEST_F(VrrpSocketNetns, RefusesAddressesOfTheOtherFamily) {
  auto a = open_in(lab_->a, lab_->ifindex_a, Family::V4);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->send(kV2Advert, ip("ff02::12")));
  EXPECT_FALSE(a->send(kV2Advert, ip("224.0.0.18"), ip("2001:db8::1")));
  lab_->a.inside([&] {
    EXPECT_FALSE(VrrpSocket::open(lab_->ifindex_a, Family::V4, {.source = ip("2001:db8::1")}));
  });
}

TEST_F(VrrpSocketNetns, ReceiveReturnsNothingWhenIdle) {
  auto b = open_in(lab_->b, lab_->ifindex_b, Family::V4);
  ASSERT_TRUE(b);
  auto r = b->receive();
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_FALSE(*r);
}

}  // namespace
}  // namespace keepvip::net
