#include "daemon/priority.h"

#include <algorithm>

namespace keepvip::daemon {

PriorityVerdict effective_priority(uint8_t configured, const std::vector<TrackedObject>& tracked) {
  PriorityVerdict verdict;
  int priority = configured;
  for (const auto& object : tracked) {
    bool up = object.reverse ? !object.up : object.up;
    if (object.weight == 0) {
      if (!up) verdict.fault_reasons.push_back(object.description + " down");
    } else if (object.weight > 0 && up) {
      priority += object.weight;
    } else if (object.weight < 0 && !up) {
      priority += object.weight;
    }
  }
  verdict.priority =
      configured == 255 ? uint8_t{255} : static_cast<uint8_t>(std::clamp(priority, 1, 254));
  return verdict;
}

}  // namespace keepvip::daemon
