// The text `keepvipd --stats` prints for the guard's per-router counters.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "ports/guard.h"

namespace keepvip::daemon {

// One line per router, sorted by interface, VRID, family, source:
//   IFACE  VRID FAMILY SOURCE  ADVERTS PRIO INTERVAL  LAST-SEEN  DROPS
// LAST-SEEN is how long ago, against `now` ("0.812s ago"); DROPS lists
// reason=count or "-". Interface indexes are shown by name when the host
// still has them.
std::string format_counters(const std::vector<ports::RouterCounters>& counters, MonoTime now);

}  // namespace keepvip::daemon
