// Runs one vrrp_script periodically (keepalived semantics): every `interval`
// the command runs without a shell, as the account its configuration
// settled; a run that outlives `timeout` is ended with every process it
// started (script_supervisor.h) and counts as a failure; rise/fall decide
// the verdict (ScriptHealth). The owner hears about verdict flips only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/loop/event_loop.h"
#include "daemon/scripts/child_process.h"
#include "daemon/tracking/health_check.h"
#include "daemon/tracking/script_health.h"

namespace keepvip::daemon {

class ScriptRunner final : public HealthCheck {
 public:
  using VerdictCallback = std::function<void(const std::string& script, bool up)>;

  // `script` must be settled (Script::resolved).
  static Result<std::unique_ptr<ScriptRunner>> create(sd_event* loop, const config::Script& script,
                                                      VerdictCallback on_verdict);
  ScriptRunner(const ScriptRunner&) = delete;
  ScriptRunner& operator=(const ScriptRunner&) = delete;

  const std::string& name() const { return script_.name; }
  bool up() const override { return health_.up(); }
  const config::Script& script() const { return script_; }

 private:
  ScriptRunner(const config::Script& script, VerdictCallback on_verdict);
  void run_once();
  void on_exit(const ExitStatus& status);
  void record(bool success, const std::string& detail);

  config::Script script_;
  ScriptLaunch launch_;
  VerdictCallback on_verdict_;
  ScriptHealth health_;
  sd_event* loop_ = nullptr;
  std::unique_ptr<Timer> interval_timer_;
  std::unique_ptr<ChildProcess> child_;
};

}  // namespace keepvip::daemon
