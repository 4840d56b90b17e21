#include "daemon/scripts/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "daemon/scripts/capabilities.h"
#include "daemon/scripts/script_supervisor.h"

namespace keepvip::daemon {
namespace {

std::string describe_step(int32_t step) {
  switch (step) {
    case SupervisorReport::BoundCapabilities:
      return "cannot drop capabilities from the bounding set (keepvipd needs CAP_SETPCAP)";
    case SupervisorReport::SwitchUser:
      return "cannot switch to the script's user";
    case SupervisorReport::LimitCapabilities:
      return "cannot drop capabilities";
    case SupervisorReport::Exec:
      return "exec";
    default:
      return "cannot supervise";
  }
}

}  // namespace

ScriptLaunch launch_for(const config::ResolvedScript& resolved) {
  ScriptLaunch launch;
  launch.argv = resolved.argv;
  launch.uid = resolved.uid;
  launch.gid = resolved.gid;
  return launch;
}

std::string ExitStatus::describe() const {
  switch (end) {
    case End::Exited:
      return "exit code " + std::to_string(exit_code);
    case End::Killed:
      return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    case End::TimedOut:
      return "timed out; ended with every process it started";
    case End::Stopped:
      return "stopped; ended with every process it started";
    case End::NotStarted:
      return "not started: " + step + ": " + strerror(error);
  }
  return "?";
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(sd_event* loop,
                                                          const ScriptLaunch& launch,
                                                          OnRelease on_release,
                                                          ExitCallback on_exit) {
  if (launch.argv.empty()) return logic_error("empty command");
  // Built before fork: the child must not allocate.
  std::vector<char*> argv;
  for (const auto& a : launch.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) return last_os_error("pipe for " + launch.argv[0]);
  UniqueFd status_read(status_pipe[0]);
  UniqueFd status_write(status_pipe[1]);

  SupervisorPlan plan;
  plan.program = argv[0];
  plan.argv = argv.data();
  plan.switch_user = launch.uid != ::geteuid() || launch.gid != ::getegid();
  plan.uid = launch.uid;
  plan.gid = launch.gid;
  plan.capability_ceiling = script_capability_ceiling(own_permitted_capabilities());
  plan.timeout = launch.timeout;
  plan.status_fd = status_write.get();
  plan.ends_with_agent = launch.ends_with_agent;
  plan.agent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) return last_os_error("fork for " + launch.argv[0]);
  if (pid == 0) run_supervisor(plan);
  status_write.reset();

  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  child->on_release_ = on_release;
  child->on_exit_ = std::move(on_exit);
  child->status_ = std::move(status_read);
  sd_event_source* source = nullptr;
  int r = sd_event_add_child(loop, &source, pid, WEXITED, &ChildProcess::on_child, child.get());
  if (r < 0) {
    // The supervisor ends the script's tree on SIGTERM; then reap it.
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    return os_error(-r, "watch child " + launch.argv[0]);
  }
  child->source_.reset(source);
  return child;
}

ChildProcess::~ChildProcess() {
  if (!running_ || !source_) return;
  if (on_release_ == OnRelease::Stop) stop();
  // The supervisor still has to be reaped, after we are gone: the source is
  // handed to the event loop (floating) and frees itself once it fires.
  sd_event_source* source = source_.release();
  sd_event_source_set_userdata(source, nullptr);
  if (sd_event_source_set_floating(source, true) >= 0) {
    sd_event_source_unref(source);
  } else {
    sd_event_source_disable_unref(source);  // left for init to reap
  }
}

void ChildProcess::stop() {
  // SIGTERM to the supervisor, not to the script: it ends the whole tree.
  if (running_) ::kill(pid_, SIGTERM);
}

ExitStatus ChildProcess::read_status(const siginfo_t& info) {
  ExitStatus status;
  SupervisorReport report;
  ssize_t n = ::read(status_.get(), &report, sizeof report);
  if (n == static_cast<ssize_t>(sizeof report)) {
    switch (report.end) {
      case SupervisorReport::Exited:
        status.exit_code = report.exit_code;
        return status;
      case SupervisorReport::Killed:
        status.end = ExitStatus::End::Killed;
        status.signal = report.signal;
        return status;
      case SupervisorReport::TimedOut:
        status.end = ExitStatus::End::TimedOut;
        return status;
      case SupervisorReport::Stopped:
        status.end = ExitStatus::End::Stopped;
        return status;
      default:
        status.end = ExitStatus::End::NotStarted;
        status.error = report.error;
        status.step = describe_step(report.step);
        return status;
    }
  }
  // No report: the supervisor itself died (SIGKILL from outside).
  status.end = ExitStatus::End::Killed;
  status.signal = info.si_code == CLD_EXITED ? 0 : info.si_status;
  return status;
}

int ChildProcess::on_child(sd_event_source* source, const siginfo_t* info, void* userdata) {
  if (!userdata) {
    // Released by its owner and now reaped by sd-event: drop the loop's
    // reference, the only one left (freed once this dispatch returns).
    sd_event_source_disable_unref(source);
    return 0;
  }
  auto* self = static_cast<ChildProcess*>(userdata);
  self->running_ = false;
  ExitStatus status = self->read_status(*info);
  // The callback may destroy this object; keep the function alive meanwhile.
  auto on_exit = std::move(self->on_exit_);
  if (on_exit) on_exit(status);
  return 0;
}

}  // namespace keepvip::daemon
