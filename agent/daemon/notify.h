// Notify scripts with keepalived's calling conventions:
//   notify_master / notify_backup / notify_fault / notify_stop run exactly as
//   written (the seed's "/scripts/notify.sh master 192.168.222.250");
//   notify runs with four more arguments: INSTANCE <name> <STATE> <priority>,
//   STATE being MASTER, BACKUP, FAULT or STOP.
//
// They run asynchronously (a slow script never holds up an election), as the
// account their configuration settled (config/settle_scripts.h). Each has
// notify_script_timeout, after which it is ended with everything it started
// (script_supervisor.h); one still running when the agent exits is left to
// finish, within that timeout.
#pragma once

#include <list>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/child_process.h"

namespace keepvip::daemon {

// The state names notify scripts receive; Stop is the instance shutting down.
enum class NotifyState { Master, Backup, Fault, Stop };
std::string_view to_string(NotifyState s);

// Every settled script to run for `state`, in keepalived's order (the
// state-specific script first, then `notify` with its four arguments). A
// script the configuration did not settle is left out (it never runs).
std::vector<ScriptLaunch> notify_commands(const config::Instance& instance, NotifyState state,
                                          uint8_t priority);

class NotifyRunner {
 public:
  NotifyRunner(sd_event* loop, Usec timeout) : loop_(loop), timeout_(timeout) {}
  // global_defs notify_script_timeout, after a reload; for scripts started from now.
  void set_timeout(Usec timeout) { timeout_ = timeout; }
  // Starts every notify script of `instance` for `state`; failures are logged.
  void notify(const config::Instance& instance, NotifyState state, uint8_t priority);

 private:
  sd_event* loop_;
  Usec timeout_;
  std::list<std::unique_ptr<ChildProcess>> running_;
};

}  // namespace keepvip::daemon
