// One-shot StopUnit calls for `keepvipd --release`: a crashed agent cannot
// stop the master_units it started, so the hand-over hook does, over a
// connection of its own (no event loop: the hook runs once and exits).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "dbus/bus_kind.h"

namespace keepvip::dbus {

// Queues a StopUnit (mode "replace") for each unit and returns once systemd
// accepted or refused every job; it does not wait for the units to stop.
// Errors name the units that could not be queued.
Result<> stop_units_now(BusKind kind, const std::vector<std::string>& units);

}  // namespace keepvip::dbus
