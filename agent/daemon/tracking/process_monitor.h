// vrrp_track_process on the event loop: one kernel event source
// (ports::ProcessEvents) shared by every tracked process. Each
// ProcessQuorum hears every event; a scan at start (and for a tracker added
// by a reload) gives the first counts. When the kernel side had no room for
// some events, the counts are taken again from a new scan a second later,
// as keepalived does after ENOBUFS. Without an event source (no BPF), a
// tracked process counts no process and says why once.
#pragma once

#include <systemd/sd-event.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "config/config.h"
#include "daemon/loop/event_loop.h"
#include "daemon/tracking/health_check.h"
#include "daemon/tracking/process_quorum.h"
#include "ports/process_events.h"

namespace keepvip::daemon {

class ProcessMonitor;

// One tracked process's count, as the monitor keeps it.
class ProcessCheck final : public HealthCheck {
 public:
  ProcessCheck(ProcessMonitor& monitor, const config::TrackedProcess& spec,
               VerdictCallback on_verdict);
  ProcessCheck(const ProcessCheck&) = delete;
  ProcessCheck& operator=(const ProcessCheck&) = delete;
  ~ProcessCheck() override;
  bool up() const override { return quorum_.up(); }
  const ProcessQuorum& quorum() const { return quorum_; }

 private:
  friend class ProcessMonitor;
  ProcessMonitor& monitor_;
  ProcessQuorum quorum_;
};

class ProcessMonitor {
 public:
  // `events` may be null; it outlives the monitor.
  ProcessMonitor(sd_event* loop, ports::ProcessEvents* events);
  ProcessMonitor(const ProcessMonitor&) = delete;
  ProcessMonitor& operator=(const ProcessMonitor&) = delete;
  ~ProcessMonitor();

  // Starts counting `spec`'s processes; its verdict flips go to `on_verdict`.
  Result<std::unique_ptr<ProcessCheck>> track(const config::TrackedProcess& spec,
                                              VerdictCallback on_verdict);

  // How many rescans lost events caused.
  uint64_t rescans() const { return rescans_; }

 private:
  friend class ProcessCheck;
  using Check = ProcessCheck;
  Result<> start_events();
  void detach(Check* check);
  Result<> watch_names();
  void on_readable();
  void rescan();
  void arm_delays();
  Usec now() const;

  sd_event* loop_;
  ports::ProcessEvents* events_;
  std::vector<Check*> checks_;
  std::unique_ptr<IoWatch> watch_;
  std::unique_ptr<Timer> delay_timer_;   // the earliest fork/terminate delay
  std::unique_ptr<Timer> rescan_timer_;  // after lost events
  uint64_t lost_ = 0;
  uint64_t rescans_ = 0;
};

}  // namespace keepvip::daemon
