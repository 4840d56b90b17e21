#include "daemon/supervisor/supervisor.h"

#include <cstdio>
#include <iterator>

#include "common/log.h"
#include "daemon/publish/status_summary.h"
#include "daemon/supervisor/unit_failure.h"
#include "daemon/tracking/tracking.h"

namespace keepvip::daemon {
namespace {

// How long stopping waits for notify scripts (notify_stop among them) and
// for systemd to answer the master_units stops: well inside the unit's
// TimeoutStopSec=10s.
constexpr Usec kStopDrain{5'000'000};

std::string describe_errors(const std::vector<config::Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    if (d.severity != config::Severity::Error) continue;
    if (!text.empty()) text += "\n";
    text += d.to_string();
  }
  return text;
}

}  // namespace

Supervisor::Supervisor(Ports ports, Options options, config::Config config)
    : ports_(std::move(ports)),
      options_(std::move(options)),
      config_(std::move(config)),
      publisher_(options_.runtime_dir),
      guard_sync_(*ports_.guard),
      notifier_(ports_.loop, config_.global.notify_script_timeout),
      static_route_kind_(ports_.routes),
      static_rule_kind_(ports_.routes),
      channel_kind_(ports_.loop, ports_.open_socket,
                    [this](ChannelKey channel) { return runners_on(channel); }),
      guarded_kind_(*ports_.guard),
      link_delays_(ports_.loop,
                   [this](const std::string& name, bool up) {
                     for (InstanceRunner* r : runners()) r->set_tracked(interface_key(name), up);
                   }),
      instance_kind_(ports_, guard_sync_, notifier_, channels_, link_delays_,
                     {[this](InstanceRunner& r) { on_instance_changed(r); },
                      [this] { publisher_.record(held()); }}),
      script_kind_(ports_.checks,
                   [this](const std::string& key, bool up) {
                     for (InstanceRunner* r : runners()) r->set_tracked(key, up);
                   }),
      file_kind_(ports_.checks,
                 [this](const std::string& key, int64_t value) {
                   for (InstanceRunner* r : runners()) r->set_tracked_value(key, value);
                 }),
      probe_kind_(ports_.checks,
                  [this](const std::string& instance, const std::string& key, bool up) {
                    if (InstanceRunner* r = find(instance)) r->set_tracked(key, up);
                  }),
      process_monitor_(ports_.loop, ports_.processes),
      process_kind_(process_monitor_, [this](const std::string& key, bool up) {
        for (InstanceRunner* r : runners()) r->set_tracked(key, up);
      }) {}

Supervisor::~Supervisor() = default;

void Supervisor::open_notify_fifos() {
  notify_fifos_.configure(ports_.loop, config_.global);
  notifier_.on_notify([this](const std::string& instance, std::string_view what, uint8_t priority) {
    notify_fifos_.write(notify_fifo_line(instance, what, priority));
  });
}

Result<std::unique_ptr<Supervisor>> Supervisor::create(Ports ports, Options options,
                                                       config::Config config) {
  std::unique_ptr<Supervisor> s(
      new Supervisor(std::move(ports), std::move(options), std::move(config)));
  if (auto r = s->watch_events(); !r) return unexpected(r.error());
  return s;
}

Result<> Supervisor::watch_events() {
  if (ports_.links) {
    auto watch = IoWatch::create(
        ports_.loop, ports_.links->fd(),
        [this] {
          auto r = ports_.links->drain_links([this](const net::LinkEvent& e) { on_link_event(e); },
                                             [this](const net::AddressEvent& e) {
                                               for (InstanceRunner* runner : runners())
                                                 instance_kind_.follow_source(*runner, e);
                                             });
          if (!r && r.error().errnum == ENOBUFS) {
            // Events were lost: read the state of every tracked link again,
            // and look again for a source where there was none.
            for (InstanceRunner* runner : runners()) {
              instance_kind_.resync_interfaces(*runner);
              if (!runner->has_source()) instance_kind_.find_source_again(*runner);
            }
          } else if (!r) {
            log_warning("link monitor: " + r.error().describe());
          }
        },
        "link monitor");
    if (!watch) return unexpected(watch.error());
    link_watch_ = std::move(*watch);
  }
  if (ports_.guard->event_fd() >= 0) {
    auto watch = IoWatch::create(
        ports_.loop, ports_.guard->event_fd(), [this] { on_guard_readable(); }, "guard events");
    if (!watch) return unexpected(watch.error());
    guard_watch_ = std::move(*watch);
  }
  if (ports_.units) {
    ports_.units->set_callback([this](std::string_view unit, bool healthy, std::string_view why) {
      std::string description = "unit " + std::string(unit) + " (" + std::string(why) + ")";
      for (InstanceRunner* r : runners()) r->set_tracked(unit_key(unit), healthy, description);
    });
  }
  return {};
}

