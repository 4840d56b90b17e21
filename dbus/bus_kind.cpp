#include "dbus/bus_kind.h"

#include <string>

namespace keepvip::dbus {

std::string_view to_string(BusKind kind) {
  return kind == BusKind::System ? "system" : "user";
}

Result<BusPtr> connect_bus(BusKind kind, std::string_view description) {
  sd_bus* raw = nullptr;
  int r = kind == BusKind::System ? sd_bus_open_system(&raw) : sd_bus_open_user(&raw);
  if (r < 0) return os_error(-r, "connect to the " + std::string(to_string(kind)) + " bus");
  BusPtr bus(raw);
  // Only a label for `busctl status` and logs; failure is harmless.
  (void)sd_bus_set_description(bus.get(), std::string(description).c_str());
  return bus;
}

}  // namespace keepvip::dbus
