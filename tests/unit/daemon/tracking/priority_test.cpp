#include "daemon/tracking/priority.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

TrackedObject obj(std::string d, bool up, int weight, bool reverse = false) {
  TrackedObject o;
  o.description = std::move(d);
  o.up = up;
  o.weight = weight;
  o.reverse = reverse;
  return o;
}

TEST(EffectivePriority, NothingTrackedIsTheConfiguredPriority) {
  auto v = effective_priority(100, {});
  EXPECT_EQ(v.priority, 100);
  EXPECT_FALSE(v.faulted());
}

TEST(EffectivePriority, PositiveWeightCountsWhileUp) {
  EXPECT_EQ(effective_priority(100, {obj("script a", true, 10)}).priority, 110);
  EXPECT_EQ(effective_priority(100, {obj("script a", false, 10)}).priority, 100);
}

TEST(EffectivePriority, NegativeWeightCountsWhileDown) {
  // The seed's httpd_check: weight -20.
  EXPECT_EQ(effective_priority(100, {obj("script httpd_check", true, -20)}).priority, 100);
  EXPECT_EQ(effective_priority(100, {obj("script httpd_check", false, -20)}).priority, 80);
}

TEST(EffectivePriority, WeightsAddUp) {
  auto v =
      effective_priority(150, {obj("script a", false, -30), obj("unit httpd.service", false, -60),
                               obj("script b", true, 5)});
  EXPECT_EQ(v.priority, 65);
}

TEST(EffectivePriority, ZeroWeightDownIsAFault) {
  auto v = effective_priority(100, {obj("interface eth1", false, 0), obj("script a", true, 0)});
  EXPECT_TRUE(v.faulted());
  ASSERT_EQ(v.fault_reasons.size(), 1u);
  EXPECT_EQ(v.fault_reasons[0], "interface eth1 down");
  EXPECT_EQ(v.priority, 100);
}

// keepalived 2.2.7 (vrrp_track.c, process_script_update_priority): reverse
// negates the weight, applied under the same condition.
TEST(EffectivePriority, ReverseNegatesTheWeightAsKeepalivedDoes) {
  EXPECT_EQ(effective_priority(100, {obj("script a", true, -20, true)}).priority, 100);
  EXPECT_EQ(effective_priority(100, {obj("script a", false, -20, true)}).priority, 120);
  EXPECT_EQ(effective_priority(100, {obj("script a", true, 20, true)}).priority, 80);
  EXPECT_EQ(effective_priority(100, {obj("script a", false, 20, true)}).priority, 100);
}

TEST(EffectivePriority, ReverseWithWeightZeroMakesUpTheFault) {
  auto up = effective_priority(100, {obj("script a", true, 0, true)});
  EXPECT_TRUE(up.faulted());
  EXPECT_EQ(up.fault_reasons, std::vector<std::string>{"script a up (reverse)"});
  EXPECT_FALSE(effective_priority(100, {obj("script a", false, 0, true)}).faulted());
}

TEST(EffectivePriority, ClampsToOneAnd254) {
  EXPECT_EQ(effective_priority(10, {obj("s", false, -100)}).priority, 1);
  EXPECT_EQ(effective_priority(250, {obj("s", true, 100)}).priority, 254);
}

TEST(EffectivePriority, AddressOwnerStaysAt255) {
  EXPECT_EQ(effective_priority(255, {obj("s", false, -100)}).priority, 255);
}

}  // namespace
}  // namespace keepvip::daemon
