// Helpers for the transition tables: actions as readable strings so a row
// states its exact expected action list, and canned adverts.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "vrrp/state_machine.h"

namespace keepvip::vrrp {
// Lets gtest print states by name in failure messages.
inline void PrintTo(State state, std::ostream* os) {
  *os << to_string(state);
}
}  // namespace keepvip::vrrp

namespace keepvip::vrrp::testing {

inline const char* timer_name(TimerId id) {
  switch (id) {
    case TimerId::Advert:
      return "Advert";
    case TimerId::MasterDown:
      return "MasterDown";
    case TimerId::PreemptDelay:
      return "PreemptDelay";
  }
  return "?";
}

inline std::string describe(const Action& action) {
  struct Describe {
    std::string operator()(const SendAdvert& a) const {
      return "SendAdvert(" + std::to_string(a.priority) + ")";
    }
    std::string operator()(const AddVirtualAddresses&) const { return "AddVirtualAddresses"; }
    std::string operator()(const RemoveVirtualAddresses&) const { return "RemoveVirtualAddresses"; }
    std::string operator()(const Announce&) const { return "Announce"; }
    std::string operator()(const Reannounce&) const { return "Reannounce"; }
    std::string operator()(const ArmTimer& a) const {
      return std::string("ArmTimer(") + timer_name(a.timer) + ", " +
             std::to_string(a.delay.count()) + "us)";
    }
    std::string operator()(const CancelTimer& a) const {
      return std::string("CancelTimer(") + timer_name(a.timer) + ")";
    }
    std::string operator()(const HeardLowerPriority&) const { return "HeardLowerPriority"; }
    std::string operator()(const Transitioned& a) const {
      return "Transitioned(" + std::string(to_string(a.from)) + "->" +
             std::string(to_string(a.to)) + ")";
    }
  };
  return std::visit(Describe{}, action);
}

inline std::vector<std::string> describe(const std::vector<Action>& actions) {
  std::vector<std::string> out;
  for (const Action& a : actions) out.push_back(describe(a));
  return out;
}

// An instance in `state` at `priority`, as step() would have left it.
inline InstanceState instance_in(const Params& params, State state, uint8_t priority = 100) {
  InstanceState s;
  s.state = state;
  s.priority = priority;
  s.master_adver_interval = params.advert_interval;
  if (state == State::Master) {
    s.master_address = params.primary_address;
    s.master_priority = priority;
  }
  return s;
}

inline const Transitioned* find_transition(const StepResult& result) {
  for (const Action& a : result.actions) {
    if (const auto* t = std::get_if<Transitioned>(&a)) return t;
  }
  return nullptr;
}

}  // namespace keepvip::vrrp::testing
