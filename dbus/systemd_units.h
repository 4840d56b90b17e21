// ports::UnitHealth over systemd's D-Bus API (track_unit, units that follow
// mastership). Event driven: Subscribe once, then each watched unit's
// PropertiesChanged on /org/freedesktop/systemd1/unit/<escaped name>; never
// polls.
//
// Health rule (also in keepvip.conf(5), track_unit):
//   - `active`                                  -> up
//   - `failed`, `maintenance`                   -> down
//   - `inactive`, `deactivating`                -> down while the unit is
//     expected to run; up once keepvip itself stopped it (stop_unit, units
//     following mastership on a BACKUP), so that does not fault the backup;
//     start_unit() makes it expected again. Either call re-judges the unit
//     from the event loop, never from inside the call.
//   - `activating` with SubState `auto-restart` -> down (the process died,
//     systemd is about to restart it: the service is not serving)
//   - other `activating`, `reloading`           -> keep the previous verdict
//     (down if there is none yet)
//   - a unit that does not exist (LoadState `not-found`) is down; it is
//     followed anyway and picked up when it appears (daemon-reload).
// It survives `systemctl daemon-reload` (Reloading signal -> re-read every
// unit), systemd re-executing (NameOwnerChanged) and the bus going away
// (reconnect with exponential backoff, 100 ms doubling to 5 s).
#pragma once

#include <systemd/sd-event.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "dbus/bus_kind.h"
#include "ports/unit_health.h"

namespace keepvip::dbus {

// The verdict for one ActiveState/SubState reading (pure; unit tested).
struct UnitVerdict {
  bool healthy = false;
  std::string why;  // "active", "failed", "inactive", "not-found", ...
};
UnitVerdict judge_unit(std::string_view load_state, std::string_view active_state,
                       std::string_view sub_state, bool expected_running,
                       const UnitVerdict* previous);

// A start keepvip asked for (master_units) is in progress: the unit is not
// serving yet, but not failed either. Without this, a unit both started on
// MASTER and tracked would fault the instance it was started for, be stopped,
// count as up again, and loop. The start ends with the first reading that is
// neither "inactive before any activating" nor "activating", or when systemd
// reports the unit's job removed (JobRemoved: a start that never activated,
// e.g. a failed Condition=); from then on the normal rule judges. nullopt:
// the normal rule applies (and start is over).
struct StartProgress {
  bool pending = false;
  bool seen_activating = false;
};
std::optional<UnitVerdict> judge_start(std::string_view load_state, std::string_view active_state,
                                       std::string_view sub_state, StartProgress& start);

class SystemdUnits : public ports::UnitHealth {
 public:
  // Connects to the system bus (BusKind::User: the user manager on the
  // session bus) and attaches to `loop`. Watches and jobs are asynchronous.
  // A bus that cannot be reached yet does not fail open(): it is retried in
  // the background (watched units report once it is there).
  //
  // start_unit/stop_unit without a bus return an error and keep the request
  // (the last one per unit): it is sent once systemd answers again.
  static Result<std::unique_ptr<SystemdUnits>> open(sd_event* loop, BusKind kind);

  SystemdUnits(const SystemdUnits&) = delete;
  SystemdUnits& operator=(const SystemdUnits&) = delete;
  ~SystemdUnits() override;

  Result<> watch(const std::string& unit) override;
  void set_callback(Callback cb) override;
  // StartUnit/StopUnit with mode "replace"; the job's outcome is logged.
  Result<> start_unit(const std::string& unit) override;
  Result<> stop_unit(const std::string& unit) override;
  void refresh(const std::string& unit) override;
  void when_jobs_answered(std::function<void()> done) override;

  struct Impl;

 private:
  explicit SystemdUnits(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keepvip::dbus
