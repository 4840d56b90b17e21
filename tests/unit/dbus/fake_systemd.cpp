#include "fake_systemd.h"

#include <cstdlib>

namespace keepvip::testing {
namespace {

constexpr const char* kUnitPrefix = "/org/freedesktop/systemd1/unit";
constexpr const char* kUnitIface = "org.freedesktop.systemd1.Unit";

const sd_bus_vtable kManagerVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Subscribe", "", "", FakeSystemd::method, 0),
    SD_BUS_METHOD("StartUnit", "ss", "o", FakeSystemd::method, 0),
    SD_BUS_METHOD("StopUnit", "ss", "o", FakeSystemd::method, 0),
    SD_BUS_SIGNAL("Reloading", "b", 0),
    SD_BUS_VTABLE_END,
};

const sd_bus_vtable kUnitVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("LoadState", "s", FakeSystemd::get_prop, 0,
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("ActiveState", "s", FakeSystemd::get_prop, 0,
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("SubState", "s", FakeSystemd::get_prop, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_VTABLE_END,
};

}  // namespace

bool FakeSystemd::start(sd_event* loop) {
  sd_bus* raw = nullptr;
  if (sd_bus_open_user(&raw) < 0) return false;
  bus_.reset(raw);
  sd_bus_slot* slot = nullptr;
  if (sd_bus_add_object_vtable(bus_.get(), &slot, "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", kManagerVtable, this) < 0)
    return false;
  manager_slot_.reset(slot);
  if (sd_bus_add_fallback_vtable(bus_.get(), &slot, kUnitPrefix, kUnitIface, kUnitVtable,
                                 &FakeSystemd::find_unit, this) < 0)
    return false;
  unit_slot_.reset(slot);
  if (sd_bus_attach_event(bus_.get(), loop, 0) < 0) return false;
  return sd_bus_request_name(bus_.get(), "org.freedesktop.systemd1", 0) >= 0;
}

int FakeSystemd::find_unit(sd_bus*, const char* path, const char*, void* userdata, void** found,
                           sd_bus_error*) {
  auto* self = static_cast<FakeSystemd*>(userdata);
  char* name = nullptr;
  if (sd_bus_path_decode(path, kUnitPrefix, &name) <= 0) return 0;
  // Like systemd: looking a unit up by path loads it, even if it has no file.
  *found = &self->units[name];
  free(name);
  return 1;
}

int FakeSystemd::get_prop(sd_bus* bus, const char*, const char*, const char* property,
                          sd_bus_message* reply, void* userdata, sd_bus_error*) {
  auto* unit = static_cast<Unit*>(userdata);
  std::string_view p(property);
  // Count client reads (Get/GetAll), not the values our own signals carry.
  sd_bus_message* current = sd_bus_get_current_message(bus);
  if (p == "ActiveState" && current && sd_bus_message_get_member(current) &&
      std::string_view(sd_bus_message_get_member(current)).starts_with("Get"))
    ++unit->reads;
  const std::string& v = p == "LoadState"     ? unit->load
                         : p == "ActiveState" ? unit->active
                                              : unit->sub;
  return sd_bus_message_append(reply, "s", v.c_str());
}

int FakeSystemd::method(sd_bus_message* m, void* userdata, sd_bus_error*) {
  auto* self = static_cast<FakeSystemd*>(userdata);
  std::string member = sd_bus_message_get_member(m);
  if (member == "Subscribe") {
    self->calls.push_back(member);
    return sd_bus_reply_method_return(m, nullptr);
  }
  const char *unit = nullptr, *mode = nullptr;
  int r = sd_bus_message_read(m, "ss", &unit, &mode);
  if (r < 0) return r;
  self->calls.push_back(member + " " + unit + " " + mode);
  return sd_bus_reply_method_return(m, "o", "/org/freedesktop/systemd1/job/1");
}

void FakeSystemd::set(const std::string& unit, const std::string& load, const std::string& active,
                      const std::string& sub, bool silent) {
  units[unit] = Unit{load, active, sub, units[unit].reads};
  if (silent) return;
  char* path = nullptr;
  if (sd_bus_path_encode(kUnitPrefix, unit.c_str(), &path) < 0) return;
  sd_bus_emit_properties_changed(bus_.get(), path, kUnitIface, "LoadState", "ActiveState",
                                 "SubState", nullptr);
  free(path);
}

void FakeSystemd::emit_reload() {
  sd_bus_emit_signal(bus_.get(), "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                     "Reloading", "b", 1);
  sd_bus_emit_signal(bus_.get(), "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                     "Reloading", "b", 0);
}

void FakeSystemd::emit_job_removed(const std::string& unit, const std::string& result) {
  sd_bus_emit_signal(bus_.get(), "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                     "JobRemoved", "uoss", 1u, "/org/freedesktop/systemd1/job/1", unit.c_str(),
                     result.c_str());
}

}  // namespace keepvip::testing
