// Effective priority of an instance from the objects it tracks (scripts,
// interfaces, systemd units), following keepalived's weight rules:
//   weight > 0: added while the object is up;
//   weight < 0: added (so subtracted) while the object is down;
//   weight 0 (or none): the object being down puts the instance in FAULT;
//   reverse: the object's up/down is inverted before the rule is applied.
// A tracked file carries a number instead of up/down (`value`): it adds
// value x weight (negated by reverse), bounded to -254..253, and a result
// of -254 or weight 0 with a non-zero value (zero with reverse) is FAULT.
// The result is clamped to 1..254, except that the address owner (configured
// priority 255) stays at 255: keepalived ignores weights for owners too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keepvip::daemon {

struct TrackedObject {
  std::string description;  // "script chk_httpd", "interface eth0", "unit httpd.service"
  bool up = true;
  int weight = 0;  // 0 = down means FAULT
  bool reverse = false;
  std::string key;  // what status updates are matched on: "script:chk_httpd", "interface:eth0"
  std::optional<int64_t> value;  // set for tracked files: the number read; `up` is unused
};

struct PriorityVerdict {
  uint8_t priority = 0;
  std::vector<std::string> fault_reasons;  // "script chk_httpd failed", ...; empty = no fault
  bool faulted() const { return !fault_reasons.empty(); }
  friend bool operator==(const PriorityVerdict&, const PriorityVerdict&) = default;
};

PriorityVerdict effective_priority(uint8_t configured, const std::vector<TrackedObject>& tracked);

}  // namespace keepvip::daemon