// ---- the one reconcile ----------------------------------------------------------

void Supervisor::apply(const config::Config& config) {
  link_delays_.configure(config.interface_delays);
  std::vector<InstanceSpec> instances = instance_kind_.desired(config, instances_);
  std::vector<const InstanceSpec*> placed;
  for (const auto& spec : instances) placed.push_back(&spec);
  channels_.plan(channels_for(placed));
  guarded_.plan(guarded_interfaces_for(placed));
  instances_.plan(std::move(instances));
  scripts_.plan(tracked_scripts(config));
  processes_.plan(tracked_processes(config));
  files_.plan(tracked_files(config));
  static_routes_.plan(config.static_routes);
  static_rules_.plan(config.static_rules);
  // Static routes and rules first, as keepalived installs them before its
  // instances run (and rules after the routes they lead to).
  const std::array<Reconcilable*, 8> order = {&static_routes_, &static_rules_, &channels_,
                                              &guarded_,       &instances_,    &scripts_,
                                              &processes_,     &files_};
  for (auto it = order.rbegin(); it != order.rend(); ++it) (*it)->stop_planned();
  for (Reconcilable* set : order) set->start_planned();

  // What follows the instances that run now: their reference probes, and
  // no socket or guard left where an instance failed to start.
  const auto running = running_specs();
  probes_.reconcile(probes_for(running));
  channels_.reconcile(channels_for(running));
  guarded_.reconcile(guarded_interfaces_for(running));

  file_kind_.started();
  report_verdicts();
  follow_units();
  configure_guard();
  // Last, so that an instance starts knowing its checks' verdicts.
  const MonoTime now = monotonic_now();
  const Usec deaf_for =
      startup_deaf_until_ && *startup_deaf_until_ > now ? *startup_deaf_until_ - now : Usec{0};
  for (InstanceRunner* runner : runners())
    if (runner->state() == vrrp::State::Init) runner->start(deaf_for);
}

// Every instance hears the current verdict of what it tracks, whether the
// check is new, kept or did not start (down).
void Supervisor::report_verdicts() {
  for (const auto& script : tracked_scripts(config_)) {
    const HealthCheck* check = scripts_.find(script.name);
    bool up = check && check->up();
    for (InstanceRunner* r : runners()) r->set_tracked(script_key(script.name), up);
  }
  for (const auto& process : tracked_processes(config_)) {
    const HealthCheck* check = processes_.find(process.name);
    bool up = check && check->up();
    for (InstanceRunner* r : runners()) r->set_tracked(process_key(process.name), up);
  }
  for (const auto& file : tracked_files(config_)) {
    // A file that cannot be watched reads as 0, as a missing one does.
    const ValueCheck* check = files_.find(file.name);
    for (InstanceRunner* r : runners())
      r->set_tracked_value(file_key(file.name), check ? check->value() : 0);
  }
  for (InstanceRunner* r : runners()) {
    const auto& arbitration = r->config().arbitration;
    if (!arbitration) continue;
    const HealthCheck* probe = probes_.find(r->name());
    r->set_tracked(reference_key(arbitration->reference), probe && probe->up());
  }
}

void Supervisor::follow_units() {
  for (InstanceRunner* runner : runners()) {
    for (const auto& t : runner->config().track_units) {
      if (!ports_.units) {
        runner->set_tracked(unit_key(t.name), false, "unit " + t.name + " (no systemd bus)");
        continue;
      }
      if (auto r = ports_.units->watch(t.name); !r)
        log_warning(runner->name() + ": cannot follow " + t.name + ": " + r.error().describe());
    }
  }
}

void Supervisor::configure_guard() {
  std::vector<ports::GuardInstance> instances;
  for (InstanceRunner* r : runners()) instances.push_back(r->guard_instance());
  if (auto r = guard_sync_.configure(std::move(instances)); !r)
    log_warning("guard: cannot configure: " + r.error().describe());
}

