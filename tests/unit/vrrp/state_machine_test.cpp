// Transition tables for step(): one test per (state, event) row, each
// checking the new state and the exact action list, run for v2 and v3.
#include "vrrp/state_machine.h"

#include <gtest/gtest.h>

#include "state_machine_test_support.h"

using namespace std::chrono_literals;

namespace keepvip::vrrp {
namespace {

using testing::describe;
using testing::find_transition;
using Actions = std::vector<std::string>;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

const MonoTime kNow{100s};
// Master_Down_Interval / Skew_Time at a 1 s interval (same for v2 and v3).
const std::string kMasterDown100 = "ArmTimer(MasterDown, 3609375us)";  // priority 100
const std::string kMasterDown110 = "ArmTimer(MasterDown, 3570312us)";  // priority 110
const std::string kSkew100 = "ArmTimer(MasterDown, 609375us)";
const std::string kAdvertTimer = "ArmTimer(Advert, 1000000us)";

Actions become_master(uint8_t priority) {
  return {"AddVirtualAddresses", "SendAdvert(" + std::to_string(priority) + ")", "Announce",
          kAdvertTimer};
}

Actions with_transition(const std::string& transition, Actions rest) {
  rest.insert(rest.begin(), "Transitioned(" + transition + ")");
  return rest;
}

class StateMachine : public ::testing::TestWithParam<uint8_t> {
 protected:
  void SetUp() override {
    params.vrid = 51;
    params.version = GetParam();
    params.family = Family::V4;
    params.advert_interval = 1s;
    params.primary_address = ip("192.0.2.1");
  }

  uint8_t version() const { return GetParam(); }

  InstanceState in(State state, uint8_t priority = 100) const {
    return testing::instance_in(params, state, priority);
  }

  AdvertReceived advert(uint8_t priority, const char* from = "192.0.2.2",
                        uint16_t interval_cs = 100) const {
    proto::Advert a;
    a.version = version();
    a.vrid = params.vrid;
    a.priority = priority;
    a.interval_cs = interval_cs;
    a.addresses = {ip("192.0.2.100")};
    return AdvertReceived{a, ip(from)};
  }

  // Runs one step and checks what every step must satisfy: at most one
  // Transitioned, first when present, consistent with the state change and
  // with a reason; last_transition updated exactly on transitions.
  StepResult run(const InstanceState& state, const Event& event, MonoTime now = kNow) const {
    StepResult r = step(params, state, event, now);
    int transitions = 0;
    for (const Action& a : r.actions) transitions += std::holds_alternative<Transitioned>(a);
    EXPECT_LE(transitions, 1);
    if (const Transitioned* t = find_transition(r)) {
      EXPECT_TRUE(std::holds_alternative<Transitioned>(r.actions.front()));
      EXPECT_EQ(t->from, state.state);
      EXPECT_EQ(t->to, r.state.state);
      EXPECT_FALSE(t->reason.empty());
      EXPECT_EQ(r.state.last_transition, now);
    } else {
      EXPECT_EQ(r.state.state, state.state);
      EXPECT_EQ(r.state.last_transition, state.last_transition);
    }
    return r;
  }

