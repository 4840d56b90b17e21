// The one reconcile every kind goes through, with a toy kind: things named
// by a key, a version that is their identity and a setting.
#include "daemon/supervisor/reconcile.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

using Names = std::vector<std::string>;

struct Thing {
  Thing(std::string key, int identity = 1, int value = 0)
      : name(std::move(key)), version(identity), setting(value) {}
  std::string name;
  int version;  // identity
  int setting;
  std::string found;  // what start() learnt on the "host"
};

struct Running {
  std::string name;
  int setting = 0;
};

// With update(): a changed setting is applied in place.
struct ThingKind {
  using Key = std::string;
  using Spec = Thing;
  using Object = Running;
  Key key(const Thing& t) const { return t.name; }
  std::string identity(const Thing& t) const { return std::to_string(t.version); }
  std::string settings(const Thing& t) const {
    return identity(t) + "/" + std::to_string(t.setting);
  }
  std::unique_ptr<Running> start(Thing& t) {
    log.push_back("start " + t.name);
    if (refuse == t.name) return nullptr;
    t.found = "on the host";
    return std::make_unique<Running>(Running{t.name, t.setting});
  }
  void update(Running& r, const Thing& t) {
    log.push_back("update " + t.name);
    r.setting = t.setting;
  }
  void stop(Running& r) { log.push_back("stop " + r.name); }
  Names log;
  std::string refuse;
};

// Without: a changed setting is a restart.
struct RestartingKind : ThingKind {
  using ThingKind::ThingKind;
  void update(Running&, const Thing&) = delete;
};

Names keys(const auto& set) {
  Names out;
  for (const auto& e : set.entries()) out.push_back(e.key);
  return out;
}

TEST(Reconcile, FromNothingStartsEverythingInOrder) {
  ThingKind kind;
  RunningSet<ThingKind> set(kind);
  set.reconcile({{"b"}, {"a"}});
  EXPECT_EQ(kind.log, (Names{"start b", "start a"}));
  EXPECT_EQ(keys(set), (Names{"b", "a"}));
  EXPECT_EQ(set.counts(), (ReconcileCounts{0, 0, 0, 2, 0}));
  EXPECT_EQ(set.entry("a")->spec.found, "on the host") << "start() may complete the spec";
}

TEST(Reconcile, EachChangeByItsKind) {
  ThingKind kind;
  RunningSet<ThingKind> set(kind);
  set.reconcile({{"same"}, {"setting"}, {"identity"}, {"gone"}});
  Running* kept = set.find("setting");
  kind.log.clear();

  set.reconcile({{"new"}, {"identity", 2}, {"setting", 1, 5}, {"same"}});
  // Stops first (removed, then rebuilt), then starts and updates in the
  // desired order.
  EXPECT_EQ(kind.log,
            (Names{"stop gone", "stop identity", "start new", "start identity", "update setting"}));
  EXPECT_EQ(set.counts(), (ReconcileCounts{1, 1, 1, 1, 1}));
  EXPECT_EQ(keys(set), (Names{"new", "identity", "setting", "same"}));
  EXPECT_EQ(set.find("setting"), kept) << "updated in place";
  EXPECT_EQ(kept->setting, 5);
  EXPECT_EQ(set.entry("setting")->spec.setting, 5) << "the running side keeps the new spec";
}

TEST(Reconcile, WithoutUpdateASettingChangeRestarts) {
  RestartingKind kind;
  RunningSet<RestartingKind> set(kind);
  set.reconcile({{"a"}});
  kind.log.clear();
  set.reconcile({{"a", 1, 7}});
  EXPECT_EQ(kind.log, (Names{"stop a", "start a"}));
  EXPECT_EQ(set.counts(), (ReconcileCounts{0, 0, 1, 0, 0}));
}

TEST(Reconcile, WhatCouldNotStartIsTriedAgainNextTime) {
  ThingKind kind;
  RunningSet<ThingKind> set(kind);
  kind.refuse = "a";
  set.reconcile({{"a"}, {"b"}});
  EXPECT_EQ(keys(set), Names{"b"});
  kind.refuse.clear();
  kind.log.clear();
  set.reconcile({{"a"}, {"b"}});
  EXPECT_EQ(kind.log, Names{"start a"});
  EXPECT_EQ(keys(set), (Names{"a", "b"}));
}

// Two sets planned together: every stop happens before any start, so a
// thing can hand over through another kind's object before that goes.
TEST(Reconcile, TwoHalvesLetKindsOrderStopsAndStarts) {
  ThingKind lower_kind, upper_kind;
  RunningSet<ThingKind> lower(lower_kind), upper(upper_kind);
  lower.reconcile({{"socket"}});
  upper.reconcile({{"instance"}});
  lower_kind.log.clear();
  upper_kind.log.clear();

  Names order;
  lower.plan({{"socket2"}});
  upper.plan({{"instance2"}});
  upper.stop_planned();
  order.insert(order.end(), upper_kind.log.begin(), upper_kind.log.end());
  lower.stop_planned();
  lower.start_planned();
  order.insert(order.end(), lower_kind.log.begin(), lower_kind.log.end());
  upper_kind.log.clear();
  upper.start_planned();
  order.insert(order.end(), upper_kind.log.begin(), upper_kind.log.end());
  EXPECT_EQ(order, (Names{"stop instance", "stop socket", "start socket2", "start instance2"}));
}

TEST(Reconcile, DestructionStopsNothing) {
  ThingKind kind;
  {
    RunningSet<ThingKind> set(kind);
    set.reconcile({{"a"}});
    kind.log.clear();
  }
  EXPECT_TRUE(kind.log.empty());
}

}  // namespace
}  // namespace keepvip::daemon
