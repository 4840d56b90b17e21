#include "dbus/bus_service.h"

#include <cstdlib>
#include <map>
#include <set>

#include "common/log.h"
#include "dbus/instance_properties.h"
#include "dbus/reconnecting_bus.h"

#ifndef KEEPVIP_VERSION
#define KEEPVIP_VERSION "0.0.0"
#endif

namespace keepvip::dbus {
namespace {

// An operator hold longer than a day is almost certainly a unit mistake
// (seconds passed as microseconds twice over); refuse it rather than
// silently pinning an instance in BACKUP.
constexpr uint64_t kMaxResignHoldUsec = 24ULL * 3600 * 1'000'000;
constexpr size_t kMaxReasonLength = 256;

// The reason ends up in logs and FaultReasons: keep it one short printable line.
int check_reason(std::string_view why, sd_bus_error* error) {
  if (why.size() > kMaxReasonLength) {
    return sd_bus_error_setf(error, kErrorInvalidArgument, "reason is longer than %zu bytes",
                             kMaxReasonLength);
  }
  for (char c : why) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return sd_bus_error_setf(error, kErrorInvalidArgument,
                               "reason must not contain control characters");
    }
  }
  return 0;
}

// A unit name as systemd spells it: "httpd.service", "getty@tty1.service".
bool plausible_unit_name(std::string_view unit) {
  if (unit.empty() || unit.size() > 255 || unit.find('.') == std::string_view::npos) return false;
  for (char c : unit) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '/') return false;
  }
  return true;
}

}  // namespace

struct BusService::Impl {
  explicit Impl(ports::Control& c) : control(c) {}

  ports::Control& control;
  std::unique_ptr<ReconnectingBus> bus;
  SlotPtr manager_slot, instance_slot, enumerator_slot, object_manager_slot;
  std::map<std::string, ports::InstanceSnapshot> instances;  // by object path
  bool split_brain = false;

  sd_bus* raw() const { return bus ? bus->get() : nullptr; }
  Result<> setup(sd_bus* b);
  void drop_slots();

  const ports::InstanceSnapshot* find_by_name(std::string_view name) const {
    auto it = instances.find(instance_path(name));
    return it == instances.end() ? nullptr : &it->second;
  }

  void emit_instance_changed(const std::string& path, const std::vector<const char*>& names);
  void emit_added(const std::string& path);
  void emit_removed(const std::string& path);
  void emit_manager_changed(const char* property);
  void refresh_split_brain();

