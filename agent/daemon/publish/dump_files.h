// keepvip's own counters file, RUNTIME_DIR/stats, written on SIGUSR1 and
// SIGUSR2 beside keepalived's files (keepalived_dumps.h): the kernel guard's
// drops per router, then one line of counters per instance. `keepvipd
// --stats` asks for it and prints it. Pure formatting, unit-tested.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "ports/guard.h"
#include "ports/status.h"

namespace keepvip::daemon {

inline constexpr const char* kStatsFile = "stats";

// The guard's kernel counters, then one line of counters per instance (the
// file `keepvipd --stats` prints).
std::string format_stats(const std::vector<ports::RouterCounters>& guard,
                         const std::vector<ports::InstanceSnapshot>& instances, MonoTime now);

}  // namespace keepvip::daemon