void Supervisor::start() {
  open_notify_fifos();
  if (const Usec delay = config_.global.vrrp_startup_delay; delay > Usec{0}) {
    startup_deaf_until_ = monotonic_now() + delay;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", static_cast<double>(delay.count()) / 1e6);
    log_info(std::string("Delaying startup for ") + seconds + " seconds");
  }
  apply(config_);
  ready_ = true;
  publisher_.all_changed(snapshot(), held());
  publisher_.ready(snapshot());
  log_notice("keepvipd running: " + status_summary(snapshot()));
}

Result<> Supervisor::reload() {
  if (stopping_) return logic_error("stopping");
  publisher_.reloading();
  log_notice("reloading " + options_.config_path);
  // Parsed on the event loop, not off it: the reader's limits
  // (config/include.h) bound the worst file to well under a second and
  // 200 MB (tests/unit/config/resource_bounds_test.cpp), far inside
  // WatchdogSec, and a thread would have to hand a Config back to the loop
  // and keep a second reload from racing the first, for nothing.
  auto parsed = ports_.read_config();
  for (const auto& d : parsed.diagnostics) {
    if (d.severity == config::Severity::Error) {
      log_error(d.to_string());
    } else {
      log_warning(d.to_string());
    }
  }
  if (!parsed.ok()) {
    log_error("reload failed: keeping the running configuration");
    publisher_.ready(snapshot());
    return logic_error("reload failed:\n" + describe_errors(parsed.diagnostics));
  }
  config_ = std::move(*parsed.config);
  notifier_.set_timeout(config_.global.notify_script_timeout);
  open_notify_fifos();
  ready_ = false;
  const auto before = states_before_reload();
  apply(config_);
  if (config_.global.fifo_write_vrrp_states_on_reload) restate_kept(before);
  ready_ = true;
  publisher_.all_changed(snapshot(), held());
  const ReconcileCounts& n = instances_.counts();
  log_notice("reloaded: " + std::to_string(n.unchanged) + " unchanged, " +
             std::to_string(n.updated) + " updated, " + std::to_string(n.rebuilt) + " rebuilt, " +
             std::to_string(n.added) + " added, " + std::to_string(n.removed) + " removed");
  publisher_.ready(snapshot());
  return {};
}

std::map<std::string, Supervisor::KeptState> Supervisor::states_before_reload() const {
  std::map<std::string, KeptState> states;
  for (const InstanceRunner* r : runners())
    states.emplace(r->name(), KeptState{r->state(), r->entered_state_at()});
  return states;
}

// keepalived (vrrp_init_state) writes these lines for the instances that
// stay BACKUP or FAULT but none for one that stays MASTER; keepvip writes
// that one too, so that a FIFO reader restarted before the reload learns
// every state (docs/keepvip.conf.5.md).
void Supervisor::restate_kept(const std::map<std::string, KeptState>& before) {
  for (const InstanceRunner* r : runners()) {
    auto it = before.find(r->name());
    if (it == before.end() || it->second.state != r->state() ||
        it->second.since != r->entered_state_at())
      continue;
    if (auto state = notify_state(r->state()))
      notifier_.restate(r->config(), *state, r->priority());
  }
}

void Supervisor::shutdown() {
  if (stopping_) {
    // A second SIGTERM/SIGINT: stop waiting for notify scripts.
    sd_event_exit(ports_.loop, 0);
    return;
  }
  stopping_ = true;
  publisher_.stopping();
  log_notice("stopping: masters hand over with priority 0");
  for (InstanceRunner* runner : runners()) runner->shutdown();
  publisher_.record(held());
  // keepalived removes its static rules, then routes, when it stops.
  static_rules_.reconcile({});
  static_routes_.reconcile({});
  // With the VIPs already released, wait, bounded by one timer, for two
  // things: the notify scripts (notify_stop runs once those of earlier
  // transitions have ended, notify.h) and systemd's answers to the
  // master_units stops (a StopUnit whose sender has left the bus before
  // systemd read it is never run).
  units_answered_ = ports_.units == nullptr;
  if (ports_.units) {
    ports_.units->when_jobs_answered([this] {
      units_answered_ = true;
      exit_when_drained();
    });
  }
  notifier_.on_idle([this] { exit_when_drained(); });
  if (drained()) {
    sd_event_exit(ports_.loop, 0);
    return;
  }
  auto timer = Timer::create(
      ports_.loop,
      [this] {
        const std::string after = std::to_string(kStopDrain.count() / 1'000'000) + " s";
        if (!notifier_.idle())
          log_warning("notify scripts still running after " + after +
                      ": leaving them to finish (each within notify_script_timeout); those "
                      "still waiting behind them are not run");
        if (!units_answered_)
          log_warning("systemd has not answered every master_units start/stop after " + after +
                      ": those not answered may not run");
        sd_event_exit(ports_.loop, 0);
      },
      "stop drain");
  if (!timer) {
    sd_event_exit(ports_.loop, 0);
    return;
  }
  drain_timer_ = std::move(*timer);
  drain_timer_->arm(kStopDrain);
}

