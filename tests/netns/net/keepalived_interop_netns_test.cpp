// The socket layer against a real keepalived (2.2.7 on Debian 12) in
// namespace a: its adverts reach our VrrpSockets in b with the metadata the
// codec's receive checks need, and keepalived accepts what our sockets send
// (it yields to a higher priority). Skips when keepalived is not installed.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "net/vrrp_socket.h"
#include "netns_lab.h"
#include "proto/advert.h"

namespace keepvip::net {
namespace {

using namespace std::chrono_literals;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

// VRID 51: v2/IPv4, 52: v3/IPv6, 53: v3/IPv4 (pseudo-header checksum).
constexpr const char* kConfig = R"(global_defs {
  router_id kvnet_a
}
vrrp_instance V2_V4 {
  state MASTER
  interface kva
  virtual_router_id 51
  priority 150
  advert_int 1
  version 2
  virtual_ipaddress {
    192.0.2.100/32
  }
}
vrrp_instance V3_V6 {
  state MASTER
  interface kva
  virtual_router_id 52
  priority 150
  advert_int 1
  version 3
  virtual_ipaddress {
    2001:db8::100/128
  }
}
vrrp_instance V3_V4 {
  state MASTER
  interface kva
  virtual_router_id 53
  priority 150
  advert_int 1
  version 3
  virtual_ipaddress {
    192.0.2.101/32
  }
}
)";

class KeepalivedInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = testing::netns_unavailable_reason()) GTEST_SKIP() << *why;
    if (!testing::run("keepalived --version")) GTEST_SKIP() << "keepalived is not installed";
    lab_.emplace();
    ASSERT_TRUE(lab_->error.empty()) << lab_->error;
    ASSERT_FALSE(dir_.path().empty());
    std::ofstream(dir_.path() + "/keepalived.conf") << kConfig;
    keepalived_.emplace(
        std::vector<std::string>{"ip", "netns", "exec", lab_->a.name(), "keepalived", "-n", "-l",
                                 "-D", "--vrrp", "-f", dir_.path() + "/keepalived.conf", "-p",
                                 dir_.path() + "/keepalived.pid", "-r", dir_.path() + "/vrrp.pid"},
        log_path());
    ASSERT_TRUE(keepalived_->started());
    lab_->b.inside([&] {
      auto v4 = VrrpSocket::open(lab_->ifindex_b, Family::V4, {});
      auto v6 = VrrpSocket::open(lab_->ifindex_b, Family::V6, {});
      if (v4) v4_.emplace(std::move(*v4));
      if (v6) v6_.emplace(std::move(*v6));
    });
    ASSERT_TRUE(v4_ && v6_);
  }

  void TearDown() override {
    keepalived_.reset();
    if (HasFailure()) {
      std::ifstream log(log_path());
      std::cerr << "keepalived log:\n" << log.rdbuf();
    }
  }

  std::string log_path() const { return dir_.path() + "/keepalived.log"; }

  // Reads both sockets for up to `timeout`; every advert decodes or the
  // test fails. Returns the last advert of each VRID.
  std::map<uint8_t, proto::Advert> collect(std::chrono::seconds timeout, size_t wanted) {
    std::map<uint8_t, proto::Advert> seen;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (seen.size() < wanted && std::chrono::steady_clock::now() < deadline) {
      for (VrrpSocket* s : {&*v4_, &*v6_}) {
        if (!testing::wait_readable(s->fd(), 50ms)) continue;
        auto r = s->receive();
        EXPECT_TRUE(r) << r.error().describe();
        if (!r || !*r) continue;
        auto advert = proto::decode_advert((*r)->meta, (*r)->payload);
        EXPECT_TRUE(advert) << "keepalived advert rejected: " << proto::to_string(advert.error());
        if (advert) seen[advert->vrid] = *advert;
      }
    }
    return seen;
  }

  bool vip_on_a(const char* vip) {
    return lab_->a.ip(std::string("addr show dev kva | grep -q ") + vip);
  }

  std::optional<testing::TwoHosts> lab_;
  testing::TempDir dir_;
  std::optional<testing::ChildProcess> keepalived_;
  std::optional<VrrpSocket> v4_;
  std::optional<VrrpSocket> v6_;
};

TEST_F(KeepalivedInterop, ItsAdvertsArriveAndDecode) {
  auto seen = collect(8s, 3);
  ASSERT_EQ(seen.size(), 3u) << "not every keepalived instance was heard";
  EXPECT_EQ(seen[51].version, 2);
  EXPECT_EQ(seen[51].priority, 150);
  EXPECT_EQ(seen[51].addresses, std::vector<IpAddress>{ip("192.0.2.100")});
  EXPECT_EQ(seen[52].version, 3);
  EXPECT_EQ(seen[52].addresses, std::vector<IpAddress>{ip("2001:db8::100")});
  EXPECT_EQ(seen[53].version, 3);
  EXPECT_EQ(seen[53].interval_cs, 100);
  EXPECT_EQ(seen[53].addresses, std::vector<IpAddress>{ip("192.0.2.101")});
}

TEST_F(KeepalivedInterop, ItYieldsToOurHigherPriorityAdverts) {
  // Master first: its adverts flow and its VIPs are up.
  ASSERT_EQ(collect(8s, 3).size(), 3u);
  auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!(vip_on_a("192.0.2.100") && vip_on_a("2001:db8::100") && vip_on_a("192.0.2.101")) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(vip_on_a("192.0.2.100") && vip_on_a("2001:db8::100") && vip_on_a("192.0.2.101"));

  auto v4_group = proto::vrrp_multicast_group(Family::V4);
  auto v6_group = proto::vrrp_multicast_group(Family::V6);
  auto our_v4 = ip("192.0.2.2");
  auto advert = [](uint8_t version, uint8_t vrid, const char* vip) {
    proto::Advert a;
    a.version = version;
    a.vrid = vrid;
    a.priority = 200;
    a.interval_cs = 100;
    a.addresses = {ip(vip)};
    return a;
  };
  auto v2 = advert(2, 51, "192.0.2.100");
  auto v3_v6 = advert(3, 52, "2001:db8::100");
  auto v3_v4 = advert(3, 53, "192.0.2.101");
  // A priority-200 master on the wire: keepalived (150) must go BACKUP and
  // drop its VIPs. Sent every 300 ms, as a master would, within a 3 s bound.
  deadline = std::chrono::steady_clock::now() + 3s;
  bool released = false;
  while (!released && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(v4_->send(proto::encode_advert(v2, our_v4, v4_group), v4_group, our_v4));
    ASSERT_TRUE(v4_->send(proto::encode_advert(v3_v4, our_v4, v4_group), v4_group, our_v4));
    ASSERT_TRUE(v6_->send(proto::encode_advert(v3_v6, lab_->link_local_b, v6_group), v6_group));
    std::this_thread::sleep_for(300ms);
    released = !vip_on_a("192.0.2.100") && !vip_on_a("2001:db8::100") && !vip_on_a("192.0.2.101");
  }
  EXPECT_TRUE(released) << "keepalived kept a VIP: it did not accept our adverts";
  // Released because it yielded, not because it died.
  EXPECT_TRUE(keepalived_->running());
  EXPECT_TRUE(testing::run("grep -q 'Entering BACKUP STATE' " + log_path()));
}

}  // namespace
}  // namespace keepvip::net
