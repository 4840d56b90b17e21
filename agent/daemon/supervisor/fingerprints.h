// What decides, at a reload, whether a running thing is kept, updated in
// place or rebuilt (supervisor/reconcile.h): fingerprints of its spec, one
// text that differs exactly when something that matters differs. Source
// locations never count.
//
// Instances, by name:
//   unchanged - identical: keeps running untouched (state, mastership, timers);
//   updated   - same VRRP identity (interface, VRID, version, addresses,
//               timers, preempt, auth) but other settings changed (priority,
//               tracking, notify scripts, GARP settings, the tracked scripts'
//               definitions): keeps its state and takes the new settings;
//   rebuilt   - the VRRP identity changed: the old one shuts down cleanly
//               (priority 0, VIPs released) and a new one starts;
//   added / removed - only in the new / old configuration.
// A vrrp_script or a reference_ip probe is rebuilt when what it runs or how
// it counts changes.
#pragma once

#include <string>

#include "config/config.h"
#include "daemon/instances/instance_spec.h"

namespace keepvip::daemon {

// Equal identities can be updated in place; equal settings (which include
// the identity) mean unchanged.
std::string identity_fingerprint(const config::Instance& instance);
std::string settings_fingerprint(const InstanceSpec& spec);

// What a vrrp_script runs, as whom, and how its verdict is counted.
std::string script_fingerprint(const config::Script& script);
// Where a reference_ip probe goes and how its verdict is counted.
std::string arbitration_fingerprint(const config::Arbitration& arbitration);

}  // namespace keepvip::daemon
