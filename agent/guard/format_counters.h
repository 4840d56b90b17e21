// The text `keepvipd --stats` prints for the guard's per-router counters.
#pragma once

#include <string>
#include <vector>

#include "ports/guard.h"

namespace keepvip::guard {

// One line per router, sorted by interface, VRID, family, source:
//   IFACE  VRID FAMILY SOURCE  ADVERTS PRIO INTERVAL  LAST-SEEN  DROPS
// LAST-SEEN is CLOCK_MONOTONIC seconds; DROPS lists reason=count or "-".
// Interface indexes are shown by name when the host still has them.
std::string format_counters(const std::vector<ports::RouterCounters>& counters);

}  // namespace keepvip::guard
