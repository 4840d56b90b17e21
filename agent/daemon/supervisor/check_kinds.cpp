#include "daemon/supervisor/check_kinds.h"

#include <set>

#include "common/log.h"
#include "daemon/tracking/tracking.h"

namespace keepvip::daemon {

std::unique_ptr<HealthCheck> ScriptKind::start(Spec& script) {
  std::string key = script_key(script.name);
  auto check = checks_.script(script, [report = report_, key](bool up) { report(key, up); });
  if (!check) {
    log_error(check.error().describe());
    return nullptr;
  }
  return std::move(*check);
}

std::unique_ptr<HealthCheck> ProbeKind::start(Spec& probe) {
  std::string key = reference_key(probe.arbitration.reference);
  auto check = checks_.reference(probe.arbitration, [report = report_, instance = probe.instance,
                                                     key](bool up) { report(instance, key, up); });
  if (!check) {
    log_error(probe.instance + ": arbitration: " + check.error().describe(),
              {{"INSTANCE", probe.instance}});
    return nullptr;
  }
  return std::move(*check);
}

std::vector<config::Script> tracked_scripts(const config::Config& config) {
  std::set<std::string> names;
  for (const auto& instance : config.instances)
    for (const auto& t : instance.track_scripts)
      if (config.scripts.count(t.name)) names.insert(t.name);
  std::vector<config::Script> scripts;
  for (const auto& name : names) scripts.push_back(config.scripts.at(name));
  return scripts;
}

std::vector<ProbeSpec> probes_for(const std::vector<const InstanceSpec*>& instances) {
  std::vector<ProbeSpec> probes;
  for (const InstanceSpec* spec : instances)
    if (spec->instance.arbitration) probes.push_back({spec->name(), *spec->instance.arbitration});
  return probes;
}

}  // namespace keepvip::daemon
