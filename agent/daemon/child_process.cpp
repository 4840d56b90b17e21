#include "daemon/child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace keepvip::daemon {
namespace {

// Runs in the forked child only: async-signal-safe calls, then exec. Any
// failure ends the child with 127, the shell's "command not found" code,
// which the parent reports as a failed run.
[[noreturn]] void exec_child(const std::vector<char*>& argv,
                             const std::optional<Credentials>& run_as) {
  setpgid(0, 0);
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  for (int signo = 1; signo < NSIG; ++signo) signal(signo, SIG_DFL);

  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
  }
  // Scripts must not inherit our sockets, BPF objects or bus connection.
  close_range(3, ~0U, 0);

  if (run_as) {
    if (setgroups(0, nullptr) != 0 || setgid(run_as->gid) != 0 || setuid(run_as->uid) != 0)
      _exit(127);
  }
  execvp(argv[0], argv.data());
  _exit(127);
}

}  // namespace

std::optional<Credentials> credentials_for(const config::ResolvedScript& resolved) {
  if (resolved.uid == ::geteuid() && resolved.gid == ::getegid()) return std::nullopt;
  return Credentials{resolved.uid, resolved.gid};
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(sd_event* loop,
                                                          const std::vector<std::string>& argv,
                                                          const std::optional<Credentials>& run_as,
                                                          OnRelease on_release,
                                                          ExitCallback on_exit) {
  if (argv.empty()) return logic_error("empty command");
  // Built before fork: the child must not allocate.
  std::vector<char*> c_argv;
  for (const auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) return last_os_error("fork for " + argv[0]);
  if (pid == 0) exec_child(c_argv, run_as);
  // Also set from the parent, so the group exists before we might signal it.
  setpgid(pid, pid);

  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  child->on_release_ = on_release;
  child->on_exit_ = std::move(on_exit);
  sd_event_source* source = nullptr;
  int r = sd_event_add_child(loop, &source, pid, WEXITED, &ChildProcess::on_child, child.get());
  if (r < 0) {
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return os_error(-r, "watch child " + argv[0]);
  }
  child->source_.reset(source);
  // If we let go of a running child, sd-event reaps it after our kill (or
  // init does, for children we leave running).
  sd_event_source_set_child_process_own(source, on_release == OnRelease::KillGroup);
  return child;
}

ChildProcess::~ChildProcess() {
  if (running_ && on_release_ == OnRelease::KillGroup) kill_group(SIGKILL);
}

void ChildProcess::kill_group(int signo) {
  if (running_) kill(-pid_, signo);
}

int ChildProcess::on_child(sd_event_source*, const siginfo_t* info, void* userdata) {
  auto* self = static_cast<ChildProcess*>(userdata);
  self->running_ = false;
  ExitStatus status;
  if (info->si_code == CLD_EXITED) {
    status.exited = true;
    status.exit_code = info->si_status;
  } else {
    status.signal = info->si_status;
  }
  // The callback may destroy this object; keep the function alive meanwhile.
  auto on_exit = std::move(self->on_exit_);
  if (on_exit) on_exit(status);
  return 0;
}

}  // namespace keepvip::daemon
