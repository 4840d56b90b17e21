// step() rows for keepalived's timing keywords: garp_lower_prio_repeat (a
// MASTER re-announces its VIPs to a lower-priority router) and
// vrrp_startup_delay (a deaf BACKUP until the delay has passed).
#include <gtest/gtest.h>

#include "state_machine_test_support.h"
#include "vrrp/state_machine.h"

using namespace std::chrono_literals;

namespace keepvip::vrrp {
namespace {

using testing::describe;
using Actions = std::vector<std::string>;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

const MonoTime kNow{100s};
const std::string kAdvertTimer = "ArmTimer(Advert, 1000000us)";

class TimingKeywords : public ::testing::Test {
 protected:
  void SetUp() override {
    params.vrid = 51;
    params.version = 2;
    params.family = Family::V4;
    params.advert_interval = 1s;
    params.primary_address = ip("192.0.2.10");
  }

  InstanceState in(State state, uint8_t priority = 100) const {
    return testing::instance_in(params, state, priority);
  }

  static AdvertReceived advert(uint8_t priority, const char* from = "192.0.2.2") {
    proto::Advert a;
    a.version = 2;
    a.vrid = 51;
    a.priority = priority;
    a.interval_cs = 100;
    a.addresses = {ip("192.0.2.100")};
    return AdvertReceived{a, ip(from)};
  }

  Params params;
};

// ---- garp_lower_prio_repeat ---------------------------------------------------

TEST_F(TimingKeywords, MasterReannouncesAfterAnsweringALowerPriorityAdvert) {
  params.reannounce_to_lower_priority = true;
  auto r = step(params, in(State::Master), advert(50), kNow);
  EXPECT_EQ(describe(r.actions),
            (Actions{"SendAdvert(100)", kAdvertTimer, "Reannounce", "HeardLowerPriority"}));
  // Equal priority from a lower address loses to us as well.
  auto equal = step(params, in(State::Master), advert(100, "192.0.2.2"), kNow);
  EXPECT_EQ(describe(equal.actions),
            (Actions{"SendAdvert(100)", kAdvertTimer, "Reannounce", "HeardLowerPriority"}));
}

TEST_F(TimingKeywords, MasterReannouncesEvenWithLowerPrioNoAdvert) {
  params.reannounce_to_lower_priority = true;
  params.lower_prio_no_advert = true;
  auto r = step(params, in(State::Master), advert(50), kNow);
  EXPECT_EQ(describe(r.actions), (Actions{"Reannounce", "HeardLowerPriority"}));
}

TEST_F(TimingKeywords, NoReannounceWithoutTheRepeatNorForOtherAdverts) {
  auto off = step(params, in(State::Master), advert(50), kNow);
  EXPECT_EQ(describe(off.actions),
            (Actions{"SendAdvert(100)", kAdvertTimer, "HeardLowerPriority"}));
  params.reannounce_to_lower_priority = true;
  auto zero = step(params, in(State::Master), advert(0), kNow);
  EXPECT_EQ(describe(zero.actions), (Actions{"SendAdvert(100)", kAdvertTimer}));
  auto higher = step(params, in(State::Master), advert(150), kNow);
  for (const auto& a : describe(higher.actions)) EXPECT_NE(a, "Reannounce");
  auto backup = step(params, in(State::Backup), advert(50), kNow);
  for (const auto& a : describe(backup.actions)) EXPECT_NE(a, "Reannounce");
}

// ---- vrrp_startup_delay -------------------------------------------------------

TEST_F(TimingKeywords, StartupDelayCountsTheMasterDownIntervalFromItsEnd) {
  auto r = step(params, in(State::Init), Start{10s}, kNow);
  EXPECT_EQ(r.state.state, State::Backup);
  // 10 s + 3 x 1 s + 156/256 s.
  EXPECT_EQ(describe(r.actions),
            (Actions{"Transitioned(INIT->BACKUP)", "ArmTimer(MasterDown, 13609375us)"}));
  EXPECT_EQ(r.state.deaf_until, kNow + 10s);
}

TEST_F(TimingKeywords, StartupDelayHoldsBackTheAddressOwnerToo) {
  auto r = step(params, in(State::Init, 255), Start{10s}, kNow);
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_EQ(describe(r.actions),
            (Actions{"Transitioned(INIT->BACKUP)", "ArmTimer(MasterDown, 10000001us)"}));
  auto later = step(params, r.state, TimerExpired{TimerId::MasterDown}, kNow + 10s + 1us);
  EXPECT_EQ(later.state.state, State::Master);
}

TEST_F(TimingKeywords, AdvertsAreIgnoredUntilTheStartupDelayHasPassed) {
  auto backup = step(params, in(State::Init), Start{10s}, kNow).state;
  // A higher master during the delay is not heard: no timer re-armed, no master learnt.
  auto deaf = step(params, backup, advert(150), kNow + 9s);
  EXPECT_EQ(describe(deaf.actions), Actions{});
  EXPECT_FALSE(deaf.state.master_address);
  // From the end of the delay on it is.
  auto hearing = step(params, deaf.state, advert(150), kNow + 10s);
  EXPECT_EQ(describe(hearing.actions), Actions{"ArmTimer(MasterDown, 3609375us)"});
  EXPECT_EQ(hearing.state.master_address, ip("192.0.2.2"));
  EXPECT_FALSE(hearing.state.deaf_until);
}

TEST_F(TimingKeywords, LeavingFaultDuringTheStartupDelayWaitsForItsEnd) {
  auto faulted = step(params, in(State::Init), FaultChanged{true, "interface eth0 down"}, kNow);
  auto fault = step(params, faulted.state, Start{10s}, kNow);
  EXPECT_EQ(fault.state.state, State::Fault);
  auto r = step(params, fault.state, FaultChanged{false, "interface eth0 up"}, kNow + 4s);
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_EQ(describe(r.actions),
            (Actions{"Transitioned(FAULT->BACKUP)", "ArmTimer(MasterDown, 9609375us)"}));
}

TEST_F(TimingKeywords, NoStartupDelayStartsAsBefore) {
  auto r = step(params, in(State::Init), Start{}, kNow);
  EXPECT_EQ(describe(r.actions),
            (Actions{"Transitioned(INIT->BACKUP)", "ArmTimer(MasterDown, 3609375us)"}));
  EXPECT_FALSE(r.state.deaf_until);
}

}  // namespace
}  // namespace keepvip::vrrp
