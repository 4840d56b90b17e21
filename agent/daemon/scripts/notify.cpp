#include "daemon/scripts/notify.h"

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
    case NotifyState::Deleted:
      return instance.notify_deleted_script;
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
    case NotifyState::Deleted:
      return "DELETED";
  }
  return "?";
}

std::string_view to_string(InstanceEvent e) {
  switch (e) {
    case InstanceEvent::MasterRxLowerPri:
      return "MASTER_RX_LOWER_PRI";
    case InstanceEvent::MasterPriority:
      return "MASTER_PRIORITY";
    case InstanceEvent::BackupPriority:
      return "BACKUP_PRIORITY";
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
  if (listener_) listener_(instance.name, to_string(state), priority);
  queue(instance, to_string(state), notify_commands(instance, state, priority),
        {&state_script(instance, state), &instance.notify});
}

void NotifyRunner::notify(const config::Instance& instance, InstanceEvent event, uint8_t priority) {
  if (listener_) listener_(instance.name, to_string(event), priority);
  if (event != InstanceEvent::MasterRxLowerPri) return;
  const config::NotifyScript& script = instance.notify_master_rx_lower_pri;
  std::vector<ScriptLaunch> scripts;
  if (script.resolved) scripts.push_back(launch_for(*script.resolved));
  queue(instance, to_string(event), std::move(scripts), {&script});
}

void NotifyRunner::restate(const config::Instance& instance, NotifyState state, uint8_t priority) {
  if (listener_) listener_(instance.name, to_string(state), priority);
}

void NotifyRunner::queue(const config::Instance& instance, std::string_view what,
                         std::vector<ScriptLaunch> scripts,
                         std::initializer_list<const config::NotifyScript*> configured) {
  for (const auto* script : configured) {
    // Only a configuration read without the host leaves a script unsettled.
    if (!script->empty() && !script->resolved)
      log_error(instance.name + ": notify script " + script->command +
                    " not run: it was not checked against this host",
                {{"INSTANCE", instance.name}});
  }
  if (scripts.empty()) return;
  for (auto& script : scripts) script.timeout = timeout_;
  Lane& lane = lanes_[instance.name];
  lane.waiting.push_back({std::string(what), std::move(scripts)});
  if (lane.waiting.size() > kMaxWaitingTransitions) {
    log_warning(instance.name + ": notify scripts for " + lane.waiting.front().what +
                    " skipped: " + std::to_string(kMaxWaitingTransitions) +
                    " later transitions wait for earlier notify scripts to end",
                {{"INSTANCE", instance.name}});
    lane.waiting.pop_front();
  }
  if (lane.running.empty()) start_next(instance.name);
}

void NotifyRunner::start_next(const std::string& instance) {
  auto lane_it = lanes_.find(instance);
  if (lane_it == lanes_.end()) return;
  Lane& lane = lane_it->second;
  while (lane.running.empty() && !lane.waiting.empty()) {
    Transition transition = std::move(lane.waiting.front());
    lane.waiting.pop_front();
    for (const auto& launch : transition.scripts) {
      const std::string what = launch.argv.front();
      auto child = ChildProcess::spawn(
          loop_, launch, ChildProcess::OnRelease::LeaveRunning,
          [this, instance, what, timeout = launch.timeout](const ExitStatus& status) {
            on_script_end(instance, what, timeout, status);
          });
      if (!child) {
        log_error(instance + ": cannot run notify script: " + child.error().describe(),
                  {{"INSTANCE", instance}});
        continue;
      }
      log_debug(instance + ": notify " + transition.what + ": " + what, {{"INSTANCE", instance}});
      lane.running.push_back(std::move(*child));
    }
  }
  if (lane.running.empty() && lane.waiting.empty()) {
    lanes_.erase(lane_it);
    if (lanes_.empty() && on_idle_) on_idle_();
  }
}

void NotifyRunner::on_script_end(const std::string& instance, const std::string& what, Usec timeout,
                                 const ExitStatus& status) {
  if (!status.success()) {
    std::string how = status.describe();
    if (status.end == ExitStatus::End::TimedOut)
      how = "timed out after " + std::to_string(timeout.count() / 1000) +
            " ms (notify_script_timeout); ended with every process it started";
    log_warning(instance + ": notify script " + what + " failed: " + how, {{"INSTANCE", instance}});
  }
  auto lane_it = lanes_.find(instance);
  if (lane_it == lanes_.end()) return;
  auto& running = lane_it->second.running;
  std::erase_if(running, [](const auto& child) { return !child->running(); });
  if (running.empty()) start_next(instance);
}

}  // namespace keepvip::daemon