  Params params;
};

INSTANTIATE_TEST_SUITE_P(Versions, StateMachine, ::testing::Values(uint8_t{2}, uint8_t{3}),
                         [](const auto& param_info) {
                           return "v" + std::to_string(param_info.param);
                         });

// ---- INIT -------------------------------------------------------------------

TEST_P(StateMachine, InitStartBecomesBackupWithMasterDownTimer) {
  auto r = run(in(State::Init), Start{});
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_EQ(describe(r.actions), with_transition("INIT->BACKUP", {kMasterDown100}));
  EXPECT_EQ(r.state.master_adver_interval, 1s);
  EXPECT_FALSE(r.state.master_address);
}

TEST_P(StateMachine, InitStartAsAddressOwnerBecomesMaster) {
  auto r = run(in(State::Init, 255), Start{});
  EXPECT_EQ(r.state.state, State::Master);
  EXPECT_EQ(describe(r.actions), with_transition("INIT->MASTER", become_master(255)));
  EXPECT_EQ(r.state.master_address, params.primary_address);
  EXPECT_EQ(r.state.master_priority, 255);
}

TEST_P(StateMachine, InitStartWithStateMasterWaitsLikeKeepalived) {
  // keepalived 2.2.7, "state MASTER" + priority 150: BACKUP for the full
  // 3 x 1 s + 106/256 s (measured: first advert 3.46 s after start).
  params.start_as_master = true;
  auto r = run(in(State::Init, 150), Start{});
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_EQ(describe(r.actions),
            with_transition("INIT->BACKUP", {"ArmTimer(MasterDown, 3414062us)"}));
}

TEST_P(StateMachine, InitStartWhileFaultedGoesToFault) {
  auto state = run(in(State::Init), FaultChanged{true, "interface eth1 down"}).state;
  EXPECT_TRUE(state.faulted);
  EXPECT_EQ(state.state, State::Init);
  auto r = run(state, Start{});
  EXPECT_EQ(r.state.state, State::Fault);
  EXPECT_EQ(describe(r.actions), with_transition("INIT->FAULT", {}));
}

TEST_P(StateMachine, InitIgnoresAdvertsAndTimers) {
  EXPECT_TRUE(run(in(State::Init), advert(200)).actions.empty());
  EXPECT_TRUE(run(in(State::Init), TimerExpired{TimerId::MasterDown}).actions.empty());
  EXPECT_TRUE(run(in(State::Init), Shutdown{}).actions.empty());
}

TEST_P(StateMachine, StartOutsideInitIsIgnored) {
  EXPECT_TRUE(run(in(State::Backup), Start{}).actions.empty());
  EXPECT_TRUE(run(in(State::Master), Start{}).actions.empty());
}

// ---- BACKUP -------------------------------------------------------------------

TEST_P(StateMachine, BackupMasterDownBecomesMaster) {
  auto backup = in(State::Backup);
  backup.master_address = ip("192.0.2.2");
  backup.master_priority = 150;
  auto r = run(backup, TimerExpired{TimerId::MasterDown});
  EXPECT_EQ(r.state.state, State::Master);
  EXPECT_EQ(describe(r.actions), with_transition("BACKUP->MASTER", become_master(100)));
  EXPECT_EQ(find_transition(r)->reason,
            "no advert from master 192.0.2.2 within the master down interval");
  EXPECT_EQ(r.state.master_address, params.primary_address);
}

TEST_P(StateMachine, BackupHigherPriorityAdvertRearmsMasterDown) {
  auto r = run(in(State::Backup), advert(150));
  EXPECT_EQ(describe(r.actions), (Actions{kMasterDown100}));
  EXPECT_EQ(r.state.master_address, ip("192.0.2.2"));
  EXPECT_EQ(r.state.master_priority, 150);
}

TEST_P(StateMachine, BackupEqualPriorityAdvertIsFollowedWhateverTheAddress) {
  // RFC 3768/9568 §6.4.2: ">= local priority" resets the timer; the address
  // tie-break is only between masters.
  for (const char* from : {"192.0.2.0", "192.0.2.200"}) {
    auto r = run(in(State::Backup), advert(100, from));
    EXPECT_EQ(describe(r.actions), (Actions{kMasterDown100})) << from;
  }
}

TEST_P(StateMachine, BackupLowerPriorityAdvertIsDiscardedWhenPreempting) {
  auto r = run(in(State::Backup), advert(50));
  EXPECT_EQ(describe(r.actions), Actions{});
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_EQ(r.state.master_priority, 50);  // shown, not followed
}

TEST_P(StateMachine, BackupLowerPriorityAdvertIsFollowedWithNopreempt) {
  params.preempt = false;
  auto r = run(in(State::Backup), advert(50));
  EXPECT_EQ(describe(r.actions), (Actions{kMasterDown100}));
}

TEST_P(StateMachine, BackupStateMasterCancelsNopreemptLikeKeepalived) {
  params.preempt = false;
  params.start_as_master = true;
  params.preempt_delay = 60s;
  EXPECT_EQ(describe(run(in(State::Backup), advert(50)).actions), Actions{});
}

TEST_P(StateMachine, BackupPriorityZeroAdvertWaitsOnlySkewTime) {
  auto backup = in(State::Backup);
  backup.master_address = ip("192.0.2.2");
  backup.master_priority = 150;
  auto r = run(backup, advert(0));
  EXPECT_EQ(describe(r.actions), (Actions{kSkew100}));
  EXPECT_EQ(r.state.state, State::Backup);
  auto claimed = run(r.state, TimerExpired{TimerId::MasterDown});
  EXPECT_EQ(find_transition(claimed)->reason, "master 192.0.2.2 resigned");
}

TEST_P(StateMachine, BackupLearnsTheMasterIntervalOnlyInV3) {
  params.advert_interval = 500ms;   // v2 would have rejected 0.5 s in receive checks;
  auto backup = in(State::Backup);  // here both see the same advert with 2 s
  auto r = run(backup, advert(150, "192.0.2.2", 200));
  if (version() == 3) {
    EXPECT_EQ(r.state.master_adver_interval, 2s);
    // 3 x 2 s + 156 x 2 s / 256
    EXPECT_EQ(describe(r.actions), (Actions{"ArmTimer(MasterDown, 7218750us)"}));
    EXPECT_EQ(describe(run(r.state, advert(0)).actions),
              (Actions{"ArmTimer(MasterDown, 1218750us)"}));
  } else {
    EXPECT_EQ(r.state.master_adver_interval, 500ms);
    EXPECT_EQ(describe(r.actions), (Actions{"ArmTimer(MasterDown, 2109375us)"}));
  }
}

TEST_P(StateMachine, BackupPreemptDelayFollowsTheLowerMasterUntilTheDelayHasPassed) {
  params.preempt_delay = 10s;
  auto r = run(in(State::Backup), advert(50), kNow);
  EXPECT_EQ(describe(r.actions), (Actions{kMasterDown100}));
  EXPECT_EQ(r.state.preempt_deadline, kNow + 10s);

  r = run(r.state, advert(50), kNow + 9s);
  EXPECT_EQ(describe(r.actions), (Actions{kMasterDown100}));
  EXPECT_EQ(r.state.preempt_deadline, kNow + 10s);  // not pushed back

  r = run(r.state, advert(50), kNow + 10s);
  EXPECT_EQ(describe(r.actions), Actions{});  // discarded from now on

  r = run(r.state, TimerExpired{TimerId::MasterDown}, kNow + 13s);
  EXPECT_EQ(r.state.state, State::Master);
}

TEST_P(StateMachine, BackupPreemptDelayRestartsAfterAHigherMaster) {
  params.preempt_delay = 10s;
  auto r = run(in(State::Backup), advert(50), kNow);
  r = run(r.state, advert(150, "192.0.2.3"), kNow + 1s);
  EXPECT_FALSE(r.state.preempt_deadline);
  r = run(r.state, advert(50), kNow + 20s);
  EXPECT_EQ(describe(r.actions), (Actions{kMasterDown100}));
  EXPECT_EQ(r.state.preempt_deadline, kNow + 30s);
}

TEST_P(StateMachine, BackupWhosePriorityRisesAboveTheMasterPreempts) {
  auto r = run(in(State::Backup, 100), advert(105));
  EXPECT_EQ(describe(r.actions), (Actions{kMasterDown100}));
  r = run(r.state, PriorityChanged{110});
  EXPECT_EQ(describe(r.actions), Actions{});
  EXPECT_EQ(r.state.priority, 110);
  // The master's next advert no longer holds us back ...
  EXPECT_EQ(describe(run(r.state, advert(105)).actions), Actions{});
  // ... and with nopreempt it still would.
  params.preempt = false;
  EXPECT_EQ(describe(run(r.state, advert(105)).actions), (Actions{kMasterDown110}));
}

TEST_P(StateMachine, BackupShutdownReturnsToInit) {
  auto r = run(in(State::Backup), Shutdown{});
  EXPECT_EQ(r.state.state, State::Init);
  EXPECT_EQ(describe(r.actions), with_transition("BACKUP->INIT", {"CancelTimer(MasterDown)"}));
}

TEST_P(StateMachine, BackupFaultGoesToFault) {
  auto r = run(in(State::Backup), FaultChanged{true, "script chk_httpd failed"});
  EXPECT_EQ(r.state.state, State::Fault);
  EXPECT_EQ(describe(r.actions), with_transition("BACKUP->FAULT", {"CancelTimer(MasterDown)"}));
  EXPECT_EQ(find_transition(r)->reason, "script chk_httpd failed");
}

TEST_P(StateMachine, BackupResignOnlyHolds) {
  auto r = run(in(State::Backup), Resign{30s});
  EXPECT_EQ(describe(r.actions), Actions{});
  EXPECT_EQ(r.state.hold_until, kNow + 30s);
}

// ---- MASTER -------------------------------------------------------------------

TEST_P(StateMachine, MasterAdvertTimerSendsAndRearms) {
  auto r = run(in(State::Master), TimerExpired{TimerId::Advert});
  EXPECT_EQ(describe(r.actions), (Actions{"SendAdvert(100)", kAdvertTimer}));
}

TEST_P(StateMachine, MasterHigherPriorityAdvertBecomesBackup) {
  auto r = run(in(State::Master), advert(150, "192.0.2.2", version() == 3 ? 50 : 100));
  EXPECT_EQ(r.state.state, State::Backup);
  // v3 times the new master by its 0.5 s interval: 3 x 0.5 s + 156 x 0.5 s / 256.
  const std::string master_down =
      version() == 3 ? "ArmTimer(MasterDown, 1804687us)" : kMasterDown100;
  EXPECT_EQ(describe(r.actions),
            with_transition("MASTER->BACKUP",
                            {"RemoveVirtualAddresses", "CancelTimer(Advert)", master_down}));
  EXPECT_EQ(find_transition(r)->reason,
            "advert from 192.0.2.2 with higher priority 150 (ours 100)");
  EXPECT_EQ(r.state.master_address, ip("192.0.2.2"));
  EXPECT_EQ(r.state.master_priority, 150);
}

TEST_P(StateMachine, MasterEqualPriorityFromHigherAddressBecomesBackup) {
  auto r = run(in(State::Master), advert(100, "192.0.2.2"));
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_EQ(describe(r.actions),
            with_transition("MASTER->BACKUP",
                            {"RemoveVirtualAddresses", "CancelTimer(Advert)", kMasterDown100}));
  EXPECT_EQ(find_transition(r)->reason,
            "advert from 192.0.2.2 with equal priority 100 and a higher address");
}

TEST_P(StateMachine, MasterEqualPriorityFromLowerAddressReasserts) {
  params.primary_address = ip("192.0.2.10");
  auto r = run(in(State::Master), advert(100, "192.0.2.2"));
  EXPECT_EQ(r.state.state, State::Master);
  EXPECT_EQ(describe(r.actions), (Actions{"SendAdvert(100)", kAdvertTimer, "HeardLowerPriority"}));
}

TEST_P(StateMachine, MasterLowerPriorityAdvertReadvertisesImmediatelyAndRestartsTheAdvertTimer) {
  auto r = run(in(State::Master), advert(50));
  EXPECT_EQ(r.state.state, State::Master);
  EXPECT_EQ(describe(r.actions), (Actions{"SendAdvert(100)", kAdvertTimer, "HeardLowerPriority"}));
}

TEST_P(StateMachine, MasterLowerPriorityAdvertIsNotAnsweredWithLowerPrioNoAdvert) {
  params.lower_prio_no_advert = true;
  auto r = run(in(State::Master), advert(50));
  EXPECT_EQ(r.state.state, State::Master);
  EXPECT_EQ(describe(r.actions), Actions{"HeardLowerPriority"});
}

TEST_P(StateMachine, MasterAnswersAnOutrankingAdvertBeforeSteppingDownWithHigherPrioSendAdvert) {
  params.higher_prio_send_advert = true;
  auto higher = run(in(State::Master), advert(150));
  EXPECT_EQ(describe(higher.actions),
            with_transition("MASTER->BACKUP", {"SendAdvert(100)", "RemoveVirtualAddresses",
                                               "CancelTimer(Advert)", kMasterDown100}));
  // Equal priority from a higher address outranks us too.
  auto equal = run(in(State::Master), advert(100, "192.0.2.2"));
  EXPECT_EQ(describe(equal.actions),
            with_transition("MASTER->BACKUP", {"SendAdvert(100)", "RemoveVirtualAddresses",
                                               "CancelTimer(Advert)", kMasterDown100}));
}

TEST_P(StateMachine, DownTimerAdvertsSetsTheMultipleOfTheInterval) {
  params.down_timer_adverts = 1;
  // 1 x 1 s + Skew_Time 609375 us at priority 100.
  EXPECT_EQ(describe(run(in(State::Init), Start{}).actions),
            with_transition("INIT->BACKUP", {"ArmTimer(MasterDown, 1609375us)"}));
  params.down_timer_adverts = 10;
  EXPECT_EQ(describe(run(in(State::Backup), advert(150)).actions),
            (Actions{"ArmTimer(MasterDown, 10609375us)"}));
}

TEST_P(StateMachine, MasterStallLongerThanABackupsTakeoverStepsDownWithTimerExpiredBackup) {
  params.preempt = false;
  params.highest_other_priority = 200;
  auto master = run(in(State::Init, 255), Start{}, kNow).state;
  ASSERT_EQ(master.state, State::Master);
  master.priority = 100;
  // On time: advert as usual.
  auto on_time = run(master, TimerExpired{TimerId::Advert}, kNow + 1s);
  EXPECT_EQ(describe(on_time.actions), (Actions{"SendAdvert(100)", kAdvertTimer}));
  // 3 x 1 s + (256 - 200) / 256 s = 3218750 us after the last advert a
  // backup of priority 200 has taken over: step down without priority 0.
  auto late = run(on_time.state, TimerExpired{TimerId::Advert}, kNow + 1s + 3218750us);
  EXPECT_EQ(late.state.state, State::Backup);
  EXPECT_EQ(describe(late.actions),
            with_transition("MASTER->BACKUP",
                            {"RemoveVirtualAddresses", "CancelTimer(Advert)", kMasterDown100}));
  EXPECT_EQ(find_transition(late)->reason,
            "no advert sent for 3218 ms: a backup of priority 200 has taken over "
            "(timer_expired_backup)");
  // Just short of it: still MASTER.
  auto almost = run(on_time.state, TimerExpired{TimerId::Advert}, kNow + 1s + 3218749us);
  EXPECT_EQ(almost.state.state, State::Master);
}

TEST_P(StateMachine, MasterStallIsJudgedBeforeTheAdvertThatWokeTheLoop) {
  params.preempt = false;
  params.highest_other_priority = 200;
  auto master = run(in(State::Init, 255), Start{}, kNow).state;
  master.priority = 150;
  // The backup that took over advertises 100: without the stall check this
  // master would answer it and take the role back.
  auto r = run(master, advert(100), kNow + 4s);
  EXPECT_EQ(r.state.state, State::Backup);
  // Master_Down_Interval at priority 150, armed by the step-down and again
  // by following the advert.
  const std::string master_down = "ArmTimer(MasterDown, 3414062us)";
  EXPECT_EQ(describe(r.actions),
            with_transition("MASTER->BACKUP", {"RemoveVirtualAddresses", "CancelTimer(Advert)",
                                               master_down, master_down}));
  EXPECT_EQ(r.state.master_address, ip("192.0.2.2"));
}

TEST_P(StateMachine, MasterStallIsNotJudgedWithoutTimerExpiredBackup) {
  auto master = run(in(State::Init, 255), Start{}, kNow).state;
  auto late = run(master, TimerExpired{TimerId::Advert}, kNow + 60s);
  EXPECT_EQ(late.state.state, State::Master);
  EXPECT_EQ(describe(late.actions), (Actions{"SendAdvert(255)", kAdvertTimer}));
}

TEST_P(StateMachine, MasterPriorityZeroAdvertReadvertisesAndRearms) {
  auto r = run(in(State::Master), advert(0));
  EXPECT_EQ(describe(r.actions), (Actions{"SendAdvert(100)", kAdvertTimer}));
}

TEST_P(StateMachine, MasterIgnoresItsOwnAddress) {
  EXPECT_EQ(describe(run(in(State::Master), advert(100, "192.0.2.1")).actions), Actions{});
}

TEST_P(StateMachine, MasterShutdownSendsPriorityZeroAndReleases) {
  auto r = run(in(State::Master), Shutdown{});
  EXPECT_EQ(r.state.state, State::Init);
  EXPECT_EQ(describe(r.actions),
            with_transition("MASTER->INIT",
                            {"SendAdvert(0)", "RemoveVirtualAddresses", "CancelTimer(Advert)"}));
  EXPECT_FALSE(r.state.master_address);
}

TEST_P(StateMachine, MasterFaultSendsPriorityZeroAndReleases) {
  auto r = run(in(State::Master), FaultChanged{true, "interface eth1 down"});
  EXPECT_EQ(r.state.state, State::Fault);
  EXPECT_TRUE(r.state.faulted);
  EXPECT_EQ(describe(r.actions),
            with_transition("MASTER->FAULT",
                            {"SendAdvert(0)", "RemoveVirtualAddresses", "CancelTimer(Advert)"}));
  EXPECT_EQ(find_transition(r)->reason, "interface eth1 down");
}

TEST_P(StateMachine, MasterPriorityDropKeepsAdvertisingTheNewPriority) {
  auto r = run(in(State::Master), PriorityChanged{60});
  EXPECT_EQ(describe(r.actions), Actions{});
  EXPECT_EQ(r.state.state, State::Master);
  EXPECT_EQ(r.state.master_priority, 60);
  EXPECT_EQ(describe(run(r.state, TimerExpired{TimerId::Advert}).actions),
            (Actions{"SendAdvert(60)", kAdvertTimer}));
  // And it now yields to a backup's 100 advert.
  EXPECT_EQ(run(r.state, advert(100)).state.state, State::Backup);
}

TEST_P(StateMachine, MasterResignStepsDownAndHolds) {
  auto r = run(in(State::Master), Resign{30s});
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_EQ(describe(r.actions),
            with_transition("MASTER->BACKUP",
                            {"SendAdvert(0)", "RemoveVirtualAddresses", "CancelTimer(Advert)",
                             "ArmTimer(MasterDown, 30000000us)"}));
  EXPECT_EQ(find_transition(r)->reason, "resigned on operator request");
  // During the hold a lower-priority master is followed, not preempted ...
  auto during = run(r.state, advert(50), kNow + 5s);
  EXPECT_EQ(describe(during.actions), (Actions{kMasterDown100}));
  // ... and a master-down expiry waits out the rest of the hold.
  auto waiting = run(during.state, TimerExpired{TimerId::MasterDown}, kNow + 8s);
  EXPECT_EQ(describe(waiting.actions), (Actions{"ArmTimer(MasterDown, 22000000us)"}));
  EXPECT_EQ(run(waiting.state, TimerExpired{TimerId::MasterDown}, kNow + 30s).state.state,
            State::Master);
}

TEST_P(StateMachine, MasterResignShorterThanMasterDownWaitsMasterDown) {
  auto r = run(in(State::Master), Resign{1s});
  EXPECT_EQ(describe(r.actions).back(), kMasterDown100);
}

// ---- FAULT --------------------------------------------------------------------

TEST_P(StateMachine, FaultClearedBecomesBackup) {
  auto fault = in(State::Fault);
  fault.faulted = true;
  auto r = run(fault, FaultChanged{false, "interface eth1 up"});
  EXPECT_EQ(r.state.state, State::Backup);
  EXPECT_FALSE(r.state.faulted);
  EXPECT_EQ(describe(r.actions), with_transition("FAULT->BACKUP", {kMasterDown100}));
  EXPECT_EQ(find_transition(r)->reason, "interface eth1 up");
}

TEST_P(StateMachine, FaultClearedAddressOwnerBecomesMaster) {
  auto fault = in(State::Fault, 255);
  fault.faulted = true;
  auto r = run(fault, FaultChanged{false, ""});
  EXPECT_EQ(r.state.state, State::Master);
  EXPECT_EQ(describe(r.actions), with_transition("FAULT->MASTER", become_master(255)));
  EXPECT_EQ(find_transition(r)->reason, "all tracked objects are up");
}

TEST_P(StateMachine, FaultIgnoresAdvertsTimersAndRepeatedFaults) {
  auto fault = in(State::Fault);
  fault.faulted = true;
  EXPECT_TRUE(run(fault, advert(200)).actions.empty());
  EXPECT_TRUE(run(fault, TimerExpired{TimerId::MasterDown}).actions.empty());
  EXPECT_TRUE(run(fault, FaultChanged{true, "another script failed"}).actions.empty());
  EXPECT_TRUE(run(fault, Resign{10s}).actions.empty());
}

TEST_P(StateMachine, FaultShutdownReturnsToInit) {
  auto r = run(in(State::Fault), Shutdown{});
  EXPECT_EQ(r.state.state, State::Init);
  EXPECT_EQ(describe(r.actions), with_transition("FAULT->INIT", {}));
}

TEST_P(StateMachine, FaultClearedOutsideFaultChangesNothing) {
  EXPECT_TRUE(run(in(State::Backup), FaultChanged{false, ""}).actions.empty());
  EXPECT_TRUE(run(in(State::Master), FaultChanged{false, ""}).actions.empty());
}

// ---- stale timers -------------------------------------------------------------

TEST_P(StateMachine, TimersOfAnotherStateAreIgnored) {
  EXPECT_TRUE(run(in(State::Master), TimerExpired{TimerId::MasterDown}).actions.empty());
  EXPECT_TRUE(run(in(State::Backup), TimerExpired{TimerId::Advert}).actions.empty());
  EXPECT_TRUE(run(in(State::Backup), TimerExpired{TimerId::PreemptDelay}).actions.empty());
  EXPECT_TRUE(run(in(State::Master), TimerExpired{TimerId::PreemptDelay}).actions.empty());
}

// ---- whole elections ----------------------------------------------------------

// Two routers wired back to back through step(): each one's SendAdvert is
// delivered to the other. Checks the RFC's outcome, not single rows.
TEST_P(StateMachine, TwoEqualRoutersElectTheHigherAddress) {
  Params low = params;
  Params high = params;
  high.primary_address = ip("192.0.2.2");
  // Both start together and both claim when their equal timers fire.
  InstanceState a = run(in(State::Init), Start{}).state;
  InstanceState b = step(high, in(State::Init), Start{}, kNow).state;
  a = run(a, TimerExpired{TimerId::MasterDown}).state;
  b = step(high, b, TimerExpired{TimerId::MasterDown}, kNow).state;
  ASSERT_EQ(a.state, State::Master);
  ASSERT_EQ(b.state, State::Master);
  // Each hears the other's advert.
  auto a_hears = step(low, a, advert(100, "192.0.2.2"), kNow);
  auto b_hears = step(high, b, advert(100, "192.0.2.1"), kNow);
  EXPECT_EQ(a_hears.state.state, State::Backup);
  EXPECT_EQ(b_hears.state.state, State::Master);
}

TEST(Outranks, HigherPriorityOrEqualPriorityFromTheHigherAddress) {
  const IpAddress low = *IpAddress::parse("192.0.2.1");
  const IpAddress high = *IpAddress::parse("192.0.2.2");
  EXPECT_TRUE(outranks(101, low, 100, high));
  EXPECT_FALSE(outranks(99, high, 100, low));
  EXPECT_TRUE(outranks(100, high, 100, low));
  EXPECT_FALSE(outranks(100, low, 100, high));
  EXPECT_FALSE(outranks(100, low, 100, low)) << "ourselves";
}

}  // namespace
}  // namespace keepvip::vrrp
