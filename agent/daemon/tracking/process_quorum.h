// How many processes of one vrrp_track_process run, and whether that is a
// quorum, counted from the kernel's events exactly as keepalived 2.2.8
// counts them (track_process.c):
//  - a process counts when it starts matching (exec, rename) or is forked
//    by a counted process (a forked child has its parent's name and line);
//    it stops counting when it exits or stops matching;
//  - quorum is quorum <= count <= quorum_max; the verdict changes only when
//    the count crosses one of those bounds;
//  - crossing by a fork waits fork_delay, by an exit terminate_delay: a
//    pending opposite delay is cancelled instead (a restart within the delay
//    changes nothing), and a process stopping to match skips the delay;
//  - at start the count is taken from a scan, with no delay; after lost
//    events it is taken again, and a verdict lost then waits
//    terminate_delay.
// Pure: time comes in as arguments, the caller arms one timer for due().
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/time.h"
#include "config/config.h"
#include "ports/process_events.h"

namespace keepvip::daemon {

class ProcessQuorum {
 public:
  using OnChange = std::function<void(bool up)>;
  ProcessQuorum(config::TrackedProcess spec, OnChange on_change);

  // The first count, from every running process; no delay, no report.
  void initialise(const std::vector<ports::RunningProcess>& running);
  // Counted again after lost events.
  void recount(const std::vector<ports::RunningProcess>& running, Usec now);
  void on_event(const ports::ProcessEvent& event, Usec now);
  // A delay that ran out: the verdict is what the count says now.
  void expire(Usec now);
  std::optional<Usec> due() const;

  bool up() const { return up_; }
  size_t count() const { return counted_.size(); }
  bool fork_delay_running() const { return pending_ == Pending::Fork; }
  bool terminate_delay_running() const { return pending_ == Pending::Terminate; }
  const config::TrackedProcess& spec() const { return spec_; }

 private:
  enum class Pending { None, Fork, Terminate };
  bool in_quorum() const;
  void set(bool up);
  void add(int32_t pid);
  void remove(int32_t pid, bool exited, Usec now);
  void forked(int32_t child, Usec now);

  config::TrackedProcess spec_;
  OnChange on_change_;
  std::set<int32_t> counted_;
  bool up_ = false;
  Pending pending_ = Pending::None;
  Usec due_{0};
};

}  // namespace keepvip::daemon
