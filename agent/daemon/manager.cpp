#include "daemon/manager.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "common/atomic_file.h"
#include "common/log.h"
#include "config/parser.h"
#include "daemon/dump_files.h"
#include "daemon/publish/format_counters.h"
#include "daemon/reload_plan.h"
#include "daemon/sd_notify.h"
#include "daemon/state_file.h"
#include "daemon/tracking.h"
#include "daemon/unit_failure.h"

namespace keepvip::daemon {
namespace {

// How long stopping waits for notify scripts (notify_stop among them):
// well inside the unit's TimeoutStopSec=10s.
constexpr Usec kNotifyDrain{5'000'000};

std::string describe_diagnostics(const std::vector<config::Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    if (d.severity != config::Severity::Error) continue;
    if (!text.empty()) text += "\n";
    text += d.to_string();
  }
  return text;
}

}  // namespace

Manager::Manager(const Ports& ports, const ManagerOptions& options, config::Config config)
    : ports_(ports),
      options_(options),
      config_(std::move(config)),
      loop_(ports.loop),
      netlink_(ports.netlink),
      guard_(ports.guard),
      units_(ports.units) {}

Manager::~Manager() {
  // Runners and channels hold event sources and point at the plumbing below:
  // they go first, in reverse order of creation.
  signals_.clear();
  probes_.clear();
  runners_.clear();
  channels_.clear();
  scripts_.clear();
}

Result<std::unique_ptr<Manager>> Manager::create(const Ports& ports, const ManagerOptions& options,
                                                 config::Config config) {
  return std::unique_ptr<Manager>(new Manager(ports, options, std::move(config)));
}

Result<> Manager::setup() {
  if (ports_.links) {
    auto link_watch = IoWatch::create(
        loop_, ports_.links->fd(),
        [this] {
          auto r = ports_.links->drain_links([this](const net::LinkEvent& e) { on_link_event(e); });
          if (!r && r.error().errnum == ENOBUFS) {
            // Events were lost: read the state of every tracked link again.
            for (auto& runner : runners_) refresh_interfaces(*runner);
          } else if (!r) {
            log_warning("link monitor: " + r.error().describe());
          }
        },
        "link monitor");
    if (!link_watch) return unexpected(link_watch.error());
    link_watch_ = std::move(*link_watch);
  }

  guard_sync_ = std::make_unique<GuardSync>(*guard_);
  if (guard_->event_fd() >= 0) {
    auto watch = IoWatch::create(
        loop_, guard_->event_fd(), [this] { on_guard_readable(); }, "guard events");
    if (!watch) return unexpected(watch.error());
    guard_watch_ = std::move(*watch);
  }

  notifier_ = std::make_unique<NotifyRunner>(loop_, config_.global.notify_script_timeout);
  if (units_) {
    units_->set_callback([this](std::string_view unit, bool healthy, std::string_view why) {
      std::string description = "unit " + std::string(unit) + " (" + std::string(why) + ")";
      for (auto& runner : runners_) runner->set_tracked(unit_key(unit), healthy, description);
    });
  }
  return setup_signals();
}

void Manager::attach_status_sink(ports::StatusSink* sink) {
  bus_ = sink;
}

namespace {

// keepalived's SIGJSON and SIGSTATS_CLEAR (keepalived 2.2.8 lib/signals.h).
int json_signal() {
  return SIGRTMIN + 2;
}
int stats_clear_signal() {
  return SIGRTMAX - 1;
}

}  // namespace

void block_handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signo :
       {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD, json_signal(), stats_clear_signal()})
    sigaddset(&set, signo);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  // A write to a script's closed pipe or a peer's closed socket is an error
  // to handle (EPIPE), not a reason to die. keepalived ignores it too.
  // Scripts get the default back (child_process.cpp resets every signal).
  signal(SIGPIPE, SIG_IGN);
}

