// The one line that says how the instances are: systemd's STATUS= and
// keepvipd's "running" log line.
#pragma once

#include <string>
#include <vector>

#include "ports/status.h"

namespace keepvip::daemon {

// "2 instances: VI_1 MASTER, VI_2 BACKUP" ("1 instance: ...", "no instances").
std::string status_summary(const std::vector<ports::InstanceSnapshot>& instances);

}  // namespace keepvip::daemon
