// What a SIGHUP reload does to each instance, decided by comparing the
// running config with the new one by instance name:
//   unchanged - identical: keeps running untouched (state, mastership, timers);
//   updated   - same VRRP identity (interface, VRID, version, addresses,
//               timers, preempt, auth) but other settings changed (priority,
//               tracking, notify scripts, GARP settings, the tracked scripts'
//               definitions): keeps its state and takes the new settings;
//   rebuilt   - the VRRP identity changed: the old one shuts down cleanly
//               (priority 0, VIPs released) and a new one starts;
//   added / removed - only in the new / old config.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace keepvip::daemon {

struct ReloadPlan {
  std::vector<std::string> unchanged;
  std::vector<std::string> updated;
  std::vector<std::string> rebuilt;
  std::vector<std::string> added;
  std::vector<std::string> removed;
};

ReloadPlan plan_reload(const config::Config& running, const config::Config& next);

// Exposed for tests and logs: two instances with equal identities can be
// updated in place; equal settings (which include the identity) mean unchanged.
std::string identity_fingerprint(const config::Instance& instance);
std::string settings_fingerprint(const config::Config& config, const config::Instance& instance);

}  // namespace keepvip::daemon