DumpView Supervisor::dump_view() const {
  DumpView view;
  view.global = &config_.global;
  view.static_routes = &config_.static_routes;
  view.static_rules = &config_.static_rules;
  for (const InstanceRunner* runner : runners()) {
    // The kernel guard's drops count as keepalived's errors too.
    ports::InstanceSnapshot s = runner->snapshot();
    if (auto live = live_counters(s.name)) s.counters = *live;
    view.instances.push_back({std::move(s), &runner->spec().instance, runner->source(),
                              runner->has_source(), runner->ifindex()});
  }
  for (const auto& [name, process] : config_.processes) {
    const ProcessCheck* check = processes_.find(name);
    if (!check) continue;  // tracked by no instance
    const ProcessQuorum& q = check->quorum();
    DumpedProcess dumped{
        &process, q.count(), q.up(), q.fork_delay_running(), q.terminate_delay_running(), {}};
    for (const InstanceRunner* runner : runners())
      for (const auto& t : runner->spec().instance.track_processes)
        if (t.name == name)
          dumped.trackers.push_back({runner->name(), t.weight.value_or(process.weight),
                                     t.reverse.value_or(process.weight_reverse)});
    view.processes.push_back(std::move(dumped));
  }
  for (const auto& [name, script] : config_.scripts) {
    const HealthCheck* check = scripts_.find(name);
    if (!check) continue;  // tracked by no instance: keepalived lists only those it runs
    DumpedScript dumped{&script, check->up(), {}};
    for (const InstanceRunner* runner : runners())
      for (const auto& track : runner->spec().instance.track_scripts)
        if (track.name == name) dumped.instances.push_back(runner->name());
    view.scripts.push_back(std::move(dumped));
  }
  return view;
}

bool Supervisor::drained() const {
  return notifier_.idle() && units_answered_;
}

void Supervisor::exit_when_drained() {
  if (drained()) sd_event_exit(ports_.loop, 0);
}

void Supervisor::on_signal(AgentSignal signal, const char* name) {
  switch (signal) {
    case AgentSignal::Stop:
      shutdown();
      break;
    case AgentSignal::Reload:
      (void)reload();
      break;
    case AgentSignal::DumpData:
      // keepalived: SIGUSR1 writes its data. keepvipd writes the data and,
      // as `keepvipd --stats` has always asked with SIGUSR1, its counters.
      publisher_.dump_data(name, dump_view());
      publisher_.dump_stats(name, ports_.guard->counters(), snapshot());
      break;
    case AgentSignal::DumpStats:
      publisher_.dump_keepalived_stats(name, dump_view());
      publisher_.dump_stats(name, ports_.guard->counters(), snapshot());
      break;
    case AgentSignal::DumpJson:
      publisher_.dump_json(name, dump_view());
      break;
    case AgentSignal::ClearStats:
      publisher_.dump_stats(name, ports_.guard->counters(), snapshot());
      log_info(
          "counters are not cleared: they only grow, so that D-Bus readers and monitoring can "
          "take differences");
      break;
  }
}

// ---- events ---------------------------------------------------------------------

void Supervisor::on_instance_changed(InstanceRunner& runner) {
  if (!ready_) return;  // a (re)start publishes everything once at the end
  publisher_.one_changed(runner.snapshot(), snapshot(), held(), /*with_status=*/!stopping_);
}

