// Notify scripts with keepalived's calling conventions:
//   notify_master / notify_backup / notify_fault / notify_stop run exactly as
//   written (the seed's "/scripts/notify.sh master 192.168.222.250");
//   notify runs with four more arguments: INSTANCE <name> <STATE> <priority>,
//   STATE being MASTER, BACKUP, FAULT or STOP.
// They run asynchronously; a slow script never holds up an election, and one
// still running when the agent exits is left to finish.
#pragma once

#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/child_process.h"

namespace keepvip::daemon {

// The state names notify scripts receive; Stop is the instance shutting down.
enum class NotifyState { Master, Backup, Fault, Stop };
std::string_view to_string(NotifyState s);

struct NotifyCommand {
  std::vector<std::string> argv;
  config::RunAs run_as;  // empty user: script_user
};

// Every script to run for `state`, in keepalived's order (the state-specific
// script first, then `notify`). Errors name the bad line.
Result<std::vector<NotifyCommand>> notify_commands(const config::Instance& instance,
                                                   NotifyState state, uint8_t priority);

class NotifyRunner {
 public:
  // `run_as`: script_user's credentials (nullopt: run as keepvipd). A script
  // naming its own user runs as that user when keepvipd is root.
  explicit NotifyRunner(sd_event* loop, std::optional<Credentials> run_as)
      : loop_(loop), run_as_(run_as) {}
  // Starts every notify script of `instance` for `state`; failures are logged.
  void notify(const config::Instance& instance, NotifyState state, uint8_t priority);

 private:
  sd_event* loop_;
  std::optional<Credentials> run_as_;
  std::list<std::unique_ptr<ChildProcess>> running_;
};

}  // namespace keepvip::daemon
