// What `keepvipd --release` does with a state file, decided before it does
// anything (pure, unit-tested): which instances' VIPs it removes, which it
// leaves alone and why, and which units it stops.
//
// An instance is released only while the interface it names still has the
// index recorded with it: a name that now belongs to another interface, or
// an index now under another name, means the record no longer describes this
// box (the VIPs went with the old interface), and removing addresses there
// could hit someone else's.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/publish/state_file.h"

namespace keepvip::daemon {

struct ReleasePlan {
  std::vector<HeldInstance> release;       // interface name and index agree
  std::vector<std::string> skipped;        // one line per instance left alone, saying why
  std::vector<std::string> units;          // master_units the dead agent started, each once
  std::vector<std::string> refused_units;  // not a systemd unit name: not stopped
};

// `index_of` names the interface's current index (nullopt: no such interface).
ReleasePlan plan_release(const std::vector<HeldInstance>& held,
                         const std::function<std::optional<int>(const std::string&)>& index_of);

// A name systemd could know as a unit ("web.service", "getty@tty1.service").
bool is_unit_name(const std::string& name);

}  // namespace keepvip::daemon
