// The seam for systemd unit health (track_unit). The daemon asks to watch
// units and is told when each one goes up or down; the sd-bus implementation
// lives in dbus/, tests use a fake.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace keepvip::ports {

class UnitHealth {
 public:
  using Callback = std::function<void(std::string_view unit, bool healthy, std::string_view why)>;
  virtual ~UnitHealth() = default;
  // Starts following `unit`; the callback fires once with the current state
  // and again on every change. Idempotent per unit.
  virtual Result<> watch(const std::string& unit) = 0;
  virtual void set_callback(Callback cb) = 0;
  // Units follow mastership: start on MASTER, stop on BACKUP/FAULT (no-block jobs).
  virtual Result<> start_unit(const std::string& unit) = 0;
  virtual Result<> stop_unit(const std::string& unit) = 0;
  // Forget the last verdict about `unit` and report its current state again
  // (after the daemon marked it down on an OnFailure= report, so a unit that
  // already recovered is not left down). No-op for units not watched.
  virtual void refresh(const std::string& unit) { (void)unit; }
  // Calls `done` once systemd has answered every start/stop asked for so
  // far (at once if none is waiting). Stopping waits for this: a StopUnit
  // whose sender has left the bus before systemd read it is never run, and
  // the master_units would keep running on a node that is no longer MASTER.
  virtual void when_jobs_answered(std::function<void()> done) { done(); }
};

}  // namespace keepvip::ports
