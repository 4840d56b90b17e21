// SystemdUnits against a fake systemd on a private bus: the health rule, the
// signal-driven updates (no polling), daemon-reload, a unit that appears
// later, and StartUnit/StopUnit. The real systemd suite is
// tests/dbus/systemd_units_itest.sh (root, label "integration").
#include "dbus/systemd_units.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "fake_systemd.h"
#include "private_bus.h"

namespace keepvip::testing {
namespace {

using dbus::judge_start;
using dbus::judge_unit;
using dbus::StartProgress;
using dbus::UnitVerdict;
using ::testing::ElementsAre;

struct Case {
  const char *load, *active, *sub;
  bool expected_running;
  std::optional<bool> previous;
  bool healthy;
};

TEST(JudgeUnit, FollowsTheDocumentedRule) {
  const Case cases[] = {
      {"loaded", "active", "running", true, std::nullopt, true},
      {"loaded", "failed", "failed", true, true, false},
      {"loaded", "failed", "failed", false, true, false},  // stopped by us, then failed: down
      {"loaded", "maintenance", "", true, true, false},
      {"loaded", "inactive", "dead", true, true, false},
      {"loaded", "inactive", "dead", false, false, true},  // we stopped it: not a fault
      {"loaded", "deactivating", "stop-sigterm", true, true, false},
      {"loaded", "deactivating", "stop-sigterm", false, true, true},
      {"not-found", "inactive", "dead", true, std::nullopt, false},
      {"not-found", "inactive", "dead", false, std::nullopt, false},
      {"masked", "inactive", "dead", false, std::nullopt, false},
      {"loaded", "activating", "auto-restart", true, true, false},   // died, restart pending
      {"loaded", "activating", "start", true, false, false},         // keeps previous
      {"loaded", "activating", "start", true, true, true},           // keeps previous
      {"loaded", "activating", "start", true, std::nullopt, false},  // not up yet
      {"loaded", "reloading", "reload", true, true, true},
      {"loaded", "reloading", "reload", true, false, false},
      {"loaded", "reloading", "reload", true, std::nullopt, true},
  };
  for (const auto& c : cases) {
    UnitVerdict prev{c.previous.value_or(false), "prev"};
    UnitVerdict v =
        judge_unit(c.load, c.active, c.sub, c.expected_running, c.previous ? &prev : nullptr);
    EXPECT_EQ(v.healthy, c.healthy)
        << c.load << "/" << c.active << "/" << c.sub << " expected_running=" << c.expected_running;
    EXPECT_FALSE(v.why.empty());
  }
}

struct Report {
  std::string unit;
  bool healthy;
  std::string why;
};

class SystemdUnitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PrivateBus::available()) GTEST_SKIP() << "dbus-daemon not installed";
    auto bus = PrivateBus::start_session();
    ASSERT_TRUE(bus) << bus.error().describe();
    bus_ = std::make_unique<PrivateBus>(std::move(*bus));
    setenv("DBUS_SESSION_BUS_ADDRESS", bus_->address().c_str(), 1);
    sd_event* e = nullptr;
    ASSERT_GE(sd_event_new(&e), 0);
    loop_.reset(e);
    ASSERT_TRUE(systemd_.start(loop_.get()));
    auto units = dbus::SystemdUnits::open(loop_.get(), dbus::BusKind::User);
    ASSERT_TRUE(units) << units.error().describe();
    units_ = std::move(*units);
    units_->set_callback([this](std::string_view unit, bool healthy, std::string_view why) {
      reports_.push_back({std::string(unit), healthy, std::string(why)});
    });
  }
  void TearDown() override {
    units_.reset();
    loop_.reset();
    bus_.reset();
  }
  bool wait_reports(size_t n) {
    return pump_until(loop_.get(), [&] { return reports_.size() >= n; });
  }

  std::unique_ptr<PrivateBus> bus_;
  EventPtr loop_;
  FakeSystemd systemd_;
  std::unique_ptr<dbus::SystemdUnits> units_;
  std::vector<Report> reports_;
};

TEST_F(SystemdUnitsTest, SubscribesAndReportsTheCurrentState) {
  systemd_.set("httpd.service", "loaded", "active", "running", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));
  EXPECT_EQ(reports_[0].unit, "httpd.service");
  EXPECT_TRUE(reports_[0].healthy);
  EXPECT_THAT(systemd_.calls, ElementsAre("Subscribe"));
  EXPECT_TRUE(units_->watch("httpd.service"));  // idempotent: no second report
  pump_for(loop_.get(), std::chrono::milliseconds(50));
  EXPECT_EQ(reports_.size(), 1u);
}

