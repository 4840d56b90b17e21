// What configure() and the egress counter do to the maps, seen through the
// programs: a reload forgets dropped instances; we count only our own sends.
#include <bpf/bpf.h>
#include <linux/pkt_cls.h>

#include "guard_fixture.h"
#include "packet_builder.h"

namespace keepvip::test {
namespace {

class GuardConfigTest : public GuardFixture {};

TEST_F(GuardConfigTest, ReloadWithoutAnInstanceLetsItsTrafficPassUntouched) {
  auto ttl64 = PacketBuilder().ipv4("192.0.2.77").ttl(64).vrrp({.password = "secret"}).build();
  EXPECT_EQ(run(Program::Xdp, ttl64), Verdict::Drop);
  auto all = instances();
  all.erase(all.begin());  // VRID 51 goes away
  ASSERT_TRUE(guard_->configure(all));
  EXPECT_EQ(run(Program::Xdp, ttl64), Verdict::Pass);
  // The instances still configured keep working.
  EXPECT_EQ(run(Program::Xdp, PacketBuilder()
                                  .ipv4("192.0.2.79")
                                  .ttl(64)
                                  .vrrp({.version = 3, .vrid = 61, .vips = {"192.0.2.20"}})
                                  .build()),
            Verdict::Drop);
}

// Never half a configuration: one the maps cannot hold leaves the guard
// with none (every packet passes untouched), not with a mix of old and new.
TEST_F(GuardConfigTest, ConfigurationTooLargeForTheMapsLeavesNoneInPlace) {
  auto ttl64 = PacketBuilder().ipv4("192.0.2.77").ttl(64).vrrp({.password = "secret"}).build();
  ASSERT_EQ(run(Program::Xdp, ttl64), Verdict::Drop);
  auto huge = instances();
  ports::GuardInstance extra = huge.back();
  for (int ifindex = 2; huge.size() < 300; ++ifindex) {  // the maps hold 256 (KV_MAX_INSTANCES)
    extra.ifindex = ifindex;
    huge.push_back(extra);
  }
  auto r = guard_->configure(huge);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("too large for the guard"), std::string::npos)
      << r.error().describe();
  EXPECT_EQ(run(Program::Xdp, ttl64), Verdict::Pass) << "no half-applied filtering";
  ASSERT_TRUE(guard_->configure(instances())) << "a configuration that fits applies again";
  EXPECT_EQ(run(Program::Xdp, ttl64), Verdict::Drop);
}

TEST_F(GuardConfigTest, ReloadForgetsTheRoutersOfDroppedInstances) {
  run(Program::Xdp, PacketBuilder().ipv4("192.0.2.7").vrrp({.password = "secret"}).build());
  run(Program::Xdp, PacketBuilder()
                        .ipv4("192.0.2.8")
                        .vrrp({.version = 3, .vrid = 61, .vips = {"192.0.2.20"}})
                        .build());
  ASSERT_TRUE(router(51, "192.0.2.7"));
  ASSERT_TRUE(router(61, "192.0.2.8"));
  auto all = instances();
  all.erase(all.begin());  // VRID 51 goes away
  ASSERT_TRUE(guard_->configure(all));
  EXPECT_FALSE(router(51, "192.0.2.7"));
  EXPECT_TRUE(router(61, "192.0.2.8")) << "a kept instance keeps its routers";
}

TEST_F(GuardConfigTest, DetachForgetsTheInterfacesRouters) {
  run(Program::Xdp, PacketBuilder().ipv4("192.0.2.7").vrrp({.password = "secret"}).build());
  ASSERT_TRUE(router(51, "192.0.2.7")) << "an accepted advert makes a router row";
  guard_->detach(kIfindex + 1);  // another interface: nothing of ours
  EXPECT_TRUE(router(51, "192.0.2.7"));
  guard_->detach(kIfindex);
  EXPECT_FALSE(router(51, "192.0.2.7")) << "rows of a left interface would freeze in --stats";
}

TEST_F(GuardConfigTest, EgressCountsOnlyOurAdverts) {
  auto send = [&](const std::vector<uint8_t>& frame) {
    bpf_test_run_opts opts{};
    opts.sz = sizeof(opts);
    opts.data_in = frame.data();
    opts.data_size_in = static_cast<uint32_t>(frame.size());
    ASSERT_EQ(bpf_prog_test_run_opts(guard_->tc_egress_program_fd(), &opts), 0);
    // Never drops, and lets the filters after it run (TC_ACT_OK would not).
    EXPECT_EQ(static_cast<int>(opts.retval), TC_ACT_UNSPEC) << "egress never drops";
  };
  auto ours = PacketBuilder().ipv4("192.0.2.50").vrrp({.password = "secret"}).build();
  send(ours);
  send(ours);
  send(PacketBuilder().ipv4("192.0.2.50").vrrp({.vrid = 99}).build());  // a keepalived beside us
  send(PacketBuilder()
           .ipv6("fe80::50")
           .vrrp({.version = 3, .vrid = 71, .vips = {"2001:db8::10"}})
           .build());
  auto sent = guard_->sent_counters();
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& s : sent) {
    EXPECT_EQ(s.ifindex, kIfindex);
    if (s.vrid == 51) {
      EXPECT_EQ(s.family, Family::V4);
      EXPECT_EQ(s.sent, 2u);
    } else {
      EXPECT_EQ(s.vrid, 71);
      EXPECT_EQ(s.family, Family::V6);
      EXPECT_EQ(s.sent, 1u);
    }
  }
}

}  // namespace
}  // namespace keepvip::test