// Every signal a keepalived user sends is handled; none terminates keepvipd
// except SIGTERM/SIGINT. SIGQUIT, SIGABRT and SIGSEGV keep their default
// (core dump): they mean "crash now", and ExecStopPost hands the VIPs over.
Result<> Manager::setup_signals() {
  auto add = [this](int signo, std::function<void()> handler) -> Result<> {
    auto watch = SignalWatch::create(loop_, signo, std::move(handler));
    if (!watch) return unexpected(watch.error());
    signals_.push_back(std::move(*watch));
    return {};
  };
  if (auto r = add(SIGTERM, [this] { shutdown(); }); !r) return r;
  if (auto r = add(SIGINT, [this] { shutdown(); }); !r) return r;
  if (auto r = add(SIGHUP, [this] { (void)reload(); }); !r) return r;
  // keepalived: SIGUSR1 writes its data. keepvipd writes the data and, as
  // `keepvipd --stats` has always asked with SIGUSR1, the counters.
  if (auto r = add(SIGUSR1,
                   [this] {
                     write_dump(kDataFile, "instance data", "SIGUSR1", format_data(snapshot()));
                     write_stats("SIGUSR1");
                   });
      !r)
    return r;
  if (auto r = add(SIGUSR2, [this] { write_stats("SIGUSR2"); }); !r) return r;
  if (auto r = add(json_signal(),
                   [this] {
                     write_dump(kJsonFile, "instance data as JSON", "SIGRTMIN+2",
                                format_json(snapshot()));
                   });
      !r)
    return r;
  if (auto r = add(stats_clear_signal(),
                   [this] {
                     write_stats("SIGRTMAX-1");
                     log_info(
                         "counters are not cleared: they only grow, so that D-Bus "
                         "readers and monitoring can take differences");
                   });
      !r)
    return r;
  return {};
}

Result<> Manager::enumerate() {
  for (const auto& instance : config_.instances) start_instance(instance);
  sync_scripts();
  sync_units();
  sync_references();
  sync_guard();
  for (auto& runner : runners_) runner->start();
  ready_ = true;
  publish_all();
  notify_ready(status_summary(snapshot()));
  log_notice("keepvipd running: " + status_summary(snapshot()));
  return {};
}

int Manager::run() {
  int r = sd_event_loop(loop_);
  if (r < 0) {
    log_error(Error{-r, "event loop failed"}.describe());
    return 1;
  }
  return r;
}

// ---- instances ----------------------------------------------------------------

void Manager::remove_stale_vips(const config::Instance& instance, int ifindex) {
  // The address owner's VIP is its own interface address: never "stale".
  if (instance.priority == 255) return;
  auto remove_if_present = [&](const config::VirtualAddress& vip) {
    int index = ifindex;
    if (!vip.dev.empty()) {
      auto dev = netlink_->interface_index(vip.dev);
      if (!dev) return;  // reported when the VIP is added
      index = *dev;
    }
    auto present = netlink_->list_addresses(index);
    if (!present) {
      log_warning(instance.name + ": cannot look for stale VIPs: " + present.error().describe(),
                  {{"INSTANCE", instance.name}});
      return;
    }
    for (const auto& p : *present) {
      if (p.address != vip.prefix.address) continue;
      if (auto r = netlink_->remove_address(index, p); !r) {
        log_warning(instance.name + ": cannot remove stale VIP: " + r.error().describe(),
                    {{"INSTANCE", instance.name}});
      } else {
        log_notice(
            instance.name + ": removed stale VIP " + p.to_string() + " left by a previous run",
            {{"INSTANCE", instance.name}, {"VIP", p.to_string()}});
      }
    }
  };
  for (const auto& vip : instance.virtual_addresses) remove_if_present(vip);
  for (const auto& vip : instance.excluded_addresses) remove_if_present(vip);
}

AdvertChannel* Manager::channel_for(int ifindex, Family family) {
  auto key = std::make_pair(ifindex, family);
  if (auto it = channels_.find(key); it != channels_.end()) return it->second.get();
  // Always joined to the multicast group: a reload may add multicast
  // instances to an interface without reopening the socket its instances
  // share. Unicast instances ignore multicast adverts (InstanceRunner).
  auto channel =
      AdvertChannel::open(loop_, ifindex, family, /*multicast=*/true,
                          [this, ifindex, family] { return runners_on(ifindex, family); });
  if (!channel) {
    log_error("cannot open the VRRP socket: " + channel.error().describe());
    return nullptr;
  }
  return (channels_[key] = std::move(*channel)).get();
}

