#include "dbus/systemd_units.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "common/log.h"
#include "dbus/reconnecting_bus.h"
#include "dbus/systemd_names.h"

namespace keepvip::dbus {
namespace {

constexpr const char* kPropertiesIface = "org.freedesktop.DBus.Properties";

std::string unit_path(const std::string& unit) {
  char* out = nullptr;
  if (sd_bus_path_encode(systemd::kUnitPathPrefix, unit.c_str(), &out) < 0 || !out) return {};
  std::string path(out);
  free(out);
  return path;
}

// Reads the unit fields we judge by out of an a{sv}, leaving others alone.
struct UnitFields {
  std::optional<std::string> load_state, active_state, sub_state;
};

int read_unit_fields(sd_bus_message* m, UnitFields& f) {
  int r = sd_bus_message_enter_container(m, 'a', "{sv}");
  if (r < 0) return r;
  while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
    const char* name = nullptr;
    if ((r = sd_bus_message_read(m, "s", &name)) < 0) return r;
    std::string_view n(name);
    std::optional<std::string>* target = n == "LoadState"     ? &f.load_state
                                         : n == "ActiveState" ? &f.active_state
                                         : n == "SubState"    ? &f.sub_state
                                                              : nullptr;
    if (target) {
      const char* value = nullptr;
      if ((r = sd_bus_message_read(m, "v", "s", &value)) < 0) return r;
      *target = value;
    } else if ((r = sd_bus_message_skip(m, "v")) < 0) {
      return r;
    }
    if ((r = sd_bus_message_exit_container(m)) < 0) return r;
  }
  if (r < 0) return r;
  return sd_bus_message_exit_container(m);
}

// The start/stop calls systemd has not answered yet, and who waits for none
// to be left (ports::UnitHealth::when_jobs_answered).
struct JobsInFlight {
  size_t count = 0;
  std::vector<std::function<void()>> waiters;

  void answered() {
    if (--count > 0) return;
    auto ready = std::move(waiters);
    waiters.clear();
    for (auto& done : ready) done();
  }
};

struct Job {
  std::string unit;
  std::string verb;
  std::shared_ptr<JobsInFlight> in_flight;
};

int on_job_reply(sd_bus_message* reply, void* userdata, sd_bus_error*) {
  auto* job = static_cast<Job*>(userdata);
  if (const sd_bus_error* e = sd_bus_message_get_error(reply)) {
    log_warning(job->verb + " " + job->unit + " failed: " + (e->message ? e->message : e->name),
                {{"UNIT", job->unit}});
  } else {
    log_info(job->verb + " " + job->unit + ": job queued", {{"UNIT", job->unit}});
  }
  return 0;
}

// `bus` is connected: request_job() keeps the job for later otherwise.
Result<> queue_job(sd_bus* bus, const char* method, const std::string& unit, const char* verb,
                   const std::shared_ptr<JobsInFlight>& in_flight) {
  auto* job = new Job{unit, verb, in_flight};
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_call_method_async(bus, &slot, systemd::kService, systemd::kManagerPath,
                                   systemd::kManagerInterface, method, on_job_reply, job, "ss",
                                   unit.c_str(), "replace");
  if (r < 0) {
    delete job;
    return os_error(-r, std::string(verb) + " " + unit);
  }
  // Hand the pending call to the bus (floating) and drop our reference: the
  // slot, and the Job with it, goes when the reply is in or the bus closes;
  // either way nothing more will come of it.
  ++in_flight->count;
  sd_bus_slot_set_destroy_callback(slot, [](void* p) {
    auto* ended = static_cast<Job*>(p);
    ended->in_flight->answered();
    delete ended;
  });
  sd_bus_slot_set_floating(slot, 1);
  sd_bus_slot_unref(slot);
  return {};
}

}  // namespace

