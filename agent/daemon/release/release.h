// `keepvipd --release`: the crash hand-over run by ExecStopPost=. It reads
// RUNTIME_DIR/state (state_file.h) left by an agent that is no longer
// running, sends one priority-0 advert per held instance (the backup then
// takes over after its skew time instead of the master-down interval),
// removes the VIPs and the nftables tables that dropped traffic to them
// (accept mode) through `remove_tables`, and stops the instances' master_units through `stop_units`
// (so a service that must run on one node only does not keep running beside
// the peer's until the agent restarts). A clean stop leaves no held instance:
// nothing to do.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace keepvip::daemon {

// Asks systemd to stop the units (no waiting for them to stop); the
// composition root passes the D-Bus implementation.
using StopUnits = std::function<Result<>(const std::vector<std::string>& units)>;
// Removes the drop tables (ip and ip6) of that name, if there are any.
using RemoveDropTables = std::function<Result<>(const std::string& table)>;

// Returns the process exit code: 0 released (or nothing to release), 1 error.
// A unit that cannot be stopped is logged and does not make it fail: the
// VIPs are what the peer needs.
int release_held_vips(const std::string& runtime_dir, const StopUnits& stop_units,
                      const RemoveDropTables& remove_tables);

}  // namespace keepvip::daemon
