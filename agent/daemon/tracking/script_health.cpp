#include "daemon/tracking/script_health.h"

#include <algorithm>

namespace keepvip::daemon {

ScriptHealth::ScriptHealth(int rise, int fall, bool init_fail)
    : rise_(std::max(rise, 1)), fall_(std::max(fall, 1)), up_(!init_fail) {}

bool ScriptHealth::record(bool success) {
  if (success == up_) {
    streak_ = 0;
    return false;
  }
  ++streak_;
  if (streak_ < (up_ ? fall_ : rise_)) return false;
  up_ = success;
  streak_ = 0;
  return true;
}

}  // namespace keepvip::daemon
