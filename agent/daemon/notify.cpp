#include "daemon/notify.h"

#include "common/log.h"

namespace keepvip::daemon {
namespace {

const config::NotifyScript& state_script(const config::Instance& instance, NotifyState state) {
  switch (state) {
    case NotifyState::Master:
      return instance.notify_master;
    case NotifyState::Backup:
      return instance.notify_backup;
    case NotifyState::Fault:
      return instance.notify_fault;
    case NotifyState::Stop:
      break;
  }
  return instance.notify_stop;
}

}  // namespace

std::string_view to_string(NotifyState s) {
  switch (s) {
    case NotifyState::Master:
      return "MASTER";
    case NotifyState::Backup:
      return "BACKUP";
    case NotifyState::Fault:
      return "FAULT";
    case NotifyState::Stop:
      return "STOP";
  }
  return "?";
}

std::vector<ScriptLaunch> notify_commands(const config::Instance& instance, NotifyState state,
                                          uint8_t priority) {
  std::vector<ScriptLaunch> launches;
  const config::NotifyScript& specific = state_script(instance, state);
  if (specific.resolved) launches.push_back(launch_for(*specific.resolved));
  if (instance.notify.resolved) {
    ScriptLaunch launch = launch_for(*instance.notify.resolved);
    launch.argv.insert(launch.argv.end(), {"INSTANCE", instance.name, std::string(to_string(state)),
                                           std::to_string(priority)});
    launches.push_back(std::move(launch));
  }
  return launches;
}

void NotifyRunner::notify(const config::Instance& instance, NotifyState state, uint8_t priority) {
  for (const auto* script : {&state_script(instance, state), &instance.notify}) {
    // Only a configuration read without the host leaves a script unsettled.
    if (!script->empty() && !script->resolved)
      log_error(instance.name + ": notify script " + script->command +
                    " not run: it was not checked against this host",
                {{"INSTANCE", instance.name}});
  }
  for (auto& launch : notify_commands(instance, state, priority)) {
    launch.timeout = timeout_;
    // The list node is created first so the exit callback can erase it.
    auto slot = running_.emplace(running_.end());
    std::string what = launch.argv.front();
    auto child = ChildProcess::spawn(
        loop_, launch, ChildProcess::OnRelease::LeaveRunning,
        [this, slot, what, name = instance.name,
         timeout = launch.timeout](const ExitStatus& status) {
          if (!status.success()) {
            std::string how = status.describe();
            if (status.end == ExitStatus::End::TimedOut)
              how = "timed out after " + std::to_string(timeout.count() / 1000) +
                    " ms (notify_script_timeout); ended with every process it started";
            log_warning(name + ": notify script " + what + " failed: " + how, {{"INSTANCE", name}});
          }
          running_.erase(slot);
        });
    if (!child) {
      running_.erase(slot);
      log_error(instance.name + ": cannot run notify script: " + child.error().describe(),
                {{"INSTANCE", instance.name}});
      continue;
    }
    *slot = std::move(*child);
    log_debug(instance.name + ": notify " + std::string(to_string(state)) + ": " + what,
              {{"INSTANCE", instance.name}});
  }
}

}  // namespace keepvip::daemon
