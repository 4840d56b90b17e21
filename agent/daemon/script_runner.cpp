#include "daemon/script_runner.h"

#include <signal.h>

#include "common/log.h"

namespace keepvip::daemon {

ScriptRunner::ScriptRunner(const config::Script& script, std::optional<Credentials> run_as,
                           VerdictCallback on_verdict)
    : script_(script),
      run_as_(run_as),
      on_verdict_(std::move(on_verdict)),
      health_(script.rise, script.fall, script.init_fail) {}

Result<std::unique_ptr<ScriptRunner>> ScriptRunner::create(sd_event* loop,
                                                           const config::Script& script,
                                                           VerdictCallback on_verdict) {
  if (!script.resolved)
    return logic_error("vrrp_script " + script.name + ": not checked against this host");
  std::unique_ptr<ScriptRunner> runner(
      new ScriptRunner(script, credentials_for(*script.resolved), std::move(on_verdict)));
  runner->argv_ = script.resolved->argv;
  runner->loop_ = loop;
  ScriptRunner* self = runner.get();
  auto interval = Timer::create(
      loop, [self] { self->run_once(); }, "script " + script.name);
  if (!interval) return unexpected(interval.error());
  auto timeout = Timer::create(
      loop, [self] { self->on_timeout(); }, "script timeout " + script.name);
  if (!timeout) return unexpected(timeout.error());
  runner->interval_timer_ = std::move(*interval);
  runner->timeout_timer_ = std::move(*timeout);
  // First run right away: the verdict should be known before the first election.
  runner->interval_timer_->arm(Usec{0});
  return runner;
}

void ScriptRunner::run_once() {
  interval_timer_->arm(script_.interval);
  // A run still going (timeout longer than the interval) is not doubled up.
  if (child_ && child_->running()) return;

  timed_out_ = false;
  auto child = ChildProcess::spawn(loop_, argv_, run_as_, ChildProcess::OnRelease::KillGroup,
                                   [this](const ExitStatus& status) { on_exit(status); });
  if (!child) {
    record(false, child.error().describe());
    return;
  }
  child_ = std::move(*child);
  Usec timeout = script_.timeout.count() > 0 ? script_.timeout : script_.interval;
  timeout_timer_->arm(timeout);
}

void ScriptRunner::on_timeout() {
  if (!child_ || !child_->running()) return;
  timed_out_ = true;
  child_->kill_group(SIGKILL);
}

void ScriptRunner::on_exit(const ExitStatus& status) {
  timeout_timer_->cancel();
  if (timed_out_) {
    record(false, "timed out");
  } else if (status.exited) {
    record(status.exit_code == 0, "exit code " + std::to_string(status.exit_code));
  } else {
    record(false, "killed by signal " + std::to_string(status.signal));
  }
}

void ScriptRunner::record(bool success, const std::string& detail) {
  log_debug(
      "vrrp_script " + script_.name + ": " + (success ? "ok" : "failed") + " (" + detail + ")",
      {{"SCRIPT", script_.name}});
  if (!health_.record(success)) return;
  log_notice("vrrp_script " + script_.name + " is now " + (health_.up() ? "up" : "down") + " (" +
                 detail + ")",
             {{"SCRIPT", script_.name}, {"SCRIPT_RESULT", health_.up() ? "up" : "down"}});
  if (on_verdict_) on_verdict_(script_.name, health_.up());
}

}  // namespace keepvip::daemon
