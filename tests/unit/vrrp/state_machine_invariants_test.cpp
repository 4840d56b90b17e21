// Long random event sequences through step(), with a simulated executor, to
// check what must hold after every step whatever happened before:
//  - the VIPs are held exactly while MASTER;
//  - the Advert timer is pending exactly while MASTER, the MasterDown timer
//    exactly while BACKUP (so no state can get stuck without a timer);
//  - a priority-0 advert is sent only when leaving MASTER;
//  - a transition is reported exactly when the state changes.
// Seeds are fixed, so a failure reproduces.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "state_machine_test_support.h"
#include "vrrp/state_machine.h"

using namespace std::chrono_literals;

namespace keepvip::vrrp {
namespace {

struct Executor {
  bool vips_held = false;
  std::array<bool, 3> pending{};  // by TimerId

  bool& timer(TimerId id) { return pending[static_cast<size_t>(id)]; }

  void perform(const std::vector<Action>& actions) {
    for (const Action& action : actions) {
      if (std::holds_alternative<AddVirtualAddresses>(action)) vips_held = true;
      if (std::holds_alternative<RemoveVirtualAddresses>(action)) vips_held = false;
      if (const auto* arm = std::get_if<ArmTimer>(&action)) timer(arm->timer) = true;
      if (const auto* cancel = std::get_if<CancelTimer>(&action)) timer(cancel->timer) = false;
    }
  }
};

class Invariants : public ::testing::TestWithParam<uint8_t> {};

INSTANTIATE_TEST_SUITE_P(Versions, Invariants, ::testing::Values(uint8_t{2}, uint8_t{3}),
                         [](const auto& param_info) {
                           return "v" + std::to_string(param_info.param);
                         });

TEST_P(Invariants, HoldOverRandomEventSequences) {
  const std::array<IpAddress, 3> peers = {*IpAddress::parse("192.0.2.0"),
                                          *IpAddress::parse("192.0.2.7"),
                                          *IpAddress::parse("192.0.2.200")};
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int low, int high) {
      return std::uniform_int_distribution<int>(low, high)(rng);
    };
    Params params;
    params.vrid = 51;
    params.version = GetParam();
    params.advert_interval = 1s;
    params.preempt = pick(0, 1) == 1;
    params.preempt_delay = pick(0, 1) == 1 ? 5s : 0s;
    params.start_as_master = pick(0, 3) == 0;
    // Between the peers' addresses, so equal-priority ties go both ways.
    params.primary_address = *IpAddress::parse("192.0.2.100");
    InstanceState state;
    state.priority = static_cast<uint8_t>(pick(0, 4) == 0 ? 255 : pick(1, 254));
    Executor executor;
    MonoTime now{1s};

    for (int i = 0; i < 2000; ++i) {
      now = now + Usec{pick(0, 2'000'000)};
      Event event = Start{};
      switch (pick(0, 9)) {
        case 0:
          event = Start{};
          break;
        case 1:
          event = Shutdown{};
          break;
        case 2:
        case 3:
        case 4: {
          proto::Advert advert;
          advert.version = params.version;
          advert.vrid = params.vrid;
          advert.priority = static_cast<uint8_t>(pick(0, 4) == 0 ? 0 : pick(1, 255));
          advert.interval_cs = static_cast<uint16_t>(params.version == 3 ? pick(1, 300) : 100);
          event = AdvertReceived{advert, peers[static_cast<size_t>(pick(0, 2))]};
          break;
        }
        case 5:
        case 6: {
          // Only pending timers fire, as with a real executor.
          const auto id = static_cast<TimerId>(pick(0, 2));
          if (!executor.timer(id)) continue;
          executor.timer(id) = false;
          event = TimerExpired{id};
          break;
        }
        case 7:
          event = PriorityChanged{static_cast<uint8_t>(pick(1, 254))};
          break;
        case 8:
          event = FaultChanged{pick(0, 1) == 1, "tracked object"};
          break;
        case 9:
          event = Resign{Usec{pick(0, 10'000'000)}};
          break;
      }

      const State before = state.state;
      StepResult r = step(params, state, event, now);
      executor.perform(r.actions);
      state = r.state;
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " step " << i << " "
                                        << to_string(before) << " -> " << to_string(state.state));

      ASSERT_EQ(executor.vips_held, state.state == State::Master);
      ASSERT_EQ(executor.timer(TimerId::Advert), state.state == State::Master);
      ASSERT_EQ(executor.timer(TimerId::MasterDown), state.state == State::Backup);
      ASSERT_FALSE(executor.timer(TimerId::PreemptDelay));

      int transitions = 0;
      for (const Action& a : r.actions) {
        transitions += std::holds_alternative<Transitioned>(a);
        if (const auto* send = std::get_if<SendAdvert>(&a); send && send->priority == 0) {
          ASSERT_EQ(before, State::Master) << "priority 0 sent while not MASTER";
          ASSERT_NE(state.state, State::Master);
        }
      }
      ASSERT_EQ(transitions, before != state.state ? 1 : 0);
      if (state.state == State::Master) {
        ASSERT_EQ(state.master_address, params.primary_address);
      }
    }
  }
}

}  // namespace
}  // namespace keepvip::vrrp
