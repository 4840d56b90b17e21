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

std::vector<NotifyCommand> notify_commands(const config::Instance& instance, NotifyState state,
                                           uint8_t priority) {
  std::vector<NotifyCommand> commands;
  const config::NotifyScript& specific = state_script(instance, state);
  if (specific.resolved)
    commands.push_back({specific.resolved->argv, credentials_for(*specific.resolved)});
  if (instance.notify.resolved) {
    NotifyCommand command{instance.notify.resolved->argv,
                          credentials_for(*instance.notify.resolved)};
    command.argv.insert(
        command.argv.end(),
        {"INSTANCE", instance.name, std::string(to_string(state)), std::to_string(priority)});
    commands.push_back(std::move(command));
  }
  return commands;
}

void NotifyRunner::notify(const config::Instance& instance, NotifyState state, uint8_t priority) {
  for (const auto* script : {&state_script(instance, state), &instance.notify}) {
    // Only a configuration read without the host leaves a script unsettled.
    if (!script->empty() && !script->resolved)
      log_error(instance.name + ": notify script " + script->command +
                    " not run: it was not checked against this host",
                {{"INSTANCE", instance.name}});
  }
  for (auto& command : notify_commands(instance, state, priority)) {
    const std::vector<std::string>& argv = command.argv;
    // The list node is created first so the exit callback can erase it.
    auto slot = running_.emplace(running_.end());
    std::string what = argv[0];
    auto child = ChildProcess::spawn(
        loop_, argv, command.run_as, ChildProcess::OnRelease::LeaveRunning,
        [this, slot, what, name = instance.name](const ExitStatus& status) {
          if (!status.success()) {
            log_warning(name + ": notify script " + what + " failed" +
                            (status.exited ? " with exit code " + std::to_string(status.exit_code)
                                           : " by signal " + std::to_string(status.signal)),
                        {{"INSTANCE", name}});
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