UnitVerdict judge_unit(std::string_view load_state, std::string_view active_state,
                       std::string_view sub_state, bool expected_running,
                       const UnitVerdict* previous) {
  if (active_state == "active") return {true, "active"};
  if (active_state == "failed" || active_state == "maintenance") {
    return {false, std::string(active_state)};
  }
  if (active_state == "inactive" || active_state == "deactivating") {
    if (load_state != "loaded" && !load_state.empty()) return {false, std::string(load_state)};
    if (!expected_running) return {true, std::string(active_state) + ", stopped by keepvip"};
    return {false, std::string(active_state)};
  }
  // The main process died and systemd will restart it: not serving now.
  if (active_state == "activating" && sub_state == "auto-restart") return {false, "auto-restart"};
  if (previous) return *previous;
  // Nothing to keep: a unit still starting is not up yet; one reloading was up.
  if (active_state == "reloading") return {true, "reloading"};
  return {false, std::string(active_state.empty() ? "unknown" : active_state)};
}

std::optional<UnitVerdict> judge_start(std::string_view load_state, std::string_view active_state,
                                       std::string_view sub_state, StartProgress& start) {
  if (!start.pending) return std::nullopt;
  // A unit that is not there (not-found, masked, bad) will not start.
  if (!load_state.empty() && load_state != "loaded") {
    start = {};
    return std::nullopt;
  }
  if (active_state == "activating" && sub_state != "auto-restart") {
    start.seen_activating = true;
    return UnitVerdict{true, "activating, started by keepvip"};
  }
  if (active_state == "inactive" && !start.seen_activating)
    return UnitVerdict{true, "inactive, start queued by keepvip"};
  start = {};
  return std::nullopt;
}

struct SystemdUnits::Impl {
  struct Watched {
    Impl* owner = nullptr;
    std::string name;
    std::string path;
    bool expected_running = true;
    StartProgress start;
    std::optional<UnitVerdict> verdict;
    UnitFields fields;
    SlotPtr changed_match;
    SlotPtr pending_read;
  };

  std::unique_ptr<ReconnectingBus> bus;
  std::map<std::string, Watched> units;
  // Units whose verdict must be redone because keepvip changed what it
  // expects of them (start/stop). Done from the loop, not inside
  // start_unit()/stop_unit(), so the daemon is never called back re-entrantly.
  std::set<std::string> rejudge_pending;
  EventSourcePtr rejudge_source;
  Callback callback;
  SlotPtr reloading_match, job_removed_match, owner_match, subscribe_call;
  // The live connection, set by setup() (ReconnectingBus calls it before
  // open() returns) and cleared when the connection is lost.
  sd_bus* conn = nullptr;
  // Jobs asked for while no bus was there, by unit (true: start), the last
  // request winning: sent once systemd answers Subscribe again, so a node
  // that became MASTER meanwhile still gets its master_units started.
  std::map<std::string, bool> deferred_jobs;
  std::shared_ptr<JobsInFlight> in_flight = std::make_shared<JobsInFlight>();

  // Closing the bus below ends the calls still in flight: their waiters
  // belong to a daemon that is gone by now and must not be called.
  ~Impl() { in_flight->waiters.clear(); }

  Result<> request_job(const std::string& unit, bool start) {
    const char* verb = start ? "start" : "stop";
    Result<> queued = conn
                          ? queue_job(conn, start ? "StartUnit" : "StopUnit", unit, verb, in_flight)
                          : logic_error(std::string(verb) + " " + unit +
                                        ": not connected to systemd; sent when the bus is back");
    if (queued || conn)
      deferred_jobs.erase(unit);
    else
      deferred_jobs[unit] = start;
    if (auto it = units.find(unit); it != units.end()) {
      // Stopped on our request, "inactive" is not a failure; started, it
      // is expected to run. Only a start that was sent is one in progress.
      it->second.expected_running = start;
      it->second.start = {start && queued.has_value(), false};
      schedule_rejudge(unit);
    }
    return queued;
  }

