#include "daemon/tracking/priority.h"

#include <algorithm>

namespace keepvip::daemon {

PriorityVerdict effective_priority(uint8_t configured, const std::vector<TrackedObject>& tracked) {
  PriorityVerdict verdict;
  int priority = configured;
  for (const auto& object : tracked) {
    // keepalived's rule (vrrp_track.c): a weight applies while the object is
    // up if positive, down if negative; `reverse` negates the weight, it does
    // not swap up and down. Only with weight 0 does reverse mean "up is the
    // fault". Mixed clusters elect alike only if both sides count the same.
    int sign = object.reverse ? -1 : 1;
    if (object.value) {
      // keepalived's process_update_vrrp_track_file_status (track_file.c).
      int64_t value = *object.value;
      std::string reason = object.description + " value " + std::to_string(value);
      if (object.weight == 0) {
        if ((value != 0) != object.reverse) verdict.fault_reasons.push_back(reason);
        continue;
      }
      int64_t status = std::clamp<int64_t>(value * object.weight * sign, -254, 253);
      if (status == -254)
        verdict.fault_reasons.push_back(reason);
      else
        priority += static_cast<int>(status);
      continue;
    }
    if (object.weight == 0) {
      if (object.up == object.reverse)
        verdict.fault_reasons.push_back(object.description +
                                        (object.up ? " up (reverse)" : " down"));
    } else if ((object.weight > 0) == object.up) {
      priority += sign * object.weight;
    }
  }
  verdict.priority =
      configured == 255 ? uint8_t{255} : static_cast<uint8_t>(std::clamp(priority, 1, 254));
  return verdict;
}

}  // namespace keepvip::daemon