void Manager::start_instance(const config::Instance& instance) {
  auto ifindex = netlink_->interface_index(instance.interface);
  if (!ifindex) {
    log_error(instance.name + ": interface " + instance.interface +
                  " not found; instance not started (reload once it exists)",
              {{"INSTANCE", instance.name}});
    return;
  }
  remove_stale_vips(instance, *ifindex);

  Placement placement;
  placement.ifindex = *ifindex;
  Family family = instance.family();
  if (instance.unicast_src_ip) {
    placement.source = *instance.unicast_src_ip;
  } else {
    std::vector<IpAddress> vips;
    for (const auto& v : instance.virtual_addresses) vips.push_back(v.prefix.address);
    for (const auto& v : instance.excluded_addresses) vips.push_back(v.prefix.address);
    auto source = netlink_->primary_address(*ifindex, family, vips);
    if (!source) {
      log_error(instance.name + ": no " + std::string(to_string(family)) + " source address on " +
                    instance.interface + " (" + source.error().describe() +
                    "); instance not started",
                {{"INSTANCE", instance.name}});
      return;
    }
    placement.source = *source;
  }
  AdvertChannel* channel = channel_for(*ifindex, family);
  if (!channel) return;

  RunnerContext context;
  context.loop = loop_;
  context.netlink = netlink_;
  context.announcer = ports_.announcer;
  context.guard = guard_;
  context.guard_sync = guard_sync_.get();
  context.units = units_;
  context.notifier = notifier_.get();
  context.record_held = [this] { write_state(); };
  auto runner = InstanceRunner::create(context, instance_spec(config_, instance, placement),
                                       &channel->sender(),
                                       [this](InstanceRunner& r) { on_instance_changed(r); });
  if (!runner) {
    log_error(instance.name + ": " + runner.error().describe(), {{"INSTANCE", instance.name}});
    return;
  }
  refresh_interfaces(**runner);
  if (!guarded_interfaces_.count(*ifindex)) {
    auto how = guard_->attach(*ifindex, instance.interface);
    if (how) {
      guarded_interfaces_[*ifindex] = {instance.interface, how->mode};
      // None: the NullGuard, which already said once what is lost.
      if (how->mode != ports::GuardMode::None)
        log_info("guard attached to " + instance.interface + " (" + ports::describe(*how) + ")",
                 {{"INTERFACE", instance.interface}, {"GUARD_MODE", ports::describe(*how)}});
    } else {
      guarded_interfaces_[*ifindex] = {instance.interface, ports::GuardMode::None};
      log_warning("guard: cannot attach to " + instance.interface + ": " + how.error().describe());
    }
  }
  runners_.push_back(std::move(*runner));
}

void Manager::refresh_interfaces(InstanceRunner& runner) {
  for (const auto& object : runner.tracked()) {
    if (!object.key.starts_with("interface:")) continue;
    std::string name = object.key.substr(std::string_view("interface:").size());
    auto index = netlink_->interface_index(name);
    bool up = false;
    std::string description = "interface " + name;
    if (!index) {
      description += " (missing)";
    } else if (auto state = netlink_->link_is_up(*index); state) {
      up = *state;
    }
    runner.set_tracked(object.key, up, description);
  }
}

