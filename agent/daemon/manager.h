// The agent: owns the event loop and everything attached to it, and turns
// the configuration into running instances. Shaped like systemd-timesyncd's
// manager: create -> setup() (kernel and bus plumbing) -> enumerate()
// (current host state, stale VIPs, instances) -> run() -> destruction in
// reverse order of construction.
//
// It also implements ports::Control for the D-Bus service (reload, resign,
// faults) and publishes every change to the StatusSink, the state file
// (state_file.h) and systemd (sd_notify.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/parser.h"
#include "daemon/advert_dispatch.h"
#include "daemon/event_loop.h"
#include "daemon/guard_sync.h"
#include "daemon/instance_runner.h"
#include "daemon/notify.h"
#include "daemon/reference_probe.h"
#include "daemon/script_runner.h"
#include "daemon/supervisor/ports.h"
#include "ports/status.h"

namespace keepvip::daemon {

struct ManagerOptions {
  std::string config_path;  // for the log: the configuration reload re-reads
  std::string runtime_dir;
};

// Blocks the signals the agent handles through sd-event (they are read from
// a signalfd, and children are reaped through child sources): call before
// any source exists or any child is forked.
void block_handled_signals();

class Manager final : public ports::Control {
 public:
  static Result<std::unique_ptr<Manager>> create(const Ports& ports, const ManagerOptions& options,
                                                 config::Config config);
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;
  ~Manager() override;

  // Signals, link and guard events, systemd unit callbacks.
  Result<> setup();
  // The publisher of snapshots (the D-Bus service), once it exists: it needs
  // this Manager as its ports::Control. nullptr detaches it.
  void attach_status_sink(ports::StatusSink* sink);
  // Removes stale VIPs, starts scripts and instances, says READY=1.
  Result<> enumerate();
  // Runs until SIGTERM/SIGINT; returns the exit code.
  int run();

  // ports::Control
  std::vector<ports::InstanceSnapshot> snapshot() const override;
  std::optional<ports::InstanceCounters> live_counters(std::string_view instance) const override;
  Result<> reload() override;
  Result<> resign(std::string_view instance, Usec hold) override;
  Result<> set_fault(std::string_view instance, bool faulted, std::string_view reason) override;
  Result<std::vector<std::string>> unit_failed(std::string_view unit,
                                               std::string_view reason) override;

 private:
  Manager(const Ports& ports, const ManagerOptions& options, config::Config config);

  Result<> setup_signals();
  void start_instance(const config::Instance& instance);
  void remove_stale_vips(const config::Instance& instance, int ifindex);
  AdvertChannel* channel_for(int ifindex, Family family);
  void sync_scripts();
  void sync_units();
  void sync_guard();
  void sync_references();
  void refresh_interfaces(InstanceRunner& runner);
  void drop_unused_channels();
  void drop_unused_guards();
  InstanceRunner* find(std::string_view name) const;
  std::vector<InstanceRunner*> runners_on(int ifindex, Family family) const;

  void on_instance_changed(InstanceRunner& runner);
  void on_link_event(const net::LinkEvent& event);
  void on_guard_readable();
  void publish_all();
  void write_state();
  void write_stats(const char* signal_name);
  // Writes `text` to RUNTIME_DIR/file, logging what and why (the signal).
  void write_dump(const std::string& file, const std::string& what, const char* signal_name,
                  const std::string& text);
  void shutdown();

  Ports ports_;
  ManagerOptions options_;
  config::Config config_;
  sd_event* loop_;
  net::NetlinkOps* netlink_;
  ports::Guard* guard_;
  std::unique_ptr<GuardSync> guard_sync_;
  std::unique_ptr<IoWatch> guard_watch_;
  std::unique_ptr<IoWatch> link_watch_;
  std::unique_ptr<NotifyRunner> notifier_;
  std::unique_ptr<Timer> drain_timer_;  // bounds the wait for notify scripts when stopping
  ports::UnitHealth* units_;
  ports::StatusSink* bus_ = nullptr;
  std::map<std::string, std::unique_ptr<ScriptRunner>> scripts_;
  std::map<std::string, std::unique_ptr<ReferenceProbe>> probes_;  // by instance name
  std::map<std::pair<int, Family>, std::unique_ptr<AdvertChannel>> channels_;
  std::vector<std::unique_ptr<InstanceRunner>> runners_;
  struct GuardedInterface {
    std::string name;
    ports::GuardMode mode = ports::GuardMode::None;
  };
  std::map<int, GuardedInterface> guarded_interfaces_;  // by ifindex
  // The guard's router rows, read once per event-loop wakeup: a D-Bus
  // GetManagedObjects asks for every instance's counters in one dispatch,
  // and each read walks the whole kernel map.
  const std::vector<ports::RouterCounters>& guard_counters() const;
  mutable std::vector<ports::RouterCounters> guard_counters_;
  mutable uint64_t guard_counters_at_ = 0;  // sd_event_now() of that read; 0 = none
  std::vector<std::unique_ptr<SignalWatch>> signals_;
  std::string last_state_text_;
  bool ready_ = false;
  bool stopping_ = false;
};

}  // namespace keepvip::daemon
