// What keepvipd writes when a keepalived user sends the signals they know
// (keepalived 2.2.8 vrrp_daemon.c): SIGUSR1 the instance data, SIGUSR2 the
// counters, SIGRTMIN+2 the instance data as JSON. keepalived writes them to
// /tmp/keepalived.{data,stats,json}; keepvipd writes them to its runtime
// directory (data, stats, data.json), which only root can read and which is
// visible outside the unit's PrivateTmp. The layouts are keepvip's own for
// now. Pure formatting, unit-tested.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "ports/guard.h"
#include "ports/status.h"

namespace keepvip::daemon {

inline constexpr const char* kStatsFile = "stats";
inline constexpr const char* kDataFile = "data";
inline constexpr const char* kJsonFile = "data.json";

// One paragraph per instance: state, priorities, VIPs, master, last
// transition and fault reasons.
std::string format_data(const std::vector<ports::InstanceSnapshot>& instances);
// The same as a JSON array of objects, one per instance.
std::string format_json(const std::vector<ports::InstanceSnapshot>& instances);
// The guard's kernel counters, then one line of counters per instance (the
// file `keepvipd --stats` prints).
std::string format_stats(const std::vector<ports::RouterCounters>& guard,
                         const std::vector<ports::InstanceSnapshot>& instances, MonoTime now);

}  // namespace keepvip::daemon