  void send_deferred_jobs() {
    auto jobs = std::move(deferred_jobs);
    deferred_jobs.clear();
    for (const auto& [unit, start] : jobs) {
      log_notice(std::string("systemd: ") + (start ? "starting " : "stopping ") + unit +
                     ", asked for while the bus was away",
                 {{"UNIT", unit}});
      if (auto r = request_job(unit, start); !r)
        log_warning(r.error().describe(), {{"UNIT", unit}});
    }
  }

  sd_bus* raw() const { return conn; }

  Result<> setup(sd_bus* b) {
    conn = b;
    sd_bus_slot* slot = nullptr;
    int r = sd_bus_match_signal_async(b, &slot, systemd::kService, systemd::kManagerPath,
                                      systemd::kManagerInterface, "Reloading", &Impl::on_reloading,
                                      nullptr, this);
    if (r < 0) return os_error(-r, "watch systemd reloads");
    reloading_match.reset(slot);
    r = sd_bus_match_signal_async(b, &slot, systemd::kService, systemd::kManagerPath,
                                  systemd::kManagerInterface, "JobRemoved", &Impl::on_job_removed,
                                  nullptr, this);
    if (r < 0) return os_error(-r, "watch systemd jobs");
    job_removed_match.reset(slot);
    r = sd_bus_add_match_async(b, &slot,
                               "type='signal',sender='org.freedesktop.DBus',"
                               "interface='org.freedesktop.DBus',member='NameOwnerChanged',"
                               "arg0='org.freedesktop.systemd1'",
                               &Impl::on_owner_changed, nullptr, this);
    if (r < 0) return os_error(-r, "watch systemd restarts");
    owner_match.reset(slot);
    subscribe();
    for (auto& [name, unit] : units) follow(unit);
    return {};
  }

  void drop_slots() {
    for (auto& [name, unit] : units) {
      unit.changed_match.reset();
      unit.pending_read.reset();
    }
    subscribe_call.reset();
    owner_match.reset();
    job_removed_match.reset();
    reloading_match.reset();
    conn = nullptr;
  }

  // systemd only broadcasts unit signals while someone is subscribed.
  void subscribe() {
    sd_bus_slot* slot = nullptr;
    int r = sd_bus_call_method_async(raw(), &slot, systemd::kService, systemd::kManagerPath,
                                     systemd::kManagerInterface, "Subscribe", &Impl::on_subscribed,
                                     this, nullptr);
    if (r < 0) {
      log_warning("systemd: cannot send Subscribe", {{"ERRNO", std::to_string(-r)}});
      return;
    }
    subscribe_call.reset(slot);
  }

  // Installs the change match, then reads the current state. The match is
  // queued first, so no change can fall between the read and the match.
  void follow(Watched& unit) {
    if (!raw()) return;
    sd_bus_slot* slot = nullptr;
    int r = sd_bus_match_signal_async(raw(), &slot, systemd::kService, unit.path.c_str(),
                                      kPropertiesIface, "PropertiesChanged",
                                      &Impl::on_properties_changed, nullptr, &unit);
    if (r < 0) {
      log_warning("systemd: cannot watch " + unit.name, {{"UNIT", unit.name}});
    } else {
      unit.changed_match.reset(slot);
    }
    read_state(unit);
  }

  // GetAll on the unit's path loads it if needed, so a unit that does not
  // exist yet answers LoadState=not-found instead of an error.
  void read_state(Watched& unit) {
    if (!raw()) return;
    sd_bus_slot* slot = nullptr;
    int r = sd_bus_call_method_async(raw(), &slot, systemd::kService, unit.path.c_str(),
                                     kPropertiesIface, "GetAll", &Impl::on_read, &unit, "s",
                                     systemd::kUnitInterface);
    if (r < 0) {
      log_warning("systemd: cannot read " + unit.name, {{"UNIT", unit.name}});
      return;
    }
    unit.pending_read.reset(slot);
  }

  void apply(Watched& unit, const UnitFields& update) {
    if (update.load_state) unit.fields.load_state = update.load_state;
    if (update.active_state) unit.fields.active_state = update.active_state;
    if (update.sub_state) unit.fields.sub_state = update.sub_state;
    judge(unit);
  }

