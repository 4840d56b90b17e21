// Split-brain evidence from the kernel: which frames raise which ring buffer
// event, and which normal VRRP traffic must not.
#include "drop_names.h"
#include "guard_fixture.h"
#include "packet_builder.h"

namespace keepvip::test {
namespace {

using vrrp::State;

Vrrp advert(uint8_t priority, Vrrp v = {}) {
  v.priority = priority;
  if (v.password.empty() && !v.auth_type) v.password = "secret";
  return v;
}

class GuardDetectTest : public GuardFixture, public ::testing::WithParamInterface<Program> {
 protected:
  void send(const PacketBuilder& b, int times = 1) {
    for (int i = 0; i < times; ++i) run(GetParam(), b.build());
  }
};

TEST_P(GuardDetectTest, ForeignMasterWeWouldNotYieldToKeepsComing) {
  set_role(51, Family::V4, State::Master);
  auto lower = PacketBuilder().ipv4("192.0.2.5").vrrp(advert(50));
  send(lower);
  EXPECT_TRUE(drain().empty()) << "one advert is not evidence";
  send(lower);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].vrid, 51);
  EXPECT_EQ(events[0].ifindex, kIfindex);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "foreign-master");
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("192.0.2.5"));
  EXPECT_EQ(events[0].evidence.mac, "52:54:00:00:00:02");
  EXPECT_EQ(events[0].evidence.vrid, 51);
  EXPECT_EQ(events[0].evidence.priority, 50);
  EXPECT_GT(events[0].evidence.first_seen_usec, 1'600'000'000'000'000u);  // realtime
  send(lower, 5);
  EXPECT_TRUE(drain().empty()) << "events from one source are rate-limited";
}

TEST_P(GuardDetectTest, EqualPriorityFromLowerAddressIsForeignHigherIsPreemption) {
  set_role(51, Family::V4, State::Master);  // we are 192.0.2.50, priority 100
  send(PacketBuilder().ipv4("192.0.2.40").vrrp(advert(100)), 2);
  send(PacketBuilder().ipv4("192.0.2.60").vrrp(advert(100)), 2);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("192.0.2.40"));
}

TEST_P(GuardDetectTest, NormalTrafficRaisesNothing) {
  set_role(51, Family::V4, State::Master);
  send(PacketBuilder().ipv4("192.0.2.6").vrrp(advert(200)), 3);  // preempts us: we yield
  send(PacketBuilder().ipv4("192.0.2.7").vrrp(advert(0)), 3);    // a master resigning
  send(PacketBuilder().ipv4("192.0.2.50").vrrp(advert(50)), 3);  // our own address
  set_role(61, Family::V4, State::Backup);
  send(PacketBuilder()
           .ipv4("192.0.2.8")
           .vrrp({.version = 3,
                  .vrid = 61,
                  .priority = 50,
                  .interval_cs = 50,
                  .vips = {"192.0.2.20"}}),
       3);  // a backup hears lower priorities all the time
  set_role(51, Family::V4, State::Backup);
  send(PacketBuilder().ipv4("192.0.2.9").vrrp(advert(50)), 3);
  EXPECT_TRUE(drain().empty());
}

TEST_P(GuardDetectTest, ConfigMismatchesWhileMaster) {
  set_role(51, Family::V4, State::Master);
  send(PacketBuilder().ipv4("192.0.2.21").vrrp(advert(90, {.password = "guess"})), 2);
  send(PacketBuilder().ipv4("192.0.2.22").vrrp({.version = 3, .priority = 90}), 2);
  send(PacketBuilder().ipv4("192.0.2.23").vrrp(advert(90, {.interval_cs = 300})), 2);
  auto events = drain();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "auth-mismatch");
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("192.0.2.21"));
  EXPECT_EQ(vrrp::to_string(events[1].evidence.kind), "version-mismatch");
  EXPECT_EQ(vrrp::to_string(events[2].evidence.kind), "interval-mismatch");
  // They were dropped all the same.
  EXPECT_EQ(testing::by_name(router(51, "192.0.2.21")->drops).at("auth-mismatch"), 2u);
}

