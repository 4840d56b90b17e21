// The daemon: runs what the configuration asks for and keeps it in step on
// every reload, through one generic reconcile (reconcile.h) over kinds of
// things, in an explicit order:
//
//   advert channels -> guarded interfaces -> instances -> scripts -> files   (start)
//   reference probes, and the plumbing, follow the running instances
//
// Stops run in the reverse order before any start, so an instance that
// leaves still hands over through its socket. Start-up is the first
// reconcile (from nothing); a reload that does not parse or validate
// changes nothing. Shaped like systemd-timesyncd's manager: create ->
// start() -> the event loop -> shutdown() -> destruction in reverse.
//
// It implements ports::Control for the D-Bus service (reload, resign,
// faults) and tells the Publisher about every change. Everything outside
// the process it reaches through Ports.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/instances/guard_sync.h"
#include "daemon/instances/instance_runner.h"
#include "daemon/loop/event_loop.h"
#include "daemon/loop/signals.h"
#include "daemon/publish/publisher.h"
#include "daemon/scripts/notify.h"
#include "daemon/scripts/notify_fifo.h"
#include "daemon/supervisor/check_kinds.h"
#include "daemon/supervisor/file_kind.h"
#include "daemon/supervisor/instance_kind.h"
#include "daemon/supervisor/plumbing_kinds.h"
#include "daemon/supervisor/ports.h"
#include "daemon/supervisor/process_kind.h"
#include "daemon/supervisor/reconcile.h"
#include "daemon/supervisor/static_kind.h"
#include "ports/status.h"

namespace keepvip::daemon {

class Supervisor final : public ports::Control {
 public:
  struct Options {
    std::string config_path;  // what a reload re-reads, for the log
    std::string runtime_dir;  // where the publisher writes
  };

  // `ports` outlive the supervisor.
  static Result<std::unique_ptr<Supervisor>> create(Ports ports, Options options,
                                                    config::Config config);
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;
  ~Supervisor() override;

  // The publisher of snapshots (the D-Bus service), once it exists: it
  // needs this supervisor as its ports::Control. nullptr detaches it.
  void attach_status_sink(ports::StatusSink* sink) { publisher_.attach(sink); }

  // Removes stale VIPs, starts everything the configuration asks for,
  // publishes and says READY=1.
  void start();
  // SIGTERM: every MASTER hands over with priority 0; the event loop exits
  // once notify scripts (notify_stop among them) are done and systemd has
  // answered the master_units stops, bounded.
  void shutdown();
  void on_signal(AgentSignal signal, const char* name);

  // ports::Control
  std::vector<ports::InstanceSnapshot> snapshot() const override;
  std::optional<ports::InstanceCounters> live_counters(std::string_view instance) const override;
  Result<> reload() override;
  Result<> resign(std::string_view instance, Usec hold) override;
  Result<> set_fault(std::string_view instance, bool faulted, std::string_view reason) override;
  Result<std::vector<std::string>> unit_failed(std::string_view unit,
                                               std::string_view reason) override;

 private:
  Supervisor(Ports ports, Options options, config::Config config);
  Result<> watch_events();

  // The one path for start-up and reload.
  void apply(const config::Config& config);
  // fifo_write_vrrp_states_on_reload: the FIFO line of each instance that
  // kept its state (same state, entered at the same time) across a reload.
  struct KeptState {
    vrrp::State state;
    std::optional<MonoTime> since;
  };
  std::map<std::string, KeptState> states_before_reload() const;
  void restate_kept(const std::map<std::string, KeptState>& before);
  void report_verdicts();
  void follow_units();
  void configure_guard();
  // Opens, keeps or reopens the notify FIFOs of config_ (before apply, so
  // the lines of the transitions a reload causes go to the new ones).
  void open_notify_fifos();

  std::vector<InstanceRunner*> runners() const;
  std::vector<InstanceRunner*> runners_on(ChannelKey channel) const;
  std::vector<const InstanceSpec*> running_specs() const;
  InstanceRunner* find(std::string_view name) const;
  std::vector<HeldInstance> held() const;
  const std::vector<ports::RouterCounters>& guard_counters() const;

  void on_instance_changed(InstanceRunner& runner);
  void on_link_event(const net::LinkEvent& event);
  void on_guard_readable();
  bool drained() const;        // stopping: nothing left to wait for
  DumpView dump_view() const;  // what keepalived's dump signals write
  void exit_when_drained();

  Ports ports_;
  Options options_;
  config::Config config_;  // the running configuration
  Publisher publisher_;
  GuardSync guard_sync_;
  NotifyRunner notifier_;
  NotifyFifos notify_fifos_;  // written by notifier_'s listener; the instances go first

  // The kinds, and what of each runs. Declared in start order, so they go
  // in reverse: instances before the sockets they send through.
  StaticKind<config::Route> static_route_kind_;
  RunningSet<StaticKind<config::Route>> static_routes_{static_route_kind_};
  StaticKind<config::Rule> static_rule_kind_;
  RunningSet<StaticKind<config::Rule>> static_rules_{static_rule_kind_};
  ChannelKind channel_kind_;
  RunningSet<ChannelKind> channels_{channel_kind_};
  GuardedInterfaceKind guarded_kind_;
  RunningSet<GuardedInterfaceKind> guarded_{guarded_kind_};
  LinkDelays link_delays_;  // link events on their way to the instances
  InstanceKind instance_kind_;
  RunningSet<InstanceKind> instances_{instance_kind_};
  ScriptKind script_kind_;
  RunningSet<ScriptKind> scripts_{script_kind_};
  FileKind file_kind_;
  RunningSet<FileKind> files_{file_kind_};
  ProbeKind probe_kind_;
  RunningSet<ProbeKind> probes_{probe_kind_};
  ProcessMonitor process_monitor_;  // before the checks it serves
  ProcessKind process_kind_;
  RunningSet<ProcessKind> processes_{process_kind_};

  std::unique_ptr<IoWatch> link_watch_;
  std::unique_ptr<IoWatch> guard_watch_;
  std::unique_ptr<Timer>
      drain_timer_;  // bounds the wait for notify scripts and unit jobs when stopping
  // The guard's router rows, read once per event-loop wakeup: a D-Bus
  // GetManagedObjects asks for every instance's counters in one dispatch,
  // and each read walks the whole kernel map.
  mutable std::vector<ports::RouterCounters> guard_counters_;
  mutable uint64_t guard_counters_at_ = 0;  // sd_event_now() of that read; 0 = none
  bool ready_ = false;                      // false while (re)starting: one publication at the end
  bool stopping_ = false;
  // vrrp_startup_delay: until then a starting instance is a deaf BACKUP.
  // Fixed at start-up; a reload does not start it again (keepalived).
  std::optional<MonoTime> startup_deaf_until_;
  bool units_answered_ = false;  // stopping: systemd has answered every unit job
};

}  // namespace keepvip::daemon