  void judge(Watched& unit) {
    const UnitFields& f = unit.fields;
    if (!f.active_state) return;
    std::optional<UnitVerdict> starting = judge_start(f.load_state.value_or(""), *f.active_state,
                                                      f.sub_state.value_or(""), unit.start);
    UnitVerdict v =
        starting ? *starting
                 : judge_unit(f.load_state.value_or(""), *f.active_state, f.sub_state.value_or(""),
                              unit.expected_running, unit.verdict ? &*unit.verdict : nullptr);
    bool first = !unit.verdict;
    bool flipped = unit.verdict && unit.verdict->healthy != v.healthy;
    unit.verdict = v;
    if (!first && !flipped) return;
    log_info("unit " + unit.name + (v.healthy ? " is up (" : " is down (") + v.why + ")",
             {{"UNIT", unit.name}, {"ACTIVE_STATE", *f.active_state}});
    if (callback) callback(unit.name, v.healthy, v.why);
  }

  void schedule_rejudge(const std::string& unit) {
    rejudge_pending.insert(unit);
    if (rejudge_source) sd_event_source_set_enabled(rejudge_source.get(), SD_EVENT_ONESHOT);
  }

  static int on_rejudge(sd_event_source*, void* userdata) {
    auto* self = static_cast<Impl*>(userdata);
    auto pending = std::move(self->rejudge_pending);
    self->rejudge_pending.clear();
    for (const auto& name : pending) {
      if (auto it = self->units.find(name); it != self->units.end()) self->judge(it->second);
    }
    return 0;
  }

  void reread_all() {
    for (auto& [name, unit] : units) read_state(unit);
  }

  static int on_subscribed(sd_bus_message* reply, void* userdata, sd_bus_error*) {
    auto* self = static_cast<Impl*>(userdata);
    self->subscribe_call.reset();
    const sd_bus_error* e = sd_bus_message_get_error(reply);
    // AlreadySubscribed after a reconnect race is fine.
    if (e && std::string_view(e->name) != "org.freedesktop.systemd1.AlreadySubscribed") {
      log_warning(std::string("systemd: Subscribe failed: ") + (e->message ? e->message : e->name));
      return 0;
    }
    // systemd answers: jobs asked for meanwhile can go out.
    self->send_deferred_jobs();
    return 0;
  }

  static int on_read(sd_bus_message* reply, void* userdata, sd_bus_error*) {
    auto* unit = static_cast<Watched*>(userdata);
    if (const sd_bus_error* e = sd_bus_message_get_error(reply)) {
      log_warning("systemd: cannot read " + unit->name + ": " + (e->message ? e->message : e->name),
                  {{"UNIT", unit->name}});
      return 0;
    }
    UnitFields fields;
    if (read_unit_fields(reply, fields) < 0) {
      log_warning("systemd: unexpected reply reading " + unit->name, {{"UNIT", unit->name}});
      return 0;
    }
    unit->owner->apply(*unit, fields);
    return 0;
  }

  static int on_properties_changed(sd_bus_message* m, void* userdata, sd_bus_error*) {
    auto* unit = static_cast<Watched*>(userdata);
    const char* iface = nullptr;
    if (sd_bus_message_read(m, "s", &iface) < 0 ||
        std::string_view(iface) != systemd::kUnitInterface)
      return 0;
    UnitFields fields;
    if (read_unit_fields(m, fields) < 0) return 0;
    if (!fields.active_state && !fields.load_state && !fields.sub_state) {
      // Only invalidations: fetch the values.
      unit->owner->read_state(*unit);
      return 0;
    }
    unit->owner->apply(*unit, fields);
    return 0;
  }

  static int on_reloading(sd_bus_message* m, void* userdata, sd_bus_error*) {
    int active = 0;
    if (sd_bus_message_read(m, "b", &active) < 0) return 0;
    // Reloading(false) = the reload finished: unit files may have appeared,
    // changed or gone; the state we hold may be stale.
    if (!active) static_cast<Impl*>(userdata)->reread_all();
    return 0;
  }