TEST_F(SystemdUnitsTest, FollowsChangeSignalsWithoutPolling) {
  systemd_.set("httpd.service", "loaded", "active", "running", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));
  int reads = systemd_.units["httpd.service"].reads;

  systemd_.set("httpd.service", "loaded", "failed", "failed");
  ASSERT_TRUE(wait_reports(2));
  EXPECT_FALSE(reports_[1].healthy);
  EXPECT_EQ(reports_[1].why, "failed");

  systemd_.set("httpd.service", "loaded", "activating", "start");  // keeps "down": no report
  systemd_.set("httpd.service", "loaded", "active", "running");
  ASSERT_TRUE(wait_reports(3));
  EXPECT_TRUE(reports_[2].healthy);
  pump_for(loop_.get(), std::chrono::milliseconds(50));
  EXPECT_EQ(reports_.size(), 3u);
  EXPECT_EQ(systemd_.units["httpd.service"].reads, reads) << "state came from signals, not reads";
}

TEST_F(SystemdUnitsTest, UnitThatAppearsAfterDaemonReload) {
  ASSERT_TRUE(units_->watch("later.service"));
  ASSERT_TRUE(wait_reports(1));
  EXPECT_FALSE(reports_[0].healthy);
  EXPECT_EQ(reports_[0].why, "not-found");

  // The unit file appears and is started during a reload; systemd sends no
  // PropertiesChanged for it, only Reloading: keepvip must re-read.
  systemd_.set("later.service", "loaded", "active", "running", true);
  systemd_.emit_reload();
  ASSERT_TRUE(wait_reports(2));
  EXPECT_TRUE(reports_[1].healthy);
}

TEST_F(SystemdUnitsTest, StartAndStopAreQueuedAsReplaceJobs) {
  systemd_.set("httpd.service", "loaded", "active", "running", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));
  ASSERT_TRUE(units_->stop_unit("httpd.service"));
  ASSERT_TRUE(units_->start_unit("nginx.service"));
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return systemd_.calls.size() >= 3; }));
  EXPECT_THAT(systemd_.calls, ElementsAre("Subscribe", "StopUnit httpd.service replace",
                                          "StartUnit nginx.service replace"));

  // Stopped on our request: inactive is not a failure.
  systemd_.set("httpd.service", "loaded", "inactive", "dead");
  pump_for(loop_.get(), std::chrono::milliseconds(100));
  EXPECT_EQ(reports_.size(), 1u);

  // Started again by us, then it dies: down.
  ASSERT_TRUE(units_->start_unit("httpd.service"));
  systemd_.set("httpd.service", "loaded", "active", "running");
  systemd_.set("httpd.service", "loaded", "failed", "failed");
  ASSERT_TRUE(wait_reports(2));
  EXPECT_FALSE(reports_[1].healthy);
}

TEST_F(SystemdUnitsTest, StoppingAnInactiveUnitMakesItHealthyAtOnce) {
  // A backup with the unit in master_units: it was never started here, the
  // daemon "stops" it on entering BACKUP. systemd sends no signal (nothing
  // changes), yet the unit must no longer count as down.
  systemd_.set("httpd.service", "loaded", "inactive", "dead", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));
  EXPECT_FALSE(reports_[0].healthy);
  ASSERT_TRUE(units_->stop_unit("httpd.service"));
  EXPECT_EQ(reports_.size(), 1u) << "no callback from inside stop_unit()";
  ASSERT_TRUE(wait_reports(2));
  EXPECT_TRUE(reports_[1].healthy);

  // Becoming MASTER: our own start in progress is not a failure (a unit in
  // master_units and track_unit would otherwise fault the instance that
  // started it, be stopped, and loop)...
  ASSERT_TRUE(units_->start_unit("httpd.service"));
  systemd_.set("httpd.service", "loaded", "activating", "start");
  systemd_.set("httpd.service", "loaded", "active", "running");
  pump_for(loop_.get(), std::chrono::milliseconds(100));
  EXPECT_EQ(reports_.size(), 2u) << "stays up while starting and once running";
  // ...but a start that ends with the unit not running is.
  ASSERT_TRUE(units_->stop_unit("httpd.service"));
  ASSERT_TRUE(units_->start_unit("httpd.service"));
  systemd_.set("httpd.service", "loaded", "activating", "start");
  systemd_.set("httpd.service", "loaded", "inactive", "dead");
  ASSERT_TRUE(wait_reports(3));
  EXPECT_FALSE(reports_[2].healthy);
}

TEST_F(SystemdUnitsTest, StartJobThatNeverActivatesEndsTheStart) {
  // A start whose job finishes with the unit still inactive (ConditionPathExists=
  // false, a failed dependency): no state change is signalled, only JobRemoved.
  systemd_.set("httpd.service", "loaded", "inactive", "dead", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));
  ASSERT_TRUE(units_->start_unit("httpd.service"));
  ASSERT_TRUE(wait_reports(2));
  EXPECT_TRUE(reports_[1].healthy) << "our start in progress: " << reports_[1].why;
  systemd_.emit_job_removed("nginx.service", "done");  // another unit's job: no effect
  pump_for(loop_.get(), std::chrono::milliseconds(100));
  EXPECT_EQ(reports_.size(), 2u);
  systemd_.emit_job_removed("httpd.service", "done");
  ASSERT_TRUE(wait_reports(3));
  EXPECT_FALSE(reports_[2].healthy);
  EXPECT_EQ(reports_[2].why, "inactive");
}

