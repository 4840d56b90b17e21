#include "daemon/notify.h"

#include "common/log.h"
#include "config/command_line.h"

namespace keepvip::daemon {

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

Result<std::vector<NotifyCommand>> notify_commands(const config::Instance& instance,
                                                   NotifyState state, uint8_t priority) {
  std::vector<NotifyCommand> commands;
  const std::string* specific = nullptr;
  const config::RunAs* specific_as = nullptr;
  switch (state) {
    case NotifyState::Master:
      specific = &instance.notify_master;
      specific_as = &instance.notify_master_as;
      break;
    case NotifyState::Backup:
      specific = &instance.notify_backup;
      specific_as = &instance.notify_backup_as;
      break;
    case NotifyState::Fault:
      specific = &instance.notify_fault;
      specific_as = &instance.notify_fault_as;
      break;
    case NotifyState::Stop:
      specific = &instance.notify_stop;
      specific_as = &instance.notify_stop_as;
      break;
  }
  if (!specific->empty()) {
    auto argv = config::split_command_line(*specific);
    if (!argv) return unexpected(argv.error());
    if (!argv->empty()) commands.push_back({std::move(*argv), *specific_as});
  }
  if (!instance.notify.empty()) {
    auto argv = config::split_command_line(instance.notify);
    if (!argv) return unexpected(argv.error());
    if (!argv->empty()) {
      argv->insert(argv->end(), {"INSTANCE", instance.name, std::string(to_string(state)),
                                 std::to_string(priority)});
      commands.push_back({std::move(*argv), instance.notify_as});
    }
  }
  return commands;
}

void NotifyRunner::notify(const config::Instance& instance, NotifyState state, uint8_t priority) {
  auto commands = notify_commands(instance, state, priority);
  if (!commands) {
    log_error(instance.name + ": notify script: " + commands.error().describe(),
              {{"INSTANCE", instance.name}});
    return;
  }
  for (auto& command : *commands) {
    const std::vector<std::string>& argv = command.argv;
    auto own = script_run_as(command.run_as.user, command.run_as.group);
    if (!own) {
      // Never fall back to another user (root, say) for a script that named its own.
      log_error(
          instance.name + ": notify script " + argv[0] + " not run: " + own.error().describe(),
          {{"INSTANCE", instance.name}});
      continue;
    }
    const std::optional<Credentials>& run_as = *own ? *own : run_as_;
    // The list node is created first so the exit callback can erase it.
    auto slot = running_.emplace(running_.end());
    std::string what = argv[0];
    auto child = ChildProcess::spawn(
        loop_, argv, run_as, ChildProcess::OnRelease::LeaveRunning,
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
