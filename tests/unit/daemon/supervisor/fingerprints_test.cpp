// What a reload does to each instance: the instance kind's fingerprints
// (supervisor/fingerprints.h) through the generic reconcile, with objects
// that only record what was done to them.
#include "daemon/supervisor/fingerprints.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "daemon/supervisor/process_kind.h"
#include "daemon/supervisor/reconcile.h"

namespace keepvip::daemon {
namespace {

using Names = std::vector<std::string>;

// The instance kind's rules; an object is the instance's name.
struct RecordingInstanceKind {
  using Key = std::string;
  using Spec = InstanceSpec;
  using Object = std::string;
  Key key(const Spec& s) const { return s.name(); }
  std::string identity(const Spec& s) const { return identity_fingerprint(s.instance); }
  std::string settings(const Spec& s) const { return settings_fingerprint(s); }
  std::unique_ptr<std::string> start(Spec& s) {
    started.push_back(s.name());
    return std::make_unique<std::string>(s.name());
  }
  void update(std::string& name, const Spec&) { updated.push_back(name); }
  void stop(std::string& name) { stopped.push_back(name); }
  Names started, updated, stopped;
};

std::vector<InstanceSpec> specs(const config::Config& c) {
  std::vector<InstanceSpec> out;
  for (const auto& i : c.instances) out.push_back(instance_spec(c, i, {}));
  return out;
}

bool has(const Names& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The old ReloadPlan's words for what the reconcile did.
struct ReloadPlan {
  Names unchanged, updated, rebuilt, added, removed;
};

ReloadPlan plan_reload(const config::Config& running, const config::Config& next) {
  RecordingInstanceKind kind;
  RunningSet<RecordingInstanceKind> set(kind);
  set.reconcile(specs(running));
  kind = {};
  set.reconcile(specs(next));
  ReloadPlan plan;
  for (const auto& name : kind.stopped)
    if (!has(kind.started, name)) plan.removed.push_back(name);
  for (const auto& i : next.instances) {
    if (has(kind.started, i.name)) {
      (has(kind.stopped, i.name) ? plan.rebuilt : plan.added).push_back(i.name);
    } else if (has(kind.updated, i.name)) {
      plan.updated.push_back(i.name);
    } else {
      plan.unchanged.push_back(i.name);
    }
  }
  const ReconcileCounts& n = set.counts();
  EXPECT_EQ(n, (ReconcileCounts{plan.unchanged.size(), plan.updated.size(), plan.rebuilt.size(),
                                plan.added.size(), plan.removed.size()}));
  return plan;
}

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

// The mail settings a running instance reads (spec.global) reach it on a
// reload without restarting it; an unchanged configuration stays put.
TEST(ReloadPlan, MailSettingsChangeIsAnInPlaceUpdate) {
  auto mailing = [] {
    auto c = two_instances();
    c.global.mail.to = {"ops@example.org"};
    c.global.mail.server = "192.0.2.25";
    c.global.mail.alert = true;
    return c;
  };
  EXPECT_EQ(plan_reload(mailing(), mailing()).unchanged, (Names{"VI_1", "VI_2"}));
  for (auto change : std::vector<std::function<void(config::Config&)>>{
           [](config::Config& c) { c.global.mail.to.push_back("noc@example.org"); },
           [](config::Config& c) { c.global.mail.server = "2001:db8::25"; },
           [](config::Config& c) { c.global.mail.port = 2525; },
           [](config::Config& c) { c.global.mail.from = "keepvip@example.org"; },
           [](config::Config& c) { c.global.mail.helo_name = "lb1"; },
           [](config::Config& c) { c.global.mail.connect_timeout = Usec{5'000'000}; },
           [](config::Config& c) { c.global.mail.alert = false; },
           [](config::Config& c) { c.global.mail.alert_vrrp = true; },
           [](config::Config& c) { c.global.mail.no_email_faults = true; },
           [](config::Config& c) { c.global.router_id = "LB"; },
           [](config::Config& c) { c.instances[1].smtp_alert = false; },
       }) {
    auto next = mailing();
    change(next);
    auto plan = plan_reload(mailing(), next);
    // Global settings reach both instances, the instance's switch its own.
    EXPECT_TRUE(has(plan.updated, "VI_2"));
    EXPECT_TRUE(plan.rebuilt.empty());
  }
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

TEST(ReloadPlan, TrackProcessWeightsUpdateOnlyTheirInstances) {
  auto running = two_instances();
  config::TrackedProcess p;
  p.name = "web";
  p.process = "nginx";
  running.processes["web"] = p;
  running.instances[0].track_processes.push_back({"web", std::nullopt, std::nullopt, {}});
  auto next = running;
  next.processes["web"].weight = -20;
  auto plan = plan_reload(running, next);
  EXPECT_EQ(plan.updated, Names{"VI_1"});
  EXPECT_EQ(plan.unchanged, Names{"VI_2"});
  next = running;
  next.instances[1].track_processes.push_back({"web", 10, std::nullopt, {}});
  plan = plan_reload(running, next);
  EXPECT_EQ(plan.updated, Names{"VI_2"});
}

TEST(ProcessFingerprint, WhatIsCountedAndHow) {
  config::TrackedProcess p;
  p.process = "nginx";
  const std::string base = process_fingerprint(p);
  auto changed = [&](auto edit) {
    config::TrackedProcess q = p;
    edit(q);
    return process_fingerprint(q) != base;
  };
  EXPECT_TRUE(changed([](auto& q) { q.params = {"-g"}; }));
  EXPECT_TRUE(changed([](auto& q) { q.param_match = config::ParamMatch::Partial; }));
  EXPECT_TRUE(changed([](auto& q) { q.full_command = true; }));
  EXPECT_TRUE(changed([](auto& q) { q.quorum = 2; }));
  EXPECT_TRUE(changed([](auto& q) { q.quorum_max = 3; }));
  EXPECT_TRUE(changed([](auto& q) { q.fork_delay = Usec{1}; }));
  EXPECT_TRUE(changed([](auto& q) { q.terminate_delay = Usec{1}; }));
  EXPECT_FALSE(changed([](auto& q) { q.where = config::SourceLocation("x.conf", 3, 1); }));
}

}  // namespace
}  // namespace keepvip::daemon