void Supervisor::on_link_event(const net::LinkEvent& event) {
  log_debug("link " + event.name + (event.up ? " up" : " down"), {{"INTERFACE", event.name}});
  link_delays_.event(event.name, event.up);
}

void Supervisor::on_guard_readable() {
  ports_.guard->drain([this](uint8_t vrid, int ifindex, const vrrp::SplitBrainEvidence& evidence) {
    for (InstanceRunner* runner : runners()) {
      if (runner->vrid() == vrid && runner->ifindex() == ifindex &&
          runner->family() == evidence.source.family())
        runner->on_guard_evidence(evidence);
    }
  });
}

// ---- what runs ------------------------------------------------------------------

std::vector<InstanceRunner*> Supervisor::runners() const {
  std::vector<InstanceRunner*> out;
  for (const auto& e : instances_.entries()) out.push_back(e.object.get());
  return out;
}

std::vector<InstanceRunner*> Supervisor::runners_on(ChannelKey channel) const {
  std::vector<InstanceRunner*> out;
  for (InstanceRunner* r : runners())
    if (r->ifindex() == channel.ifindex && r->family() == channel.family) out.push_back(r);
  return out;
}

std::vector<const InstanceSpec*> Supervisor::running_specs() const {
  std::vector<const InstanceSpec*> out;
  for (const auto& e : instances_.entries()) out.push_back(&e.spec);
  return out;
}

InstanceRunner* Supervisor::find(std::string_view name) const {
  return instances_.find(std::string(name));
}

std::vector<HeldInstance> Supervisor::held() const {
  std::vector<HeldInstance> out;
  for (InstanceRunner* r : runners())
    if (r->holds_vips()) out.push_back(r->held());
  return out;
}

// ---- ports::Control ---------------------------------------------------------------

std::vector<ports::InstanceSnapshot> Supervisor::snapshot() const {
  std::vector<ports::InstanceSnapshot> all;
  for (InstanceRunner* r : runners()) all.push_back(r->snapshot());
  return all;
}

const std::vector<ports::RouterCounters>& Supervisor::guard_counters() const {
  uint64_t now = 0;
  // sd_event_now() is the time of the current wakeup, the same for every
  // call within one dispatch; before the loop first runs it is not (r > 0).
  int r = sd_event_now(ports_.loop, CLOCK_MONOTONIC, &now);
  if (r != 0 || now != guard_counters_at_) {
    guard_counters_ = ports_.guard->counters();
    guard_counters_at_ = r == 0 ? now : 0;
  }
  return guard_counters_;
}

std::optional<ports::InstanceCounters> Supervisor::live_counters(std::string_view instance) const {
  InstanceRunner* r = find(instance);
  if (!r) return std::nullopt;
  ports::InstanceCounters counters = r->snapshot().counters;
  // What the guard dropped in the kernel never reached the runner.
  for (const auto& router : guard_counters()) {
    if (router.ifindex != r->ifindex() || router.vrid != r->vrid() || router.family != r->family())
      continue;
    for (const auto& [reason, count] : router.drops) counters.drops[reason] += count;
  }
  return counters;
}

Result<> Supervisor::resign(std::string_view instance, Usec hold) {
  InstanceRunner* r = find(instance);
  if (!r) return logic_error("no such instance: " + std::string(instance));
  r->resign(hold);
  return {};
}

Result<> Supervisor::set_fault(std::string_view instance, bool faulted, std::string_view reason) {
  InstanceRunner* r = find(instance);
  if (!r) return logic_error("no such instance: " + std::string(instance));
  std::string description =
      faulted
          ? "operator fault" + (reason.empty() ? std::string() : " (" + std::string(reason) + ")")
          : std::string("operator fault");
  r->set_tracked(kOperatorKey, !faulted, description);
  return {};
}

Result<std::vector<std::string>> Supervisor::unit_failed(std::string_view unit,
                                                         std::string_view reason) {
  auto affected = report_unit_failure(runners(), ports_.units, unit, reason);
  if (!affected.empty()) {
    std::string names;
    for (const auto& name : affected) names += (names.empty() ? "" : ", ") + name;
    log_notice("unit " + std::string(unit) + " failed (reported): " + names +
                   " count it as down until it is active again",
               {{"UNIT", std::string(unit)}, {"REASON", std::string(reason)}});
  }
  return affected;
}

}  // namespace keepvip::daemon
