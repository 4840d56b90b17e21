// Notify scripts with keepalived's calling conventions:
//   notify_master / notify_backup / notify_fault / notify_stop run exactly as
//   written (the seed's "/scripts/notify.sh master 192.168.222.250");
//   notify runs with four more arguments: INSTANCE <name> <STATE> <priority>,
//   STATE being MASTER, BACKUP, FAULT, STOP or DELETED (an instance a reload
//   removed, with notify_deleted; else it announces FAULT, as keepalived).
//   notify_master_rx_lower_pri runs as written, each time a MASTER hears a
//   lower priority.
//
// They run asynchronously (a slow script never holds up an election), as the
// account their configuration settled (config/settle_scripts.h), and, per
// instance, in order: the scripts of a transition start only once those of
// the transition before it have ended. keepalived starts them all at once,
// so a quick BACKUP script could overtake a slow MASTER one and leave the
// service running on both nodes. The scripts of one transition (at most
// two: the state's own, then `notify`) run side by side, as in keepalived:
// no more than two run per instance. Each has notify_script_timeout, after
// which it is ended with everything it started (script_supervisor.h). At
// most kMaxWaitingTransitions wait behind a running one; when a flapping
// instance exceeds that, the oldest waiting transition is skipped (logged):
// the scripts of the latest state still run, last.
#pragma once

#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/scripts/child_process.h"

namespace keepvip::daemon {

// The state names notify scripts receive; Stop is the instance shutting down,
// Deleted the instance removed by a reload.
enum class NotifyState { Master, Backup, Fault, Stop, Deleted };
std::string_view to_string(NotifyState s);

// What the notify FIFOs hear besides states (keepalived's vrrp_notify.c):
// a MASTER heard a lower priority (MASTER_RX_LOWER_PRI), or the effective
// priority changed in MASTER (MASTER_PRIORITY) or any other state
// (BACKUP_PRIORITY), with notify_priority_changes.
enum class InstanceEvent { MasterRxLowerPri, MasterPriority, BackupPriority };
std::string_view to_string(InstanceEvent e);

// Every settled script to run for `state`, in keepalived's order (the
// state-specific script first, then `notify` with its four arguments). A
// script the configuration did not settle is left out (it never runs).
std::vector<ScriptLaunch> notify_commands(const config::Instance& instance, NotifyState state,
                                          uint8_t priority);

class NotifyRunner {
 public:
  static constexpr size_t kMaxWaitingTransitions = 8;

  NotifyRunner(sd_event* loop, Usec timeout) : loop_(loop), timeout_(timeout) {}
  // global_defs notify_script_timeout, after a reload; for scripts started from now.
  void set_timeout(Usec timeout) { timeout_ = timeout; }
  // Queues the notify scripts of `instance` for `state`; failures are logged.
  void notify(const config::Instance& instance, NotifyState state, uint8_t priority);
  // An event: the FIFO line, and for MASTER_RX_LOWER_PRI the instance's
  // notify_master_rx_lower_pri, queued behind its earlier scripts.
  void notify(const config::Instance& instance, InstanceEvent event, uint8_t priority);
  // The FIFO line of a state an instance kept across a reload
  // (fifo_write_vrrp_states_on_reload); no script runs.
  void restate(const config::Instance& instance, NotifyState state, uint8_t priority);
  // No script running or waiting.
  bool idle() const { return lanes_.empty(); }
  // Called once every lane has drained (shutdown waits for notify_stop).
  void on_idle(std::function<void()> callback) { on_idle_ = std::move(callback); }
  // Hears every notification first, scripts or not (the notify FIFOs): the
  // instance, the state or event word ("MASTER", "MASTER_PRIORITY", ...), the
  // effective priority.
  using Listener =
      std::function<void(const std::string& instance, std::string_view what, uint8_t priority)>;
  void on_notify(Listener listener) { listener_ = std::move(listener); }

 private:
  struct Transition {
    std::string what;  // the state or event, for the log
    std::vector<ScriptLaunch> scripts;
  };
  void queue(const config::Instance& instance, std::string_view what,
             std::vector<ScriptLaunch> scripts,
             std::initializer_list<const config::NotifyScript*> configured);
  // One instance's notify scripts: the transition running, those waiting.
  struct Lane {
    std::vector<std::unique_ptr<ChildProcess>> running;
    std::deque<Transition> waiting;
  };
  void start_next(const std::string& instance);
  void on_script_end(const std::string& instance, const std::string& what, Usec timeout,
                     const ExitStatus& status);

  sd_event* loop_;
  Usec timeout_;
  std::map<std::string, Lane> lanes_;  // by instance; a lane exists while it has work
  std::function<void()> on_idle_;
  Listener listener_;
};

}  // namespace keepvip::daemon
