// Running one script without a shell: keepvipd forks a supervisor
// (script_supervisor.h) that runs the script, bounds it with its timeout
// and ends the script's whole process tree when it overruns or is stopped.
// keepvipd learns the outcome when the supervisor is reaped through an
// sd-event child source (SIGCHLD must be blocked before the first spawn).
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/fd.h"
#include "common/result.h"
#include "config/config.h"
#include "daemon/loop/event_loop.h"

namespace keepvip::daemon {

struct ScriptLaunch {
  std::vector<std::string> argv;  // argv[0]: the program's absolute path
  // The settled account; the user is switched only when it differs from
  // keepvipd's own.
  uint32_t uid = 0;
  uint32_t gid = 0;
  Usec timeout{0};
  // vrrp_script: a dying keepvipd takes the script's tree with it. Notify
  // scripts are left to finish (still bounded by their timeout).
  bool ends_with_agent = false;
};

// A settled script's launch (the caller adds arguments and the timeout).
ScriptLaunch launch_for(const config::ResolvedScript& resolved);

struct ExitStatus {
  enum class End { Exited, Killed, TimedOut, Stopped, NotStarted };
  End end = End::Exited;
  int exit_code = 0;  // Exited
  int signal = 0;     // Killed
  int error = 0;      // NotStarted: errno
  std::string step;   // NotStarted: what failed ("exec", "switch to the script's user", ...)
  bool success() const { return end == End::Exited && exit_code == 0; }
  // "exit code 3", "killed by signal 9", "timed out; ended with every
  // process it started", "not started: exec: Permission denied"...
  std::string describe() const;
};

class ChildProcess {
 public:
  using ExitCallback = std::function<void(const ExitStatus&)>;
  // What happens to a still-running script when its owner lets go.
  enum class OnRelease { Stop, LeaveRunning };

  static Result<std::unique_ptr<ChildProcess>> spawn(sd_event* loop, const ScriptLaunch& launch,
                                                     OnRelease on_release, ExitCallback on_exit);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }  // the supervisor's
  bool running() const { return running_; }
  // Ends the script and everything it started now (SIGTERM, grace, SIGKILL);
  // the exit callback then reports End::Stopped.
  void stop();

 private:
  ChildProcess() = default;
  // userdata nullptr: a released child (see the destructor).
  static int on_child(sd_event_source* source, const siginfo_t* info, void* userdata);
  ExitStatus read_status(const siginfo_t& info);
  pid_t pid_ = -1;
  bool running_ = true;
  OnRelease on_release_ = OnRelease::Stop;
  EventSourcePtr source_;
  UniqueFd status_;  // read end of the supervisor's status pipe
  ExitCallback on_exit_;
};

}  // namespace keepvip::daemon
