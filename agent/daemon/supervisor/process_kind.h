// vrrp_track_process as a kind of the supervisor's reconcile
// (reconcile.h), by name: keepalived counts only the processes some
// instance tracks. A tracked process is counted again from a scan when its
// definition changes; its quorum flips go to every instance tracking it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/tracking/health_check.h"
#include "daemon/tracking/process_monitor.h"

namespace keepvip::daemon {

class ProcessKind {
 public:
  using Key = std::string;
  using Spec = config::TrackedProcess;
  using Object = ProcessCheck;
  using Report = std::function<void(const std::string& key, bool up)>;

  ProcessKind(ProcessMonitor& monitor, Report report)
      : monitor_(monitor), report_(std::move(report)) {}

  Key key(const Spec& process) const { return process.name; }
  std::string identity(const Spec& process) const;
  std::unique_ptr<ProcessCheck> start(Spec& process);
  void stop(ProcessCheck&) {}

 private:
  ProcessMonitor& monitor_;
  Report report_;
};

// The vrrp_track_processes some instance of `config` tracks, each once.
std::vector<config::TrackedProcess> tracked_processes(const config::Config& config);

// What a vrrp_track_process counts and how.
std::string process_fingerprint(const config::TrackedProcess& process);

}  // namespace keepvip::daemon
