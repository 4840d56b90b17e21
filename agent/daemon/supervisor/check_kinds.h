// The checks instances track, as kinds of the supervisor's one reconcile
// (reconcile.h): vrrp_scripts by name (keepalived runs only those some
// instance tracks) and reference_ip probes by instance. A check is rebuilt
// when what it runs or how it counts changes (fingerprints.h); its verdict
// flips go to the instances through `report`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/instances/instance_spec.h"
#include "daemon/supervisor/fingerprints.h"
#include "daemon/tracking/health_check.h"

namespace keepvip::daemon {

class ScriptKind {
 public:
  using Key = std::string;
  using Spec = config::Script;
  using Object = HealthCheck;
  // Every instance tracking the script hears it (by tracking key).
  using Report = std::function<void(const std::string& key, bool up)>;

  ScriptKind(const CheckFactories& checks, Report report)
      : checks_(checks), report_(std::move(report)) {}

  Key key(const Spec& script) const { return script.name; }
  std::string identity(const Spec& script) const { return script_fingerprint(script); }
  std::unique_ptr<HealthCheck> start(Spec& script);
  void stop(HealthCheck&) {}

 private:
  const CheckFactories& checks_;
  Report report_;
};

struct ProbeSpec {
  std::string instance;
  config::Arbitration arbitration;
};

class ProbeKind {
 public:
  using Key = std::string;  // the instance's name
  using Spec = ProbeSpec;
  using Object = HealthCheck;
  // Only the probing instance hears it.
  using Report = std::function<void(const std::string& instance, const std::string& key, bool up)>;

  ProbeKind(const CheckFactories& checks, Report report)
      : checks_(checks), report_(std::move(report)) {}

  Key key(const Spec& probe) const { return probe.instance; }
  std::string identity(const Spec& probe) const {
    return arbitration_fingerprint(probe.arbitration);
  }
  std::unique_ptr<HealthCheck> start(Spec& probe);
  void stop(HealthCheck&) {}

 private:
  const CheckFactories& checks_;
  Report report_;
};

// The vrrp_scripts some instance of `config` tracks, each once.
std::vector<config::Script> tracked_scripts(const config::Config& config);
// The reference_ip probes of `instances`.
std::vector<ProbeSpec> probes_for(const std::vector<const InstanceSpec*>& instances);

}  // namespace keepvip::daemon
