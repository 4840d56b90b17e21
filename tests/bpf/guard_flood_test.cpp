// Floods must not turn the guard against the routers that matter: the
// master keepvipd follows is never rate-limited, and spoofed sources cannot
// evict the rows of configured unicast peers and current masters.
#include "drop_names.h"
#include "guard_fixture.h"
#include "packet_builder.h"

namespace keepvip::test {
namespace {

class GuardFloodTest : public GuardFixture {};

Vrrp v2() {
  return Vrrp{.password = "secret"};
}

TEST_F(GuardFloodTest, TheFollowedMasterIsNeverRateLimited) {
  auto frame = PacketBuilder().ipv4("192.0.2.60").vrrp(v2()).build();
  ASSERT_TRUE(guard_->set_master(kIfindex, 51, Family::V4, *IpAddress::parse("192.0.2.60")));
  EXPECT_EQ(run(Program::Xdp, frame, 200), Verdict::Pass);
  auto row = router(51, "192.0.2.60");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->adverts, 200u);
  EXPECT_TRUE(row->drops.empty());

  // Once it is no longer the master, its bucket applies again.
  ASSERT_TRUE(guard_->set_master(kIfindex, 51, Family::V4, std::nullopt));
  EXPECT_EQ(run(Program::Xdp, frame, 200), Verdict::Drop);
  EXPECT_GT(testing::by_name(router(51, "192.0.2.60")->drops).at("rate-limit"), 100u);
}

// What forged adverts cost: only those that pass every check take a token.
TEST_F(GuardFloodTest, AdvertsThatFailAChecksAreNotCharged) {
  auto forged =
      PacketBuilder().ipv4("192.0.2.61").vrrp({.vips = {"192.0.2.99"}, .password = "secret"});
  run(Program::Xdp, forged.build(), 500);
  EXPECT_EQ(run(Program::Xdp, PacketBuilder().ipv4("192.0.2.61").vrrp(v2()).build()), Verdict::Pass)
      << "500 adverts with a wrong address list drained the source's bucket";
  auto row = router(51, "192.0.2.61");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->adverts, 1u);
  EXPECT_EQ(testing::by_name(row->drops),
            (std::map<std::string, uint64_t>{{"address-list-mismatch", 500}}));
}

TEST_F(GuardFloodTest, SpoofedSourcesDoNotEvictPeersAndMasters) {
  // A configured unicast peer of VRID 81 and the master VRID 51 follows,
  // each seen once before the flood.
  ASSERT_TRUE(guard_->set_master(kIfindex, 51, Family::V4, *IpAddress::parse("192.0.2.62")));
  run(Program::Xdp, PacketBuilder().ipv4("192.0.2.62").vrrp(v2()).build());
  run(Program::Xdp, PacketBuilder()
                        .ipv4("192.0.2.51", "192.0.2.50")
                        .vrrp({.vrid = 81, .vips = {"192.0.2.30"}})
                        .build());
  ASSERT_EQ(router(51, "192.0.2.62")->adverts, 1u);
  ASSERT_EQ(router(81, "192.0.2.51")->adverts, 1u);

  // 6000 forged sources, more than the LRU map holds (KV_MAX_ROUTERS 4096).
  for (int i = 0; i < 6000; ++i) {
    std::string source = "10." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ".1";
    run(Program::Xdp, PacketBuilder().ipv4(source).vrrp(v2()).build());
  }
  auto master = router(51, "192.0.2.62");
  auto peer = router(81, "192.0.2.51");
  ASSERT_TRUE(master) << "the followed master's row was evicted";
  ASSERT_TRUE(peer) << "the unicast peer's row was evicted";
  EXPECT_EQ(master->adverts, 1u);
  EXPECT_EQ(peer->adverts, 1u);

  // A master that changes takes its counters along, and the old one's row
  // goes back to the evictable map with its own.
  ASSERT_TRUE(guard_->set_master(kIfindex, 51, Family::V4, *IpAddress::parse("192.0.2.63")));
  EXPECT_EQ(router(51, "192.0.2.62")->adverts, 1u);
}

}  // namespace
}  // namespace keepvip::test
