#include "daemon/supervisor/process_kind.h"

#include <set>
#include <sstream>

#include "common/log.h"
#include "daemon/tracking/tracking.h"

namespace keepvip::daemon {

std::string process_fingerprint(const config::TrackedProcess& p) {
  std::ostringstream out;
  out << "process=" << p.process << ";params=";
  for (const auto& param : p.params) out << param << '\x1f';
  out << ";match=" << static_cast<int>(p.param_match) << ";full=" << p.full_command
      << ";weight=" << p.weight << ";reverse=" << p.weight_reverse << ";quorum=" << p.quorum << ".."
      << p.quorum_max << ";fork_delay=" << p.fork_delay.count()
      << ";terminate_delay=" << p.terminate_delay.count() << ';';
  return out.str();
}

std::string ProcessKind::identity(const Spec& process) const {
  return process_fingerprint(process);
}

std::unique_ptr<ProcessCheck> ProcessKind::start(Spec& process) {
  std::string key = process_key(process.name);
  auto check = monitor_.track(process, [report = report_, key](bool up) { report(key, up); });
  if (!check) {
    log_error(check.error().describe(), {{"TRACK_PROCESS", process.name}});
    return nullptr;
  }
  return std::move(*check);
}

std::vector<config::TrackedProcess> tracked_processes(const config::Config& config) {
  std::set<std::string> names;
  for (const auto& instance : config.instances)
    for (const auto& t : instance.track_processes)
      if (config.processes.count(t.name)) names.insert(t.name);
  std::vector<config::TrackedProcess> processes;
  for (const auto& name : names) processes.push_back(config.processes.at(name));
  return processes;
}

}  // namespace keepvip::daemon
