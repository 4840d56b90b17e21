// The agent's side of the systemd service protocol (Type=notify): READY once
// sockets, BPF and the bus are up; a one-line STATUS; RELOADING/READY around
// a reload; STOPPING at shutdown. Every call is a no-op when not started by
// systemd (no NOTIFY_SOCKET), so the agent runs the same in a terminal.
#pragma once

#include <string>

namespace keepvip::daemon {

void notify_ready(const std::string& status);
void notify_status(const std::string& status);
void notify_reloading();
void notify_stopping();

}  // namespace keepvip::daemon