void Manager::sync_scripts() {
  // keepalived runs only the scripts some instance tracks.
  std::set<std::string> wanted;
  for (const auto& instance : config_.instances)
    for (const auto& t : instance.track_scripts)
      if (config_.scripts.count(t.name)) wanted.insert(t.name);

  for (auto it = scripts_.begin(); it != scripts_.end();) {
    auto def = config_.scripts.find(it->first);
    // The settled account and program count too: a reload must run the
    // script as whoever the configuration now says.
    bool same = def != config_.scripts.end() && wanted.count(it->first) &&
                def->second.resolved == it->second->script().resolved &&
                def->second.interval == it->second->script().interval &&
                def->second.timeout == it->second->script().timeout &&
                def->second.rise == it->second->script().rise &&
                def->second.fall == it->second->script().fall &&
                def->second.init_fail == it->second->script().init_fail;
    it = same ? std::next(it) : scripts_.erase(it);
  }
  for (const auto& name : wanted) {
    if (!scripts_.count(name)) {
      const config::Script& script = config_.scripts.at(name);
      auto runner =
          ScriptRunner::create(loop_, script, [this](const std::string& script_name, bool up) {
            for (auto& r : runners_) r->set_tracked(script_key(script_name), up);
          });
      if (!runner) {
        log_error(runner.error().describe());
        for (auto& r : runners_) r->set_tracked(script_key(name), false);
        continue;
      }
      scripts_[name] = std::move(*runner);
    }
    for (auto& r : runners_) r->set_tracked(script_key(name), scripts_[name]->up());
  }
}

void Manager::sync_units() {
  for (auto& runner : runners_) {
    for (const auto& t : runner->config().track_units) {
      if (!units_) {
        runner->set_tracked(unit_key(t.name), false, "unit " + t.name + " (no systemd bus)");
        continue;
      }
      if (auto r = units_->watch(t.name); !r) {
        log_warning(runner->name() + ": cannot follow " + t.name + ": " + r.error().describe());
      }
    }
  }
}

void Manager::sync_references() {
  std::map<std::string, std::unique_ptr<ReferenceProbe>> kept;
  for (auto& runner : runners_) {
    const auto& arbitration = runner->config().arbitration;
    if (!arbitration) continue;
    const std::string name = runner->name();
    const std::string key = reference_key(arbitration->reference);
    auto old = probes_.find(name);
    if (old != probes_.end()) {
      const auto& s = old->second->settings();
      if (s.reference == arbitration->reference && s.interval == arbitration->interval &&
          s.fall == arbitration->fall && s.rise == arbitration->rise) {
        kept[name] = std::move(old->second);
        continue;
      }
    }
    auto probe = ReferenceProbe::create(loop_, *arbitration, [this, name, key](bool reachable) {
      if (InstanceRunner* r = find(name)) r->set_tracked(key, reachable);
    });
    if (!probe) {
      log_error(name + ": arbitration: " + probe.error().describe(), {{"INSTANCE", name}});
      continue;
    }
    // A fresh probe starts "lost" until the reference answers.
    runner->set_tracked(key, (*probe)->reachable());
    kept[name] = std::move(*probe);
  }
  probes_ = std::move(kept);
}

void Manager::sync_guard() {
  std::vector<ports::GuardInstance> instances;
  for (auto& runner : runners_) instances.push_back(runner->guard_instance());
  if (auto r = guard_sync_->configure(std::move(instances)); !r)
    log_warning("guard: cannot configure: " + r.error().describe());
}

std::vector<InstanceRunner*> Manager::runners_on(int ifindex, Family family) const {
  std::vector<InstanceRunner*> out;
  for (const auto& r : runners_)
    if (r->ifindex() == ifindex && r->family() == family) out.push_back(r.get());
  return out;
}

InstanceRunner* Manager::find(std::string_view name) const {
  for (const auto& r : runners_)
    if (r->name() == name) return r.get();
  return nullptr;
}

void Manager::drop_unused_channels() {
  for (auto it = channels_.begin(); it != channels_.end();) {
    bool used = !runners_on(it->first.first, it->first.second).empty();
    it = used ? std::next(it) : channels_.erase(it);
  }
}

void Manager::drop_unused_guards() {
  for (auto it = guarded_interfaces_.begin(); it != guarded_interfaces_.end();) {
    int ifindex = it->first;
    bool used = std::any_of(runners_.begin(), runners_.end(),
                            [&](const auto& r) { return r->ifindex() == ifindex; });
    if (used) {
      ++it;
      continue;
    }
    // A reload moved every instance off this interface: leave it as we found it.
    guard_->detach(ifindex);
    if (it->second.mode != ports::GuardMode::None)
      log_info("guard detached from " + it->second.name + " (no instance left on it)",
               {{"INTERFACE", it->second.name}});
    it = guarded_interfaces_.erase(it);
  }
}