TEST(JudgeStart, OurStartInProgressIsNotAFailure) {
  StartProgress start{true, false};
  EXPECT_TRUE(judge_start("loaded", "inactive", "dead", start)->healthy);  // job queued
  EXPECT_TRUE(judge_start("loaded", "activating", "start", start)->healthy);
  EXPECT_FALSE(judge_start("loaded", "inactive", "dead", start).has_value())
      << "started and stopped";
  EXPECT_FALSE(start.pending);
  StartProgress restart{true, false};
  EXPECT_FALSE(judge_start("loaded", "activating", "auto-restart", restart).has_value());
  StartProgress missing{true, false};
  EXPECT_FALSE(judge_start("not-found", "inactive", "dead", missing).has_value())
      << "a unit that is not there will not start";
  EXPECT_FALSE(missing.pending);
  StartProgress none;
  EXPECT_FALSE(judge_start("loaded", "inactive", "dead", none).has_value());
}

TEST_F(SystemdUnitsTest, ReconnectsAfterTheBusRestarts) {
  systemd_.set("httpd.service", "loaded", "active", "running", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));

  // The bus goes away and comes back; meanwhile httpd failed unseen.
  ASSERT_TRUE(bus_->restart());
  FakeSystemd reborn;
  reborn.set("httpd.service", "loaded", "failed", "failed", true);
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return reborn.start(loop_.get()); }));
  ASSERT_TRUE(wait_reports(2)) << "no re-read after reconnecting";
  EXPECT_FALSE(reports_[1].healthy);
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return !reborn.calls.empty(); }));
  EXPECT_EQ(reborn.calls[0], "Subscribe");

  reborn.set("httpd.service", "loaded", "active", "running");
  ASSERT_TRUE(wait_reports(3)) << "signals not followed after reconnecting";
  EXPECT_TRUE(reports_[2].healthy);
}

TEST_F(SystemdUnitsTest, RefreshReportsTheCurrentStateAgain) {
  systemd_.set("httpd.service", "loaded", "active", "running", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));
  // The daemon marked the unit down on an OnFailure= report; by now systemd
  // has it running again, and no change signal will come: refresh must say so.
  units_->refresh("httpd.service");
  ASSERT_TRUE(wait_reports(2));
  EXPECT_TRUE(reports_[1].healthy);
  units_->refresh("unwatched.service");  // no-op
  pump_for(loop_.get(), std::chrono::milliseconds(50));
  EXPECT_EQ(reports_.size(), 2u);
}

TEST_F(SystemdUnitsTest, BusNotUpAtStartIsRetried) {
  units_.reset();
  bus_->kill_daemon();
  auto units = dbus::SystemdUnits::open(loop_.get(), dbus::BusKind::User);
  ASSERT_TRUE(units) << "an unreachable bus must not fail open(): " << units.error().describe();
  units_ = std::move(*units);
  units_->set_callback([this](std::string_view unit, bool healthy, std::string_view why) {
    reports_.push_back({std::string(unit), healthy, std::string(why)});
  });
  ASSERT_TRUE(units_->watch("httpd.service"));
  EXPECT_FALSE(units_->start_unit("httpd.service")) << "no bus: the job cannot be queued now";
  // Asked for while away, the last request per unit wins.
  EXPECT_FALSE(units_->start_unit("nginx.service"));
  EXPECT_FALSE(units_->stop_unit("nginx.service"));

  ASSERT_TRUE(bus_->restart());
  FakeSystemd late;
  late.set("httpd.service", "loaded", "active", "running", true);
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return late.start(loop_.get()); }));
  ASSERT_TRUE(wait_reports(1));
  EXPECT_TRUE(reports_[0].healthy);
  // Once systemd answers, the requests go out: a node that became MASTER
  // while the bus was away still starts its master_units.
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return late.calls.size() >= 3; }));
  pump_for(loop_.get(), std::chrono::milliseconds(100));
  EXPECT_THAT(late.calls, ElementsAre("Subscribe", "StartUnit httpd.service replace",
                                      "StopUnit nginx.service replace"));
}

TEST_F(SystemdUnitsTest, KilledServiceWaitingForRestartIsDown) {
  systemd_.set("httpd.service", "loaded", "active", "running", true);
  ASSERT_TRUE(units_->watch("httpd.service"));
  ASSERT_TRUE(wait_reports(1));
  systemd_.set("httpd.service", "loaded", "activating", "auto-restart");
  ASSERT_TRUE(wait_reports(2));
  EXPECT_FALSE(reports_[1].healthy);
  EXPECT_EQ(reports_[1].why, "auto-restart");
}

}  // namespace
}  // namespace keepvip::testing
