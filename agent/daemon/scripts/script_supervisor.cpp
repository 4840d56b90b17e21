#include "daemon/scripts/script_supervisor.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "common/fd.h"
#include "daemon/scripts/capabilities.h"
#include "daemon/scripts/process_tree.h"

namespace keepvip::daemon {
namespace {

// The status pipe's place in the supervisor: everything above it is closed.
constexpr int kStatusFd = 3;
// How long SIGKILL is repeated on a tree that will not go (a process stuck
// in uninterruptible sleep) before the supervisor reports anyway.
constexpr Usec kKillPersistence{10'000'000};
constexpr Usec kKillRound{50'000};

Usec now() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return Usec{ts.tv_sec * 1'000'000 + ts.tv_nsec / 1000};
}

timespec to_timespec(Usec d) {
  return timespec{static_cast<time_t>(d.count() / 1'000'000),
                  static_cast<long>(d.count() % 1'000'000 * 1000)};
}

void wait_for_sigchld(Usec at_most) {
  sigset_t child;
  ::sigemptyset(&child);
  ::sigaddset(&child, SIGCHLD);
  timespec ts = to_timespec(at_most);
  ::sigtimedwait(&child, nullptr, &ts);
}

[[noreturn]] void report(SupervisorReport r) {
  (void)!::write(kStatusFd, &r, sizeof r);
  ::_exit(0);
}

[[noreturn]] void report_wait_status(int status) {
  SupervisorReport r;
  if (WIFEXITED(status)) {
    r.end = SupervisorReport::Exited;
    r.exit_code = WEXITSTATUS(status);
  } else {
    r.end = SupervisorReport::Killed;
    r.signal = WTERMSIG(status);
  }
  report(r);
}

[[noreturn]] void report_not_started(int32_t step, int32_t error) {
  SupervisorReport r;
  r.end = SupervisorReport::NotStarted;
  r.step = step;
  r.error = error;
  report(r);
}

// What the script's process sends up its exec pipe when it cannot exec.
struct ExecFailure {
  int32_t step = 0;
  int32_t error = 0;
};

[[noreturn]] void fail_exec(int fd, int32_t step, int error) {
  ExecFailure failure{step, error};
  (void)!::write(fd, &failure, sizeof failure);
  ::_exit(127);
}

// The script's process: its own group, the settled account, the capability
// ceiling, then exec.
[[noreturn]] void exec_script(const SupervisorPlan& plan, int exec_error_fd) {
  ::close(kStatusFd);
  ::setpgid(0, 0);
  if (int error = bound_capabilities(plan.capability_ceiling); error != 0)
    fail_exec(exec_error_fd, SupervisorReport::BoundCapabilities, error);
  // keepalived's set_script_env(): the primary group only.
  if (plan.switch_user &&
      (::setgroups(1, &plan.gid) != 0 || ::setgid(plan.gid) != 0 || ::setuid(plan.uid) != 0))
    fail_exec(exec_error_fd, SupervisorReport::SwitchUser, errno);
  if (int error = limit_capabilities(plan.capability_ceiling); error != 0)
    fail_exec(exec_error_fd, SupervisorReport::LimitCapabilities, error);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execv(plan.program, plan.argv);
  fail_exec(exec_error_fd, SupervisorReport::Exec, errno);
}

// SIGTERM (and SIGCONT) to the whole tree, the grace, then SIGKILL until no
// descendant is left or it is hopeless.
void end_tree(pid_t main, int* main_status, bool* main_reaped) {
  signal_descendants(SIGTERM);
  signal_descendants(SIGCONT);
  Usec deadline = now() + kScriptTermGrace;
  while (!reap_children(main, main_status, main_reaped)) {
    Usec left = deadline - now();
    if (left.count() <= 0) break;
    wait_for_sigchld(left);
  }
  deadline = now() + kKillPersistence;
  while (!reap_children(main, main_status, main_reaped) && now() < deadline) {
    signal_descendants(SIGKILL);
    wait_for_sigchld(kKillRound);
  }
}

// Detaches from keepvipd's session and file descriptors, keeping the status
// pipe at kStatusFd.
void take_own_place(int status_fd) {
  ::setsid();
  for (int signo = 1; signo < NSIG; ++signo) ::signal(signo, SIG_DFL);
  // Everything blocked: what the supervisor waits for it takes with
  // sigtimedwait(), and nothing else may end it before it reports.
  sigset_t all;
  ::sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  if (status_fd != kStatusFd) ::dup2(status_fd, kStatusFd);
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(null_fd, STDOUT_FILENO);
  }
  // Scripts must not inherit keepvipd's sockets, BPF objects or bus.
  ::close_range(kStatusFd + 1, ~0U, 0);
}

}  // namespace

[[noreturn]] void run_supervisor(const SupervisorPlan& plan) {
  take_own_place(plan.status_fd);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  bool stop = false;
  if (plan.ends_with_agent) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
    // keepvipd may have died before the line above.
    if (::getppid() != plan.agent) stop = true;
  }
  const Usec deadline = now() + plan.timeout;
  int exec_pipe[2];
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) report_not_started(SupervisorReport::Supervise, errno);
  UniqueFd exec_read(exec_pipe[0]);
  UniqueFd exec_write(exec_pipe[1]);
  pid_t main = ::fork();
  if (main < 0) report_not_started(SupervisorReport::Supervise, errno);
  if (main == 0) {
    exec_read.reset();
    exec_script(plan, exec_write.get());
  }
  exec_write.reset();
  // The write end closes at a successful exec: 0 bytes means it runs.
  ExecFailure failure;
  ssize_t got = ::read(exec_read.get(), &failure, sizeof failure);
  exec_read.reset();
  int main_status = 0;
  if (got == static_cast<ssize_t>(sizeof failure)) {
    ::waitpid(main, &main_status, 0);
    report_not_started(failure.step, failure.error);
  }

  sigset_t wake;
  ::sigemptyset(&wake);
  for (int signo : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT}) ::sigaddset(&wake, signo);
  bool main_reaped = false;
  for (;;) {
    reap_children(main, &main_status, &main_reaped);
    // Background children it left behind keep running, as with keepalived.
    if (main_reaped) report_wait_status(main_status);
    Usec left = deadline - now();
    if (stop || left.count() <= 0) {
      end_tree(main, &main_status, &main_reaped);
      SupervisorReport r;
      r.end = stop ? SupervisorReport::Stopped : SupervisorReport::TimedOut;
      report(r);
    }
    timespec ts = to_timespec(left);
    int signo = ::sigtimedwait(&wake, nullptr, &ts);
    if (signo > 0 && signo != SIGCHLD) stop = true;
  }
}

}  // namespace keepvip::daemon
