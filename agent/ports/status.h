// The seam between the daemon and whoever publishes its state (the D-Bus
// service in dbus/, keepvipd --stats, tests). The daemon owns the state and
// pushes snapshots; publishers never reach into daemon internals.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "common/time.h"
#include "proto/drop_reason.h"
#include "vrrp/evidence.h"
#include "vrrp/state_machine.h"

namespace keepvip::ports {

struct InstanceCounters {
  uint64_t adverts_received = 0;
  uint64_t adverts_sent = 0;
  uint64_t became_master = 0;
  uint64_t released_master = 0;         // left MASTER (keepalived's release_master)
  uint64_t priority_zero_received = 0;  // accepted adverts with priority 0
  uint64_t priority_zero_sent = 0;
  proto::DropCounts drops;  // by reason
};

struct InstanceSnapshot {
  std::string name;
  vrrp::State state = vrrp::State::Init;
  uint8_t priority = 0;            // configured
  uint8_t effective_priority = 0;  // after tracked weights
  uint8_t vrid = 0;
  std::string interface;
  uint8_t version = 2;
  std::vector<std::string> virtual_addresses;  // "192.0.2.10/24"
  std::optional<IpAddress> master_address;
  uint64_t last_transition_usec = 0;  // CLOCK_REALTIME µs, 0 = never
  std::string last_transition_reason;
  std::vector<std::string> fault_reasons;  // empty unless FAULT
  InstanceCounters counters;
  bool split_brain = false;
  std::vector<vrrp::SplitBrainEvidence> evidence;
};

// Implemented by publishers; called by the daemon on the event loop thread.
class StatusSink {
 public:
  virtual ~StatusSink() = default;
  // The instance set changed (start, reload): replace everything.
  virtual void instances_reset(const std::vector<InstanceSnapshot>& all) = 0;
  // One instance changed; publishers diff against what they hold to decide
  // which properties to announce.
  virtual void instance_updated(const InstanceSnapshot& instance) = 0;
};

// What publishers may ask of the daemon (D-Bus methods, keepvipctl).
class Control {
 public:
  virtual ~Control() = default;
  virtual std::vector<InstanceSnapshot> snapshot() const = 0;
  // Re-reads the config; on any error nothing changes and the error says why.
  virtual Result<> reload() = 0;
  // MASTER gives up (sends priority 0) and holds back from claiming for `hold`.
  virtual Result<> resign(std::string_view instance, Usec hold) = 0;
  // Clears an operator-set fault (e.g. from keepvip-fault@.service).
  virtual Result<> set_fault(std::string_view instance, bool faulted, std::string_view reason) = 0;
  // A systemd unit failed (keepvip-fault@UNIT.service, wired with
  // OnFailure=): every instance that tracks `unit` counts it as down now,
  // until systemd reports it active again. Returns the names of those
  // instances; empty when none tracks it. Not pure so existing Controls
  // build unchanged; the default says the daemon does not support it.
  virtual Result<std::vector<std::string>> unit_failed(std::string_view unit,
                                                       std::string_view reason) {
    (void)unit;
    (void)reason;
    return logic_error("this keepvipd does not handle unit failure reports");
  }
  // The counters of `instance` as they are now, the kernel guard's drops
  // included: counters move with every advert and are never pushed, so a
  // publisher asks when someone reads them. nullopt: no such instance (or
  // this Control does not know; the last snapshot's counters are used).
  virtual std::optional<InstanceCounters> live_counters(std::string_view instance) const {
    (void)instance;
    return std::nullopt;
  }
};

}  // namespace keepvip::ports
