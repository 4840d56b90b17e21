// Just enough of systemd's D-Bus API for SystemdUnits tests: the Manager's
// Subscribe/StartUnit/StopUnit and Reloading signal, and unit objects with
// LoadState/ActiveState/SubState that emit PropertiesChanged like systemd.
#pragma once

#include <systemd/sd-bus.h>

#include <map>
#include <string>
#include <vector>

#include "common/sd_owners.h"

namespace keepvip::testing {

class FakeSystemd {
 public:
  struct Unit {
    std::string load = "not-found", active = "inactive", sub = "dead";
    int reads = 0;  // how often ActiveState was read
  };

  // Connects to the session bus (DBUS_SESSION_BUS_ADDRESS) and takes the name.
  bool start(sd_event* loop);

  // Changes a unit and emits PropertiesChanged (unless `silent`).
  void set(const std::string& unit, const std::string& load, const std::string& active,
           const std::string& sub, bool silent = false);
  // A daemon-reload: Reloading(true), then Reloading(false).
  void emit_reload();
  // A job finished: JobRemoved(id, job, unit, result), result "done", "failed", ...
  void emit_job_removed(const std::string& unit, const std::string& result);

  std::vector<std::string> calls;  // "Subscribe", "StartUnit httpd.service replace", ...
  std::map<std::string, Unit> units;

  // sd-bus callbacks (public so the static vtables can name them).
  static int find_unit(sd_bus*, const char* path, const char*, void* userdata, void** found,
                       sd_bus_error*);
  static int get_prop(sd_bus*, const char*, const char*, const char* property,
                      sd_bus_message* reply, void* userdata, sd_bus_error*);
  static int method(sd_bus_message* m, void* userdata, sd_bus_error*);

 private:
  BusPtr bus_;
  SlotPtr manager_slot_, unit_slot_;
};

}  // namespace keepvip::testing
