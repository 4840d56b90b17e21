#include "daemon/reload_plan.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

using Names = std::vector<std::string>;

config::Instance instance(std::string name, uint8_t vrid) {
  config::Instance i;
  i.name = std::move(name);
  i.interface = "eth0";
  i.vrid = vrid;
  i.virtual_addresses.push_back({*IpPrefix::parse("192.0.2.100/32"), "", "", {}});
  return i;
}

config::Config two_instances() {
  config::Config c;
  c.instances = {instance("VI_1", 51), instance("VI_2", 52)};
  return c;
}

TEST(ReloadPlan, IdenticalConfigChangesNothing) {
  auto plan = plan_reload(two_instances(), two_instances());
  EXPECT_EQ(plan.unchanged, (Names{"VI_1", "VI_2"}));
  EXPECT_TRUE(plan.updated.empty() && plan.rebuilt.empty() && plan.added.empty() &&
              plan.removed.empty());
}

TEST(ReloadPlan, SourceLocationsDoNotCount) {
  auto next = two_instances();
  next.instances[0].where = {"other.conf", 40, 1};
  next.instances[0].virtual_addresses[0].where = {"other.conf", 44, 9};
  EXPECT_EQ(plan_reload(two_instances(), next).unchanged, (Names{"VI_1", "VI_2"}));
}

TEST(ReloadPlan, AddedAndRemovedByName) {
  auto next = two_instances();
  next.instances.erase(next.instances.begin());
  next.instances.push_back(instance("VI_3", 53));
  auto plan = plan_reload(two_instances(), next);
  EXPECT_EQ(plan.removed, Names{"VI_1"});
  EXPECT_EQ(plan.added, Names{"VI_3"});
  EXPECT_EQ(plan.unchanged, Names{"VI_2"});
}

TEST(ReloadPlan, PriorityOrNotifyChangeIsAnInPlaceUpdate) {
  auto next = two_instances();
  next.instances[0].priority = 150;
  next.instances[1].notify_master.command = "/scripts/notify.sh master";
  auto plan = plan_reload(two_instances(), next);
  EXPECT_EQ(plan.updated, (Names{"VI_1", "VI_2"}));
  EXPECT_TRUE(plan.rebuilt.empty());
}

// A changed script_user (or a user re-created with another uid) leaves the
// notify line as it was; what runs is still different, so the running
// instance must take the new configuration.
TEST(ReloadPlan, ANewAccountBehindTheSameScriptLineIsAnUpdate) {
  auto with_account = [](uint32_t uid) {
    auto c = two_instances();
    c.instances[1].notify_master.command = "/scripts/notify.sh master";
    c.instances[1].notify_master.resolved =
        config::ResolvedScript{{"/scripts/notify.sh", "master"}, "u", uid, uid};
    return c;
  };
  auto plan = plan_reload(with_account(990), with_account(991));
  EXPECT_EQ(plan.updated, Names{"VI_2"});
  EXPECT_EQ(plan.unchanged, Names{"VI_1"});
}

TEST(ReloadPlan, IdentityChangeRebuilds) {
  auto cases = std::vector<void (*)(config::Instance&)>{
      [](config::Instance& i) { i.vrid = 60; },
      [](config::Instance& i) { i.interface = "eth1"; },
      [](config::Instance& i) { i.version = 3; },
      [](config::Instance& i) { i.advert_interval = Usec{2'000'000}; },
      [](config::Instance& i) { i.auth_pass = "secret"; },
      [](config::Instance& i) { i.preempt = false; },
      [](config::Instance& i) {
        i.virtual_addresses.push_back({*IpPrefix::parse("192.0.2.101/32"), "", "", {}});
      },
      [](config::Instance& i) { i.unicast_peers.push_back(*IpAddress::parse("192.0.2.2")); },
  };
  for (size_t n = 0; n < cases.size(); ++n) {
    auto next = two_instances();
    cases[n](next.instances[0]);
    auto plan = plan_reload(two_instances(), next);
    EXPECT_EQ(plan.rebuilt, Names{"VI_1"}) << "case " << n;
    EXPECT_EQ(plan.unchanged, Names{"VI_2"}) << "case " << n;
  }
}

TEST(ReloadPlan, ChangedTrackedScriptUpdatesOnlyItsInstances) {
  auto running = two_instances();
  config::Script s;
  s.name = "chk";
  s.command = "/bin/true";
  running.scripts["chk"] = s;
  running.instances[0].track_scripts.push_back({"chk", std::nullopt, false, {}});
  auto next = running;
  next.scripts["chk"].weight = -20;
  auto plan = plan_reload(running, next);
  EXPECT_EQ(plan.updated, Names{"VI_1"});
  EXPECT_EQ(plan.unchanged, Names{"VI_2"});
}

}  // namespace
}  // namespace keepvip::daemon
