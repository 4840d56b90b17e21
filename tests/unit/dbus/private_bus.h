// Test support for the D-Bus suites: a private dbus-daemon per fixture (no
// root, no session needed), an sd-event loop to pump while the service under
// test answers, and child processes run without blocking that loop.
#pragma once

#include <sys/types.h>
#include <systemd/sd-event.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace keepvip::testing {

class PrivateBus {
 public:
  // `policy_xml` goes inside <busconfig>; `type` is "session" or "system".
  // The socket lives in a fresh directory under $TMPDIR (or /tmp).
  static Result<PrivateBus> start(const std::string& type, const std::string& policy_xml);
  // Whether dbus-daemon is on PATH (tests skip without it).
  static bool available();
  // A permissive session bus: anyone may own and call anything.
  static Result<PrivateBus> start_session();

  PrivateBus(PrivateBus&& other) noexcept;
  PrivateBus& operator=(PrivateBus&&) = delete;
  PrivateBus(const PrivateBus&) = delete;
  ~PrivateBus();

  const std::string& address() const { return address_; }
  const std::string& directory() const { return dir_; }
  // Kills the daemon now (to test reconnection); the destructor is then a no-op for it.
  void kill_daemon();
  // Kills the daemon and starts a new one on the same socket path, as a bus
  // restart does. The address stays valid (it carries no guid).
  Result<> restart();

 private:
  PrivateBus() = default;
  Result<> spawn();
  pid_t pid_ = -1;
  std::string dir_;
  std::string address_;
};

// Runs the loop until `done()` or the time limit; returns done().
bool pump_until(sd_event* loop, const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(5));
// Runs the loop for a fixed time (to show that something does NOT happen).
void pump_for(sd_event* loop, std::chrono::milliseconds duration);

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out, err;
};
// Runs argv with extra environment, pumping `loop` meanwhile so a service on
// the same loop can answer the child.
ProcessResult run_process(sd_event* loop, const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_env = {},
                          std::chrono::milliseconds limit = std::chrono::seconds(20));

}  // namespace keepvip::testing
