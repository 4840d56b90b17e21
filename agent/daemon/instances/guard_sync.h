// Keeps the BPF guard's view of our instances current. The guard decides in
// the kernel whether an advert comes from a router we would yield to
// (foreign-master evidence), so it needs each instance's *effective*
// priority: configure() at start or reload is not enough once tracked
// scripts, units or interfaces move the priority.
#pragma once

#include <vector>

#include "ports/guard.h"

namespace keepvip::daemon {

class GuardSync {
 public:
  explicit GuardSync(ports::Guard& guard) : guard_(guard) {}

  // The whole instance set (start, reload): always sent to the guard.
  Result<> configure(std::vector<ports::GuardInstance> instances);
  // One instance's view changed (e.g. its effective priority): the set is
  // sent again when it differs from what the guard holds. Instances the
  // guard was not configured with yet are left to the next configure().
  Result<> update(const ports::GuardInstance& instance);

  const std::vector<ports::GuardInstance>& configured() const { return configured_; }

 private:
  ports::Guard& guard_;
  std::vector<ports::GuardInstance> configured_;
};

}  // namespace keepvip::daemon
