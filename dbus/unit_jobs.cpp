#include "dbus/unit_jobs.h"

#include <systemd/sd-bus.h>

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
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call_method(bus->get(), "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "StopUnit", &error, &reply, "ss",
                               unit.c_str(), "replace");
    if (r < 0) {
      failed += (failed.empty() ? "" : "; ") + unit + ": " +
                (error.message ? error.message
                 : error.name  ? error.name
                               : "call failed");
    }
    sd_bus_error_free(&error);
    sd_bus_message_unref(reply);
  }
  if (!failed.empty()) return logic_error("stop " + failed);
  return {};
}

}  // namespace keepvip::dbus
