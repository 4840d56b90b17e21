#include "daemon/tracking/tracking.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace keepvip::daemon {
namespace {

TEST(Tracking, ResolvesWeightsAgainstTheConfig) {
  config::Config c;
  config::Script chk;
  chk.name = "chk";
  chk.weight = -20;
  chk.init_fail = true;
  c.scripts["chk"] = chk;
  config::Instance i;
  i.interface = "eth0";
  i.track_scripts = {{"chk", std::nullopt, std::nullopt, {}},
                     {"nginx_check", std::nullopt, std::nullopt, {}},  // undefined: ignored
                     {"chk", 5, std::nullopt, {}}};
  i.track_interfaces = {{"eth1", -10, std::nullopt, {}}};
  i.track_units = {{"httpd.service", std::nullopt, std::nullopt, {}}};
  auto objects = tracked_objects(c.scripts, i);
  ASSERT_EQ(objects.size(), 7u);
  EXPECT_EQ(objects[0].key, "interface:eth0");
  EXPECT_EQ(objects[0].weight, 0);
  EXPECT_EQ(objects[1].key, "interface:eth1");
  EXPECT_EQ(objects[1].weight, -10);
  EXPECT_EQ(objects[2].key, "script:chk");
  EXPECT_EQ(objects[2].weight, -20);
  EXPECT_FALSE(objects[2].up);      // init_fail
  EXPECT_EQ(objects[3].weight, 5);  // the track_script override wins
  EXPECT_EQ(objects[4].key, "unit:httpd.service");
  EXPECT_EQ(objects[4].weight, 0);
  EXPECT_EQ(objects[5].key, "operator");
  EXPECT_EQ(objects[6].key, "source address");
  EXPECT_EQ(objects[6].weight, 0) << "no address to send from is FAULT";
}

TEST(Tracking, DontTrackPrimaryLeavesTheOwnInterfaceOutButNotATrackedOne) {
  config::Instance i;
  i.interface = "eth0";
  i.dont_track_primary = true;
  auto alone = tracked_objects({}, i);
  EXPECT_TRUE(std::none_of(alone.begin(), alone.end(),
                           [](const TrackedObject& o) { return o.key == "interface:eth0"; }));
  i.track_interfaces = {{"eth0", std::nullopt, std::nullopt, {}}};
  auto tracked = tracked_objects({}, i);
  EXPECT_EQ(std::count_if(tracked.begin(), tracked.end(),
                          [](const TrackedObject& o) { return o.key == "interface:eth0"; }),
            1);
}

// keepalived (vrrp_track.c): a track_script entry's weight replaces the
// script's, but its direction stays the script's unless the entry says so.
TEST(Tracking, ScriptReverseCarriesOverUnlessTheEntrySaysOtherwise) {
  config::Config c;
  config::Script chk;
  chk.name = "chk";
  chk.weight = -20;
  chk.weight_reverse = true;
  c.scripts["chk"] = chk;
  config::Instance i;
  i.interface = "eth0";
  i.track_scripts = {{"chk", std::nullopt, std::nullopt, {}},
                     {"chk", -30, std::nullopt, {}},
                     {"chk", -30, false, {}}};
  auto objects = tracked_objects(c.scripts, i);
  ASSERT_EQ(objects.size(), 6u);
  EXPECT_TRUE(objects[1].reverse);
  EXPECT_TRUE(objects[2].reverse) << "weight alone keeps the script's reverse";
  EXPECT_EQ(objects[2].weight, -30);
  EXPECT_FALSE(objects[3].reverse) << "noreverse";
}

TEST(Tracking, SetTrackedReportsChanges) {
  config::Config c;
  config::Instance i;
  i.interface = "eth0";
  auto objects = tracked_objects(c.scripts, i);
  EXPECT_FALSE(set_tracked(objects, interface_key("eth0"), true));
  EXPECT_TRUE(set_tracked(objects, interface_key("eth0"), false));
  EXPECT_FALSE(set_tracked(objects, interface_key("eth9"), false));
  EXPECT_EQ(effective_priority(100, objects).fault_reasons,
            std::vector<std::string>{"interface eth0 down"});
}

}  // namespace
}  // namespace keepvip::daemon

namespace keepvip::daemon {
namespace {

TEST(Tracking, ArbitrationReferenceStartsLostAndFaults) {
  config::Config c;
  config::Instance i;
  i.interface = "eth0";
  i.arbitration.emplace();
  i.arbitration->reference = *IpAddress::parse("192.0.2.254");
  auto objects = tracked_objects(c.scripts, i);
  auto it = std::find_if(objects.begin(), objects.end(),
                         [](const TrackedObject& o) { return o.key == "reference:192.0.2.254"; });
  ASSERT_NE(it, objects.end());
  EXPECT_FALSE(it->up);
  EXPECT_TRUE(effective_priority(100, objects).faulted());
  EXPECT_TRUE(set_tracked(objects, reference_key(*IpAddress::parse("192.0.2.254")), true));
  EXPECT_FALSE(effective_priority(100, objects).faulted());
}

}  // namespace
}  // namespace keepvip::daemon
