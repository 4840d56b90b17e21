#include "daemon/instances/guard_sync.h"

#include <tuple>
#include <utility>

namespace keepvip::daemon {
namespace {

bool same_instance(const ports::GuardInstance& a, const ports::GuardInstance& b) {
  return a.ifindex == b.ifindex && a.vrid() == b.vrid() && a.family() == b.family();
}

bool same_settings(const ports::GuardInstance& a, const ports::GuardInstance& b) {
  return std::tie(a.ifindex, a.receive, a.vips, a.own_addresses, a.priority) ==
         std::tie(b.ifindex, b.receive, b.vips, b.own_addresses, b.priority);
}

}  // namespace

Result<> GuardSync::configure(std::vector<ports::GuardInstance> instances) {
  configured_ = std::move(instances);
  return guard_.configure(configured_);
}

Result<> GuardSync::update(const ports::GuardInstance& instance) {
  for (auto& held : configured_) {
    if (!same_instance(held, instance)) continue;
    if (same_settings(held, instance)) return {};
    ports::GuardInstance previous = std::exchange(held, instance);
    auto r = guard_.configure(configured_);
    // Not applied: the next update must try again rather than see no change.
    if (!r) held = std::move(previous);
    return r;
  }
  return {};
}

}  // namespace keepvip::daemon