TEST_P(GuardDetectTest, V3IntervalMismatchFromARouterWeDoNotYieldTo) {
  set_role(61, Family::V4, State::Master);
  send(PacketBuilder()
           .ipv4("192.0.2.24")
           .vrrp({.version = 3,
                  .vrid = 61,
                  .priority = 90,
                  .interval_cs = 100,
                  .vips = {"192.0.2.20"}}),
       2);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "interval-mismatch");
}

TEST_P(GuardDetectTest, OtherVridListingOurVipWhileMaster) {
  auto other =
      PacketBuilder()
          .ipv4("192.0.2.31")
          .vrrp(advert(100, {.vrid = 52, .vips = {"192.0.2.99", "192.0.2.10"}, .password = "x"}));
  set_role(51, Family::V4, State::Backup);
  EXPECT_EQ(run(GetParam(), other.build()), Verdict::Pass);
  EXPECT_TRUE(drain().empty()) << "only a MASTER reports it";
  set_role(51, Family::V4, State::Master);
  EXPECT_EQ(run(GetParam(), other.build()), Verdict::Pass);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].vrid, 51);  // our instance
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "vrid-mismatch");
  EXPECT_EQ(events[0].evidence.vrid, 52);  // theirs
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("192.0.2.31"));
  EXPECT_FALSE(router(52, "192.0.2.31")) << "another VRID's traffic is not counted";
}

TEST_P(GuardDetectTest, OtherVridListingOurIpv6Vip) {
  set_role(71, Family::V6, State::Master);
  send(PacketBuilder()
           .ipv6("fe80::31")
           .vrrp({.version = 3, .vrid = 72, .interval_cs = 100, .vips = {"2001:db8::10"}}));
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].vrid, 71);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "vrid-mismatch");
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("fe80::31"));
}

TEST_P(GuardDetectTest, ArpClaimingOurVip) {
  Mac rogue{0x52, 0x54, 0x00, 0xba, 0xd0, 0x01};
  Mac vmac{0x00, 0x00, 0x5e, 0x00, 0x01, 51};
  set_role(51, Family::V4, State::Backup);
  send(PacketBuilder().arp({.sender_mac = rogue}));
  EXPECT_TRUE(drain().empty()) << "a BACKUP does not own the VIP";

  set_role(51, Family::V4, State::Master);
  send(PacketBuilder().arp({.sender_mac = vmac}));  // our virtual MAC
  send(PacketBuilder().arp({.op = 1,
                            .sender_mac = rogue,
                            .sender_ip = "0.0.0.0",
                            .target_ip = "192.0.2.10"}));  // a probe asks, does not claim
  send(PacketBuilder().arp({.sender_mac = rogue, .sender_ip = "192.0.2.11"}));  // not our VIP
  EXPECT_TRUE(drain().empty());

  // A gratuitous ARP (request, sender = target = VIP) from a foreign MAC.
  EXPECT_EQ(run(GetParam(), PacketBuilder()
                                .arp({.op = 1,
                                      .sender_mac = rogue,
                                      .sender_ip = "192.0.2.10",
                                      .target_ip = "192.0.2.10"})
                                .build()),
            Verdict::Pass);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].vrid, 51);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "arp-conflict");
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("192.0.2.10"));
  EXPECT_EQ(events[0].evidence.mac, "52:54:00:ba:d0:01");
}

TEST_P(GuardDetectTest, NeighbourAdvertClaimingOurVip) {
  Mac rogue{0x52, 0x54, 0x00, 0xba, 0xd0, 0x02};
  Mac vmac{0x00, 0x00, 0x5e, 0x00, 0x02, 71};
  set_role(71, Family::V6, State::Master);
  send(PacketBuilder().ipv6("fe80::99", "ff02::1").na({.target_ll = vmac}));
  send(PacketBuilder()
           .ipv6("fe80::99", "ff02::1")
           .na({.target = "2001:db8::11", .target_ll = rogue}));
  EXPECT_TRUE(drain().empty());
  EXPECT_EQ(
      run(GetParam(), PacketBuilder().ipv6("fe80::99", "ff02::1").na({.target_ll = rogue}).build()),
      Verdict::Pass);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].vrid, 71);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "na-conflict");
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("2001:db8::10"));
  EXPECT_EQ(events[0].evidence.mac, "52:54:00:ba:d0:02");
}

