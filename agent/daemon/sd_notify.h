// The agent's side of the systemd service protocol (Type=notify): READY once
// sockets, BPF and the bus are up; a one-line STATUS; RELOADING/READY around
// a reload; STOPPING at shutdown. Every call is a no-op when not started by
// systemd (no NOTIFY_SOCKET), so the agent runs the same in a terminal.
#pragma once

#include <string>
#include <vector>

#include "ports/status.h"

namespace keepvip::daemon {

// "2 instances: VI_1 MASTER, VI_2 BACKUP" ("1 instance: ...", "no instances").
std::string status_summary(const std::vector<ports::InstanceSnapshot>& instances);

void notify_ready(const std::string& status);
void notify_status(const std::string& status);
void notify_reloading();
void notify_stopping();

}  // namespace keepvip::daemon