  static int get_version(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply,
                         void*, sd_bus_error*);
  static int get_instances(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply,
                           void* userdata, sd_bus_error*);
  static int get_split_brain(sd_bus*, const char*, const char*, const char*, sd_bus_message* reply,
                             void* userdata, sd_bus_error*);
  static int method_reload(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int method_resign(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int method_set_fault(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int method_unit_failed(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int find_instance(sd_bus*, const char* path, const char*, void* userdata, void** found,
                           sd_bus_error*);
  static int enumerate_instances(sd_bus*, const char*, void* userdata, char*** nodes,
                                 sd_bus_error*);
};

namespace {

const sd_bus_vtable kManagerVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("Version", "s", BusService::Impl::get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("Instances", "ao", BusService::Impl::get_instances, 0,
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("SplitBrain", "b", BusService::Impl::get_split_brain, 0,
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_METHOD_WITH_ARGS("Reload", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT,
                            BusService::Impl::method_reload, 0),
    SD_BUS_METHOD_WITH_ARGS("Resign", SD_BUS_ARGS("s", instance, "t", hold_usec), SD_BUS_NO_RESULT,
                            BusService::Impl::method_resign, 0),
    SD_BUS_METHOD_WITH_ARGS("SetFault", SD_BUS_ARGS("s", instance, "b", faulted, "s", reason),
                            SD_BUS_NO_RESULT, BusService::Impl::method_set_fault, 0),
    SD_BUS_METHOD_WITH_ARGS("UnitFailed", SD_BUS_ARGS("s", unit, "s", reason),
                            SD_BUS_RESULT("as", instances), BusService::Impl::method_unit_failed,
                            0),
    SD_BUS_VTABLE_END,
};

}  // namespace

int BusService::Impl::get_version(sd_bus*, const char*, const char*, const char*,
                                  sd_bus_message* reply, void*, sd_bus_error*) {
  return sd_bus_message_append(reply, "s", KEEPVIP_VERSION);
}

int BusService::Impl::get_instances(sd_bus*, const char*, const char*, const char*,
                                    sd_bus_message* reply, void* userdata, sd_bus_error*) {
  auto* self = static_cast<Impl*>(userdata);
  int r = sd_bus_message_open_container(reply, 'a', "o");
  for (const auto& [path, snapshot] : self->instances) {
    if (r < 0) return r;
    r = sd_bus_message_append(reply, "o", path.c_str());
  }
  return r < 0 ? r : sd_bus_message_close_container(reply);
}

int BusService::Impl::get_split_brain(sd_bus*, const char*, const char*, const char*,
                                      sd_bus_message* reply, void* userdata, sd_bus_error*) {
  return sd_bus_message_append(reply, "b",
                               static_cast<int>(static_cast<Impl*>(userdata)->split_brain));
}

int BusService::Impl::method_reload(sd_bus_message* m, void* userdata, sd_bus_error* error) {
  auto* self = static_cast<Impl*>(userdata);
  log_info("reload requested over D-Bus");
  if (auto r = self->control.reload(); !r) {
    return sd_bus_error_setf(error, kErrorReloadFailed, "%s", r.error().describe().c_str());
  }
  return sd_bus_reply_method_return(m, nullptr);
}

int BusService::Impl::method_resign(sd_bus_message* m, void* userdata, sd_bus_error* error) {
  auto* self = static_cast<Impl*>(userdata);
  const char* name = nullptr;
  uint64_t hold = 0;
  int r = sd_bus_message_read(m, "st", &name, &hold);
  if (r < 0) return r;
  if (!self->find_by_name(name)) {
    return sd_bus_error_setf(error, kErrorNoSuchInstance, "No instance named '%s'", name);
  }
  if (hold > kMaxResignHoldUsec) {
    return sd_bus_error_setf(error, kErrorInvalidArgument,
                             "hold_usec %llu is longer than one day (it is in microseconds)",
                             static_cast<unsigned long long>(hold));
  }
  log_info("resign requested over D-Bus",
           {{"INSTANCE", name}, {"HOLD_USEC", std::to_string(hold)}});
  if (auto res = self->control.resign(name, Usec(static_cast<Usec::rep>(hold))); !res) {
    return sd_bus_error_setf(error, kErrorFailed, "%s", res.error().describe().c_str());
  }
  return sd_bus_reply_method_return(m, nullptr);
}

int BusService::Impl::method_set_fault(sd_bus_message* m, void* userdata, sd_bus_error* error) {
  auto* self = static_cast<Impl*>(userdata);
  const char* name = nullptr;
  int faulted = 0;
  const char* reason = nullptr;
  int r = sd_bus_message_read(m, "sbs", &name, &faulted, &reason);
  if (r < 0) return r;
  if (!self->find_by_name(name)) {
    return sd_bus_error_setf(error, kErrorNoSuchInstance, "No instance named '%s'", name);
  }
  std::string_view why(reason);
  if (int invalid = check_reason(why, error); invalid < 0) return invalid;
  std::string text = why.empty() && faulted ? "set by operator" : std::string(why);
  log_info(faulted ? "fault set over D-Bus" : "fault cleared over D-Bus",
           {{"INSTANCE", name}, {"REASON", text}});
  if (auto res = self->control.set_fault(name, faulted != 0, text); !res) {
    return sd_bus_error_setf(error, kErrorFailed, "%s", res.error().describe().c_str());
  }
  return sd_bus_reply_method_return(m, nullptr);
}

int BusService::Impl::method_unit_failed(sd_bus_message* m, void* userdata, sd_bus_error* error) {
  auto* self = static_cast<Impl*>(userdata);
  const char* unit = nullptr;
  const char* reason = nullptr;
  int r = sd_bus_message_read(m, "ss", &unit, &reason);
  if (r < 0) return r;
  if (!plausible_unit_name(unit)) {
    return sd_bus_error_setf(error, kErrorInvalidArgument, "'%s' is not a unit name", unit);
  }
  if (int invalid = check_reason(reason, error); invalid < 0) return invalid;
  log_info("unit failure reported over D-Bus", {{"UNIT", unit}, {"REASON", reason}});
  auto affected = self->control.unit_failed(unit, reason);
  if (!affected) {
    return sd_bus_error_setf(error, kErrorFailed, "%s", affected.error().describe().c_str());
  }
  if (affected->empty()) {
    return sd_bus_error_setf(error, kErrorNoSuchInstance, "No instance tracks unit '%s'", unit);
  }
  MessagePtr reply;
  sd_bus_message* raw = nullptr;
  if ((r = sd_bus_message_new_method_return(m, &raw)) < 0) return r;
  reply.reset(raw);
  if ((r = sd_bus_message_open_container(raw, 'a', "s")) < 0) return r;
  for (const auto& name : *affected) {
    if ((r = sd_bus_message_append(raw, "s", name.c_str())) < 0) return r;
  }
  if ((r = sd_bus_message_close_container(raw)) < 0) return r;
  return sd_bus_send(nullptr, raw, nullptr);
}

int BusService::Impl::find_instance(sd_bus*, const char* path, const char*, void* userdata,
                                    void** found, sd_bus_error*) {
  auto* self = static_cast<Impl*>(userdata);
  auto it = self->instances.find(path);
  if (it == self->instances.end()) return 0;
  // Every Get/GetAll of the object comes through here: the counters, which
  // are not pushed (they emit no signal), are brought up to date first.
  if (auto counters = self->control.live_counters(it->second.name))
    it->second.counters = std::move(*counters);
  *found = &it->second;
  return 1;
}

int BusService::Impl::enumerate_instances(sd_bus*, const char*, void* userdata, char*** nodes,
                                          sd_bus_error*) {
  auto* self = static_cast<Impl*>(userdata);
  // sd-bus frees the list with free(): allocate it with malloc.
  auto** list = static_cast<char**>(calloc(self->instances.size() + 1, sizeof(char*)));
  if (!list) return -ENOMEM;
  size_t i = 0;
  for (const auto& [path, snapshot] : self->instances) {
    list[i] = strdup(path.c_str());
    if (!list[i]) {
      for (size_t j = 0; j < i; ++j) free(list[j]);
      free(list);
      return -ENOMEM;
    }
    ++i;
  }
  *nodes = list;
  return 0;
}

Result<> BusService::Impl::setup(sd_bus* b) {
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_add_object_vtable(b, &slot, kManagerPath, kManagerInterface, kManagerVtable, this);
  if (r < 0) return os_error(-r, "register the D-Bus manager object");
  manager_slot.reset(slot);
  r = sd_bus_add_fallback_vtable(b, &slot, kInstancePrefix, kInstanceInterface, instance_vtable(),
                                 &Impl::find_instance, this);
  if (r < 0) return os_error(-r, "register the D-Bus instance objects");
  instance_slot.reset(slot);
  r = sd_bus_add_node_enumerator(b, &slot, kInstancePrefix, &Impl::enumerate_instances, this);
  if (r < 0) return os_error(-r, "register the D-Bus instance enumerator");
  enumerator_slot.reset(slot);
  r = sd_bus_add_object_manager(b, &slot, kManagerPath);
  if (r < 0) return os_error(-r, "register the D-Bus object manager");
  object_manager_slot.reset(slot);
  // Objects first, name last: a client that sees the name can use everything.
  r = sd_bus_request_name(b, kBusName, 0);
  if (r < 0) return os_error(-r, std::string("request the bus name ") + kBusName);
  return {};
}

void BusService::Impl::drop_slots() {
  object_manager_slot.reset();
  enumerator_slot.reset();
  instance_slot.reset();
  manager_slot.reset();
}

void BusService::Impl::emit_instance_changed(const std::string& path,
                                             const std::vector<const char*>& names) {
  if (!raw() || names.empty()) return;
  std::vector<char*> strv;
  for (const char* n : names) strv.push_back(const_cast<char*>(n));
  strv.push_back(nullptr);
  int r = sd_bus_emit_properties_changed_strv(raw(), path.c_str(), kInstanceInterface, strv.data());
  if (r < 0) log_warning("D-Bus: cannot emit PropertiesChanged", {{"OBJECT", path}});
}

void BusService::Impl::emit_added(const std::string& path) {
  if (!raw()) return;
  if (sd_bus_emit_interfaces_added(raw(), path.c_str(), kInstanceInterface, nullptr) < 0)
    log_warning("D-Bus: cannot emit InterfacesAdded", {{"OBJECT", path}});
}

void BusService::Impl::emit_removed(const std::string& path) {
  if (!raw()) return;
  if (sd_bus_emit_interfaces_removed(raw(), path.c_str(), kInstanceInterface, nullptr) < 0)
    log_warning("D-Bus: cannot emit InterfacesRemoved", {{"OBJECT", path}});
}

void BusService::Impl::emit_manager_changed(const char* property) {
  if (!raw()) return;
  if (sd_bus_emit_properties_changed(raw(), kManagerPath, kManagerInterface, property, nullptr) < 0)
    log_warning("D-Bus: cannot emit PropertiesChanged", {{"OBJECT", kManagerPath}});
}

void BusService::Impl::refresh_split_brain() {
  bool any = false;
  for (const auto& [path, s] : instances) any = any || s.split_brain;
  if (any == split_brain) return;
  split_brain = any;
  emit_manager_changed("SplitBrain");
}

BusService::BusService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

BusService::~BusService() {
  // Slots refer to the connection: release them before it closes.
  impl_->bus.reset();
}

Result<std::unique_ptr<BusService>> BusService::open(sd_event* loop, ports::Control& control,
                                                     BusKind kind) {
  auto impl = std::make_unique<Impl>(control);
  Impl* raw = impl.get();
  auto bus = ReconnectingBus::open(
      loop, kind, "keepvip-api", [raw](sd_bus* b) { return raw->setup(b); },
      [raw] { raw->drop_slots(); }, ReconnectingBus::FirstConnect::WhenReachable);
  if (!bus) return unexpected(bus.error());
  impl->bus = std::move(*bus);
  return std::unique_ptr<BusService>(new BusService(std::move(impl)));
}

void BusService::instances_reset(const std::vector<ports::InstanceSnapshot>& all) {
  std::set<std::string> incoming;
  for (const auto& s : all) incoming.insert(instance_path(s.name));

  bool membership_changed = false;
  for (auto it = impl_->instances.begin(); it != impl_->instances.end();) {
    if (incoming.count(it->first)) {
      ++it;
      continue;
    }
    std::string path = it->first;
    it = impl_->instances.erase(it);
    impl_->emit_removed(path);
    membership_changed = true;
  }
  for (const auto& s : all) {
    std::string path = instance_path(s.name);
    if (!impl_->instances.count(path)) {
      impl_->instances.emplace(path, s);
      impl_->emit_added(path);
      membership_changed = true;
    } else {
      instance_updated(s);
    }
  }
  if (membership_changed) impl_->emit_manager_changed("Instances");
  impl_->refresh_split_brain();
}

void BusService::instance_updated(const ports::InstanceSnapshot& instance) {
  std::string path = instance_path(instance.name);
  auto it = impl_->instances.find(path);
  if (it == impl_->instances.end()) {
    impl_->instances.emplace(path, instance);
    impl_->emit_added(path);
    impl_->emit_manager_changed("Instances");
    impl_->refresh_split_brain();
    return;
  }
  SnapshotDiff diff = diff_snapshots(it->second, instance);
  it->second = instance;
  if (diff.const_changed) {
    // Constant properties may be cached by clients: announce a new object.
    impl_->emit_removed(path);
    impl_->emit_added(path);
  } else {
    impl_->emit_instance_changed(path, diff.changed);
  }
  impl_->refresh_split_brain();
}

std::string BusService::instance_path(std::string_view name) {
  char* out = nullptr;
  if (sd_bus_path_encode(kInstancePrefix, std::string(name).c_str(), &out) < 0 || !out) {
    return std::string(kInstancePrefix) + "/_";
  }
  std::string path(out);
  free(out);
  return path;
}

}  // namespace keepvip::dbus