// ---- events -------------------------------------------------------------------

void Manager::on_link_event(const net::LinkEvent& event) {
  log_debug("link " + event.name + (event.up ? " up" : " down"), {{"INTERFACE", event.name}});
  for (auto& runner : runners_) runner->set_tracked(interface_key(event.name), event.up);
}

void Manager::on_guard_readable() {
  guard_->drain([this](uint8_t vrid, int ifindex, const vrrp::SplitBrainEvidence& evidence) {
    for (auto& runner : runners_) {
      if (runner->vrid() == vrid && runner->ifindex() == ifindex &&
          runner->family() == evidence.source.family()) {
        runner->on_guard_evidence(evidence);
      }
    }
  });
}

void Manager::on_instance_changed(InstanceRunner& runner) {
  if (!ready_) return;  // enumerate() publishes everything once at the end
  if (bus_) bus_->instance_updated(runner.snapshot());
  write_state();
  if (!stopping_) notify_status(status_summary(snapshot()));
}

void Manager::publish_all() {
  if (bus_) bus_->instances_reset(snapshot());
  write_state();
}

void Manager::write_state() {
  std::vector<HeldInstance> held;
  for (auto& r : runners_)
    if (r->holds_vips()) held.push_back(r->held());
  std::string text = format_state(held);
  if (text == last_state_text_) return;
  if (auto r = write_state_file(options_.runtime_dir, held); !r) {
    log_warning("cannot record held VIPs: " + r.error().describe());
    return;
  }
  last_state_text_ = std::move(text);
}

void Manager::write_stats(const char* signal_name) {
  write_dump(kStatsFile, "counters", signal_name,
             format_stats(guard_->counters(), snapshot(), monotonic_now()));
}

void Manager::write_dump(const std::string& file, const std::string& what, const char* signal_name,
                         const std::string& text) {
  std::string path = options_.runtime_dir + "/" + file;
  log_info("writing " + what + " to " + path + " (" + signal_name + ")");
  if (auto r = write_file_atomically(path, text, 0644); !r)
    log_warning("cannot write " + what + ": " + r.error().describe());
}

void Manager::shutdown() {
  if (stopping_) {
    // A second SIGTERM/SIGINT: stop waiting for notify scripts.
    sd_event_exit(loop_, 0);
    return;
  }
  stopping_ = true;
  notify_stopping();
  log_notice("stopping: masters hand over with priority 0");
  for (auto& runner : runners_) runner->shutdown();
  write_state();
  // notify_stop runs once the notify scripts of earlier transitions have
  // ended (notify.h): wait for that, bounded, with the VIPs already released.
  if (notifier_->idle()) {
    sd_event_exit(loop_, 0);
    return;
  }
  notifier_->on_idle([this] { sd_event_exit(loop_, 0); });
  auto timer = Timer::create(
      loop_,
      [this] {
        log_warning("notify scripts still running after " +
                    std::to_string(kNotifyDrain.count() / 1'000'000) +
                    " s: leaving them to finish (each within notify_script_timeout); those "
                    "still waiting behind them are not run");
        sd_event_exit(loop_, 0);
      },
      "notify drain");
  if (!timer) {
    sd_event_exit(loop_, 0);
    return;
  }
  drain_timer_ = std::move(*timer);
  drain_timer_->arm(kNotifyDrain);
}

// ---- ports::Control -------------------------------------------------------------

std::vector<ports::InstanceSnapshot> Manager::snapshot() const {
  std::vector<ports::InstanceSnapshot> all;
  for (const auto& r : runners_) all.push_back(r->snapshot());
  return all;
}

const std::vector<ports::RouterCounters>& Manager::guard_counters() const {
  uint64_t now = 0;
  // sd_event_now() is the time of the current wakeup, the same for every
  // call within one dispatch; before the loop first runs it is not (r > 0).
  int r = sd_event_now(loop_, CLOCK_MONOTONIC, &now);
  if (r != 0 || now != guard_counters_at_) {
    guard_counters_ = guard_->counters();
    guard_counters_at_ = r == 0 ? now : 0;
  }
  return guard_counters_;
}

