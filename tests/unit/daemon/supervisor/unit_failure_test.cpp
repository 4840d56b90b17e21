// Supervisor::unit_failed's work (keepvip-fault@UNIT.service, wired with
// OnFailure=): instances tracking the unit count it as down at once, the
// caller learns which, and the unit's state is read again so a unit that
// already recovered is not left down.
#include "daemon/supervisor/unit_failure.h"

#include <gtest/gtest.h>

#include "daemon/tracking/tracking.h"
#include "fakes.h"

namespace keepvip::daemon {
namespace {

using testing::FakeAnnouncer;
using testing::FakeGuard;
using testing::FakeNetlink;
using testing::FakeSender;
using testing::FakeUnitHealth;

class UnitFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = new_event_loop();
    ASSERT_TRUE(loop.has_value());
    loop_ = std::move(*loop);
    // The supervisor's wiring: every runner hears every unit verdict.
    units_.set_callback([this](std::string_view unit, bool healthy, std::string_view why) {
      for (auto& r : runners_)
        r->set_tracked(unit_key(unit), healthy,
                       "unit " + std::string(unit) + " (" + std::string(why) + ")");
    });
  }

  // Starts as BACKUP; a fault shows as the FAULT state.
  void add(const std::string& name, uint8_t vrid, std::vector<config::Track> units) {
    config::Instance instance;
    instance.name = name;
    instance.interface = "eth0";
    instance.vrid = vrid;
    instance.priority = 200;
    instance.garp_master_delay = Usec{0};
    instance.virtual_addresses.push_back(
        {*IpPrefix::parse("192.0.2." + std::to_string(vrid) + "/32"), "", "", {}});
    instance.track_units = std::move(units);
    config_.instances.push_back(instance);
    RunnerContext context;
    context.loop = loop_.get();
    context.netlink = &netlink_;
    context.announcer = &announcer_;
    context.guard = &guard_;
    context.units = &units_;
    Placement placement{2, *IpAddress::parse("192.0.2.1")};
    auto runner = InstanceRunner::create(context, instance_spec(config_, instance, placement),
                                         &sender_, nullptr);
    ASSERT_TRUE(runner.has_value()) << runner.error().describe();
    runners_.push_back(std::move(*runner));
  }

  InstanceRunner& runner(size_t i) { return *runners_.at(i); }
  std::vector<InstanceRunner*> pointers() const {
    std::vector<InstanceRunner*> out;
    for (const auto& r : runners_) out.push_back(r.get());
    return out;
  }

  EventPtr loop_;
  config::Config config_;
  FakeNetlink netlink_;
  FakeAnnouncer announcer_;
  FakeSender sender_;
  FakeGuard guard_;
  FakeUnitHealth units_;
  std::vector<std::unique_ptr<InstanceRunner>> runners_;
};

TEST_F(UnitFailureTest, InstancesTrackingTheUnitCountItDownAndAreNamed) {
  add("web", 10, {{"httpd.service", std::nullopt, false, {}}});
  add("web_weighted", 11, {{"httpd.service", -50, false, {}}});
  add("db", 12, {{"postgresql.service", std::nullopt, false, {}}});
  for (auto& r : runners_) r->start();
  units_.healthy["httpd.service"] = false;  // still failed when read again

  auto affected = report_unit_failure(pointers(), &units_, "httpd.service", "httpd.service failed");

  EXPECT_EQ(affected, (std::vector<std::string>{"web", "web_weighted"}));
  // No weight: FAULT, with the unit named in the reasons.
  EXPECT_EQ(runner(0).state(), vrrp::State::Fault);
  auto snap = runner(0).snapshot();
  ASSERT_EQ(snap.fault_reasons.size(), 1u);
  EXPECT_NE(snap.fault_reasons[0].find("httpd.service"), std::string::npos)
      << snap.fault_reasons[0];
  // A weight: the priority drops instead.
  EXPECT_EQ(runner(1).state(), vrrp::State::Backup);
  EXPECT_EQ(runner(1).snapshot().effective_priority, 150);
  // Not tracking it: untouched.
  EXPECT_EQ(runner(2).state(), vrrp::State::Backup);
  EXPECT_EQ(runner(2).snapshot().effective_priority, 200);
  EXPECT_EQ(units_.refreshed, std::vector<std::string>{"httpd.service"});
}

TEST_F(UnitFailureTest, TheReasonIsKeptWhenTheReadingAgreesTheUnitIsDown) {
  add("web", 10, {{"httpd.service", std::nullopt, false, {}}});
  runner(0).start();
  // The fake has no entry: refresh() reports nothing, as for a unit whose
  // state is still being read.
  report_unit_failure(pointers(), &units_, "httpd.service", "httpd.service failed (OnFailure)");
  auto snap = runner(0).snapshot();
  ASSERT_EQ(snap.fault_reasons.size(), 1u);
  EXPECT_NE(snap.fault_reasons[0].find("OnFailure"), std::string::npos) << snap.fault_reasons[0];
}

TEST_F(UnitFailureTest, AUnitThatAlreadyRecoveredIsNotLeftDown) {
  add("web", 10, {{"httpd.service", std::nullopt, false, {}}});
  runner(0).start();
  units_.healthy["httpd.service"] = true;  // Restart= brought it back already

  auto affected = report_unit_failure(pointers(), &units_, "httpd.service", "failed");

  EXPECT_EQ(affected, std::vector<std::string>{"web"});
  EXPECT_EQ(runner(0).state(), vrrp::State::Backup);
  EXPECT_TRUE(runner(0).snapshot().fault_reasons.empty());
  // It did go through FAULT: the report was acted on before the re-read.
  EXPECT_EQ(guard_.roles, (std::vector<vrrp::State>{vrrp::State::Backup, vrrp::State::Fault,
                                                    vrrp::State::Backup}));
}

TEST_F(UnitFailureTest, NoInstanceTracksTheUnit) {
  add("web", 10, {{"httpd.service", std::nullopt, false, {}}});
  runner(0).start();
  auto affected = report_unit_failure(pointers(), &units_, "sshd.service", "failed");
  EXPECT_TRUE(affected.empty());
  EXPECT_EQ(runner(0).state(), vrrp::State::Backup);
  EXPECT_TRUE(units_.refreshed.empty());
}

TEST_F(UnitFailureTest, WithoutASystemdBusTheMarkStays) {
  add("web", 10, {{"httpd.service", std::nullopt, false, {}}});
  runner(0).start();
  auto affected = report_unit_failure(pointers(), nullptr, "httpd.service", "failed");
  EXPECT_EQ(affected, std::vector<std::string>{"web"});
  EXPECT_EQ(runner(0).state(), vrrp::State::Fault);
}

}  // namespace
}  // namespace keepvip::daemon
