// keepvip-fault@UNIT.service (OnFailure=) reports that a systemd unit failed
// (ports::Control::unit_failed). The report is taken at its word at once —
// it may arrive before, or instead of, the unit's D-Bus state change — and
// then the unit's state is read again, so a unit that already recovered
// (Restart=) is not left marked down.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "daemon/instances/instance_runner.h"
#include "ports/unit_health.h"

namespace keepvip::daemon {

// Marks `unit` down with `reason` in every runner that tracks it (key
// "unit:NAME") and returns their names, in runner order; then asks `units`
// (may be nullptr: no bus) to report the unit's current state again. An
// empty result means no instance tracks the unit.
std::vector<std::string> report_unit_failure(const std::vector<InstanceRunner*>& runners,
                                             ports::UnitHealth* units, std::string_view unit,
                                             std::string_view reason);

}  // namespace keepvip::daemon
