#include "daemon/supervisor/unit_failure.h"

#include <algorithm>

#include "daemon/tracking/tracking.h"

namespace keepvip::daemon {

std::vector<std::string> report_unit_failure(const std::vector<InstanceRunner*>& runners,
                                             ports::UnitHealth* units, std::string_view unit,
                                             std::string_view reason) {
  const std::string key = unit_key(unit);
  std::string description = "unit " + std::string(unit);
  if (!reason.empty()) description += " (" + std::string(reason) + ")";
  std::vector<std::string> affected;
  for (const auto& runner : runners) {
    const auto& tracked = runner->tracked();
    bool tracks = std::any_of(tracked.begin(), tracked.end(),
                              [&](const TrackedObject& o) { return o.key == key; });
    if (!tracks) continue;
    runner->set_tracked(key, false, description);
    affected.push_back(runner->name());
  }
  // Only once the mark is in place: a refresh that answers synchronously
  // with "active" must clear it, not be overwritten by it.
  if (units && !affected.empty()) units->refresh(std::string(unit));
  return affected;
}

}  // namespace keepvip::daemon
