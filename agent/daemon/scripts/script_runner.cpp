#include "daemon/scripts/script_runner.h"

#include "common/log.h"

namespace keepvip::daemon {

ScriptRunner::ScriptRunner(const config::Script& script, VerdictCallback on_verdict)
    : script_(script),
      on_verdict_(std::move(on_verdict)),
      health_(script.rise, script.fall, script.init_fail) {}

Result<std::unique_ptr<ScriptRunner>> ScriptRunner::create(sd_event* loop,
                                                           const config::Script& script,
                                                           VerdictCallback on_verdict) {
  if (!script.resolved)
    return logic_error("vrrp_script " + script.name + ": not checked against this host");
  std::unique_ptr<ScriptRunner> runner(new ScriptRunner(script, std::move(on_verdict)));
  runner->launch_ = launch_for(*script.resolved);
  // keepalived's default: a run may last as long as the interval.
  runner->launch_.timeout = script.timeout.count() > 0 ? script.timeout : script.interval;
  // keepalived's scripts die with it (PR_SET_PDEATHSIG); so do these trees.
  runner->launch_.ends_with_agent = true;
  runner->loop_ = loop;
  ScriptRunner* self = runner.get();
  auto interval = Timer::create(
      loop, [self] { self->run_once(); }, "script " + script.name);
  if (!interval) return unexpected(interval.error());
  runner->interval_timer_ = std::move(*interval);
  // First run right away: the verdict should be known before the first election.
  runner->interval_timer_->arm(Usec{0});
  return runner;
}

void ScriptRunner::run_once() {
  interval_timer_->arm(script_.interval);
  // A run still going (timeout longer than the interval) is not doubled up.
  if (child_ && child_->running()) return;

  auto child = ChildProcess::spawn(loop_, launch_, ChildProcess::OnRelease::Stop,
                                   [this](const ExitStatus& status) { on_exit(status); });
  if (!child) {
    record(false, child.error().describe());
    return;
  }
  child_ = std::move(*child);
}

void ScriptRunner::on_exit(const ExitStatus& status) {
  record(status.success(), status.describe());
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