  // A start keepvip asked for is over when its job is: a unit whose start
  // job finished without ever activating it (a failed Condition=, a failed
  // dependency) is judged by the normal rule from a fresh reading, instead
  // of counting as "start queued" until it next changes.
  static int on_job_removed(sd_bus_message* m, void* userdata, sd_bus_error*) {
    uint32_t id = 0;
    const char *job = nullptr, *name = nullptr, *result = nullptr;
    if (sd_bus_message_read(m, "uoss", &id, &job, &name, &result) < 0) return 0;
    auto* self = static_cast<Impl*>(userdata);
    auto it = self->units.find(name);
    if (it == self->units.end() || !it->second.start.pending) return 0;
    log_debug("systemd: job for " + it->second.name + " done (" + result + ")",
              {{"UNIT", it->second.name}});
    it->second.start = {};
    self->read_state(it->second);
    return 0;
  }

  static int on_owner_changed(sd_bus_message* m, void* userdata, sd_bus_error*) {
    const char *name = nullptr, *old_owner = nullptr, *new_owner = nullptr;
    if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0) return 0;
    if (!new_owner || !*new_owner) return 0;  // gone; wait for it to come back
    auto* self = static_cast<Impl*>(userdata);
    log_notice("systemd (re)appeared on the bus; subscribing again");
    self->subscribe();
    self->reread_all();
    return 0;
  }
};

SystemdUnits::SystemdUnits(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SystemdUnits::~SystemdUnits() {
  impl_->bus.reset();
}

Result<std::unique_ptr<SystemdUnits>> SystemdUnits::open(sd_event* loop, BusKind kind) {
  auto impl = std::make_unique<Impl>();
  sd_event_source* rejudge = nullptr;
  int r = sd_event_add_defer(loop, &rejudge, &Impl::on_rejudge, impl.get());
  if (r < 0) return os_error(-r, "add the unit re-judge event");
  impl->rejudge_source.reset(rejudge);
  sd_event_source_set_enabled(rejudge, SD_EVENT_OFF);
  Impl* raw = impl.get();
  auto bus = ReconnectingBus::open(
      loop, kind, "keepvip-units", [raw](sd_bus* b) { return raw->setup(b); },
      [raw] { raw->drop_slots(); },
      // Unit health must recover by itself: a bus that is not up yet when
      // keepvipd starts is retried, and watched units are read once it is.
      ReconnectingBus::FirstConnect::Background);
  if (!bus) return unexpected(bus.error());
  impl->bus = std::move(*bus);
  return std::unique_ptr<SystemdUnits>(new SystemdUnits(std::move(impl)));
}

Result<> SystemdUnits::watch(const std::string& unit) {
  if (impl_->units.count(unit)) return {};
  std::string path = unit_path(unit);
  if (path.empty()) return logic_error("invalid unit name '" + unit + "'");
  auto [it, inserted] = impl_->units.emplace(unit, Impl::Watched{});
  it->second.name = unit;
  it->second.path = path;
  it->second.owner = impl_.get();
  impl_->follow(it->second);
  return {};
}

void SystemdUnits::set_callback(Callback cb) {
  impl_->callback = std::move(cb);
}

void SystemdUnits::refresh(const std::string& unit) {
  auto it = impl_->units.find(unit);
  if (it == impl_->units.end()) return;
  // The next reading is reported whatever it says, like the first one.
  it->second.verdict.reset();
  impl_->read_state(it->second);
}

Result<> SystemdUnits::start_unit(const std::string& unit) {
  return impl_->request_job(unit, true);
}

Result<> SystemdUnits::stop_unit(const std::string& unit) {
  return impl_->request_job(unit, false);
}

void SystemdUnits::when_jobs_answered(std::function<void()> done) {
  if (impl_->in_flight->count == 0) {
    done();
    return;
  }
  impl_->in_flight->waiters.push_back(std::move(done));
}

}  // namespace keepvip::dbus
