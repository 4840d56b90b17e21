#include "dbus/unit_jobs.h"

#include <systemd/sd-bus.h>

#include <cstring>

#include "dbus/bus_error.h"
#include "dbus/systemd_names.h"

namespace keepvip::dbus {

Result<> stop_units_now(BusKind kind, const std::vector<std::string>& units) {
  if (units.empty()) return {};
  auto bus = connect_bus(kind, "keepvip-release");
  if (!bus) return unexpected(bus.error());
  // ExecStopPost= has TimeoutStopSec= for all of it: never hang on a bus
  // that accepts the connection but does not answer.
  sd_bus_set_method_call_timeout(bus->get(), 3'000'000);
  std::string failed;
  for (const auto& unit : units) {
    BusError error;
    int r = sd_bus_call_method(bus->get(), systemd::kService, systemd::kManagerPath,
                               systemd::kManagerInterface, "StopUnit", error.get(), nullptr, "ss",
                               unit.c_str(), "replace");
    if (r < 0) {
      failed += (failed.empty() ? "" : "; ") + unit + ": " +
                (error.is_set() ? error.message() : std::strerror(-r));
    }
  }
  if (!failed.empty()) return logic_error("stop " + failed);
  return {};
}

}  // namespace keepvip::dbus