std::optional<ports::InstanceCounters> Manager::live_counters(std::string_view instance) const {
  for (const auto& r : runners_) {
    if (r->name() != instance) continue;
    ports::InstanceCounters counters = r->snapshot().counters;
    // What the guard dropped in the kernel never reached the runner.
    for (const auto& router : guard_counters()) {
      if (router.ifindex != r->ifindex() || router.vrid != r->vrid() ||
          router.family != r->family())
        continue;
      for (const auto& [reason, count] : router.drops) counters.drops[reason] += count;
    }
    return counters;
  }
  return std::nullopt;
}

Result<> Manager::reload() {
  if (stopping_) return logic_error("stopping");
  notify_reloading();
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
    notify_ready(status_summary(snapshot()));
    return logic_error("reload failed:\n" + describe_diagnostics(parsed.diagnostics));
  }
  config::Config next = std::move(*parsed.config);
  notifier_->set_timeout(next.global.notify_script_timeout);
  ReloadPlan plan = plan_reload(config_, next);

  ready_ = false;  // one publication at the end instead of one per step
  auto drop = [this](const std::string& name) {
    auto it = std::find_if(runners_.begin(), runners_.end(),
                           [&](const auto& r) { return r->name() == name; });
    if (it == runners_.end()) return;
    (*it)->shutdown();
    runners_.erase(it);
  };
  for (const auto& name : plan.removed) drop(name);
  for (const auto& name : plan.rebuilt) drop(name);
  config_ = std::move(next);
  for (const auto& instance : config_.instances) {
    bool fresh = std::count(plan.added.begin(), plan.added.end(), instance.name) ||
                 std::count(plan.rebuilt.begin(), plan.rebuilt.end(), instance.name);
    if (std::count(plan.updated.begin(), plan.updated.end(), instance.name)) {
      if (InstanceRunner* r = find(instance.name)) {
        r->update(instance_spec(config_, instance, r->spec().placement));
        refresh_interfaces(*r);
      }
    } else if (fresh) {
      start_instance(instance);
    }
  }
  // Instances in file order, as the D-Bus API and STATUS list them.
  std::stable_sort(runners_.begin(), runners_.end(), [this](const auto& a, const auto& b) {
    auto pos = [this](const std::string& name) {
      for (size_t i = 0; i < config_.instances.size(); ++i)
        if (config_.instances[i].name == name) return i;
      return config_.instances.size();
    };
    return pos(a->name()) < pos(b->name());
  });
  drop_unused_channels();
  drop_unused_guards();
  sync_scripts();
  sync_units();
  sync_references();
  sync_guard();
  for (auto& runner : runners_)
    if (runner->state() == vrrp::State::Init) runner->start();
  ready_ = true;
  publish_all();
  log_notice("reloaded: " + std::to_string(plan.unchanged.size()) + " unchanged, " +
             std::to_string(plan.updated.size()) + " updated, " +
             std::to_string(plan.rebuilt.size()) + " rebuilt, " +
             std::to_string(plan.added.size()) + " added, " + std::to_string(plan.removed.size()) +
             " removed");
  notify_ready(status_summary(snapshot()));
  return {};
}

Result<> Manager::resign(std::string_view instance, Usec hold) {
  InstanceRunner* r = find(instance);
  if (!r) return logic_error("no such instance: " + std::string(instance));
  r->resign(hold);
  return {};
}

Result<> Manager::set_fault(std::string_view instance, bool faulted, std::string_view reason) {
  InstanceRunner* r = find(instance);
  if (!r) return logic_error("no such instance: " + std::string(instance));
  std::string description =
      faulted
          ? "operator fault" + (reason.empty() ? std::string() : " (" + std::string(reason) + ")")
          : std::string("operator fault");
  r->set_tracked(kOperatorKey, !faulted, description);
  return {};
}

Result<std::vector<std::string>> Manager::unit_failed(std::string_view unit,
                                                      std::string_view reason) {
  auto affected = report_unit_failure(runners_, units_, unit, reason);
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