TEST_P(GuardDetectTest, ArpReplyClaimingOurVip) {
  Mac rogue{0x52, 0x54, 0x00, 0xba, 0xd0, 0x06};
  set_role(51, Family::V4, State::Master);
  // A reply (op 2) from the other MAC: "192.0.2.10 is at 52:54:00:ba:d0:06".
  send(PacketBuilder().arp({.op = 2, .sender_mac = rogue}));
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "arp-conflict");
  EXPECT_EQ(events[0].evidence.mac, "52:54:00:ba:d0:06");
}

TEST_P(GuardDetectTest, RoutedNeighbourAdvertIsNoClaim) {
  Mac rogue{0x52, 0x54, 0x00, 0xba, 0xd0, 0x04};
  set_role(71, Family::V6, State::Master);
  // RFC 4861: hop limit below 255 means it came through a router, and a
  // valid NA never does.
  send(PacketBuilder().ipv6("2001:db8:1::9", "ff02::1").ttl(64).na({.target_ll = rogue}));
  EXPECT_TRUE(drain().empty());
  send(PacketBuilder().ipv6("fe80::9", "ff02::1").na({.target_ll = rogue}));
  EXPECT_EQ(drain().size(), 1u);
}

TEST_P(GuardDetectTest, TaggedClaimBelongsToTheVlanInterface) {
  Mac rogue{0x52, 0x54, 0x00, 0xba, 0xd0, 0x05};
  set_role(51, Family::V4, State::Master);
  send(PacketBuilder().vlan(10).arp({.sender_mac = rogue}));
  EXPECT_TRUE(drain().empty());
}

TEST_P(GuardDetectTest, NeighbourAdvertWithoutOptionUsesTheFrameSource) {
  set_role(71, Family::V6, State::Master);
  send(PacketBuilder()
           .src_mac({0x52, 0x54, 0x00, 0xba, 0xd0, 0x03})
           .ipv6("fe80::98", "ff02::1")
           .na({}));
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].evidence.mac, "52:54:00:ba:d0:03");
}

TEST_P(GuardDetectTest, BackupHearingTwoAlternatingMasters) {
  set_role(51, Family::V4, State::Backup);
  auto a = PacketBuilder().ipv4("192.0.2.41").vrrp(advert(100));
  auto b = PacketBuilder().ipv4("192.0.2.42").vrrp(advert(100));
  send(a);
  send(b);  // a failover or a preemption: normal
  send(a);  // a restarted master taking back: still normal
  EXPECT_TRUE(drain().empty());
  send(b);  // A, B, A, B: both are advertising
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(vrrp::to_string(events[0].evidence.kind), "two-masters");
  EXPECT_EQ(events[0].evidence.source, *IpAddress::parse("192.0.2.42"));
}

TEST_P(GuardDetectTest, BackupSeeingOneHandoverRaisesNothing) {
  set_role(51, Family::V4, State::Backup);
  send(PacketBuilder().ipv4("192.0.2.43").vrrp(advert(100)), 3);
  send(PacketBuilder().ipv4("192.0.2.44").vrrp(advert(150)), 5);
  EXPECT_TRUE(drain().empty());
}

INSTANTIATE_TEST_SUITE_P(Programs, GuardDetectTest,
                         ::testing::Values(Program::Xdp, Program::TcIngress),
                         [](const auto& param_info) {
                           return param_info.param == Program::Xdp ? std::string("Xdp")
                                                                   : std::string("TcIngress");
                         });

}  // namespace
}  // namespace keepvip::test
