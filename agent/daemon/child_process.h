// Running scripts without a shell: fork + exec in a new process group, with
// the daemon's blocked signals and dispositions reset, stdin and stdout on
// /dev/null, and optionally another user. The child is reaped through an
// sd-event child source (SIGCHLD must be blocked before the first spawn).
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/event_loop.h"

namespace keepvip::daemon {

struct Credentials {
  uid_t uid = 0;
  gid_t gid = 0;
};

// Who a settled script (config/settle_scripts.h) runs as: nullopt when that
// is keepvipd's own account, so no user switch is needed.
std::optional<Credentials> credentials_for(const config::ResolvedScript& resolved);

struct ExitStatus {
  bool exited = false;  // true: exit_code is valid; false: killed by `signal`
  int exit_code = 0;
  int signal = 0;
  bool success() const { return exited && exit_code == 0; }
};

class ChildProcess {
 public:
  using ExitCallback = std::function<void(const ExitStatus&)>;
  // What happens to a still-running child when its owner lets go.
  enum class OnRelease { KillGroup, LeaveRunning };

  static Result<std::unique_ptr<ChildProcess>> spawn(sd_event* loop,
                                                     const std::vector<std::string>& argv,
                                                     const std::optional<Credentials>& run_as,
                                                     OnRelease on_release, ExitCallback on_exit);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return running_; }
  // Signals the whole process group: a script's own children go too.
  void kill_group(int signo);

 private:
  ChildProcess() = default;
  static int on_child(sd_event_source*, const siginfo_t* info, void* userdata);
  pid_t pid_ = -1;
  bool running_ = true;
  OnRelease on_release_ = OnRelease::KillGroup;
  EventSource source_;
  ExitCallback on_exit_;
};

}  // namespace keepvip::daemon
