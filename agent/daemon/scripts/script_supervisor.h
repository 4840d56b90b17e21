// The process between keepvipd and a script. keepvipd forks it; it forks
// and execs the script, then waits for one of three things:
//
//  - the script's main process ends: the supervisor reports how and exits
//    at once. Whatever the script left running in the background keeps
//    running, as with keepalived (a notify script may start a daemon);
//  - the timeout passes: the script and everything it started get SIGTERM
//    (and SIGCONT, so stopped ones see it), then after a grace of 2 seconds
//    SIGKILL, keepalived's order for a script that overran; then it reports
//    "timed out";
//  - keepvipd asks it to stop (SIGTERM to the supervisor; SIGINT, SIGHUP and
//    SIGQUIT too) or, for a vrrp_script, keepvipd dies (PR_SET_PDEATHSIG):
//    the same ending, reported as "stopped".
//
// "Everything it started" includes children that called setsid() or
// double-forked: the supervisor is a child subreaper, so they are
// re-parented to it and process_tree.h finds and ends them. The supervisor
// enforces the timeout itself, so a notify script left running when
// keepvipd exits is still bounded.
//
// The script runs in its own process group, as the account it was settled
// to, with the capabilities of capabilities.h, with the default signal
// dispositions and nothing blocked, and stdin and stdout on /dev/null. The
// supervisor itself keeps keepvipd's credentials (it must be able to end
// processes of any user) and runs no code but its own.
//
// The supervisor writes one SupervisorReport into the status pipe before it
// exits; keepvipd reads it when the supervisor is reaped.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "common/time.h"

namespace keepvip::daemon {

struct SupervisorReport {
  enum End : int32_t { Exited = 1, Killed = 2, TimedOut = 3, Stopped = 4, NotStarted = 5 };
  // The step that kept a script from starting.
  enum Step : int32_t {
    Supervise = 1,
    BoundCapabilities = 2,
    SwitchUser = 3,
    LimitCapabilities = 4,
    Exec = 5
  };
  int32_t end = 0;
  int32_t exit_code = 0;  // Exited
  int32_t signal = 0;     // Killed
  int32_t error = 0;      // NotStarted: the errno of the step that failed
  int32_t step = 0;       // NotStarted
};

// Grace between SIGTERM and SIGKILL when a script is ended (keepalived's 2 s).
constexpr Usec kScriptTermGrace{2'000'000};

// Everything the forked supervisor needs, built before fork: it must not
// allocate.
struct SupervisorPlan {
  const char* program = nullptr;
  char* const* argv = nullptr;  // NULL-terminated
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  uint64_t capability_ceiling = 0;
  Usec timeout{0};
  int status_fd = -1;  // write end of the status pipe
  bool ends_with_agent = false;
  pid_t agent = 0;  // keepvipd's pid, for the PR_SET_PDEATHSIG race
};

// Runs in the forked child; never returns.
[[noreturn]] void run_supervisor(const SupervisorPlan& plan);

}  // namespace keepvip::daemon
