#include "daemon/notify.h"

#include "common/log.h"
#include "daemon/command_line.h"

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

Result<std::vector<std::vector<std::string>>> notify_commands(const config::Instance& instance,
                                                              NotifyState state, uint8_t priority) {
  std::vector<std::vector<std::string>> commands;
  const std::string* specific = nullptr;
  switch (state) {
    case NotifyState::Master:
      specific = &instance.notify_master;
      break;
    case NotifyState::Backup:
      specific = &instance.notify_backup;
      break;
    case NotifyState::Fault:
      specific = &instance.notify_fault;
      break;
    case NotifyState::Stop:
      specific = &instance.notify_stop;
      break;
  }
  if (!specific->empty()) {
    auto argv = split_command_line(*specific);
    if (!argv) return unexpected(argv.error());
    if (!argv->empty()) commands.push_back(std::move(*argv));
  }
  if (!instance.notify.empty()) {
    auto argv = split_command_line(instance.notify);
    if (!argv) return unexpected(argv.error());
    if (!argv->empty()) {
      argv->insert(argv->end(), {"INSTANCE", instance.name, std::string(to_string(state)),
                                 std::to_string(priority)});
      commands.push_back(std::move(*argv));
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
  for (auto& argv : *commands) {
    // The list node is created first so the exit callback can erase it.
    auto slot = running_.emplace(running_.end());
    std::string what = argv[0];
    auto child = ChildProcess::spawn(
        loop_, argv, run_as_, ChildProcess::OnRelease::LeaveRunning,
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
