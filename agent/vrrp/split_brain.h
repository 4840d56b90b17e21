// Per-instance split-brain state, fed with evidence from the guard (or the
// receive path). Pure: no clock, no I/O; the daemon passes `now`, logs the
// edges it gets back and arms a timer for next_deadline().
//
// What raises the alarm, and what is deliberately ignored so that normal
// failover, failback, restarts and preemption never do:
//  - Evidence that only means something while we are MASTER (every kind but
//    "two-masters") is ignored in any other role; "two-masters" counts only
//    while BACKUP. Evidence arriving in the wrong role is in flight from
//    before a role change (a GARP burst of a peer that just preempted us).
//  - Any role change clears the evidence: whatever we saw belonged to the
//    role we left (if we yielded, the conflict is resolved).
//  - The alarm starts only once evidence has been seen for `confirm` (first
//    to last sighting), so one burst at a handover is not enough. A claim on
//    our VIP (ARP/NA from a foreign MAC) also starts it when we are still
//    MASTER `confirm` after it: a handover would have changed our role by
//    then, and a node that took the VIP may announce it only once.
//  - The kernel already leaves out adverts we yield to (higher priority, or
//    equal priority from a higher address: normal preemption), priority-0
//    adverts (a master resigning), a single stray advert from an old master,
//    a single change of master seen by a backup, and our own addresses/MACs.
//  - The alarm ends after `quiet` without new evidence.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "common/ip_address.h"
#include "common/time.h"
#include "vrrp/evidence.h"
#include "vrrp/receive_checks.h"
#include "vrrp/state_machine.h"

namespace keepvip::vrrp {

// What the receive path itself sees, for hosts without the guard (the guard
// reports the same from the kernel; the tracker merges them):
//  - an advert the instance checks rejected because someone runs our VRID
//    with another password, version or interval;
std::optional<EvidenceKind> evidence_in_rejection(RejectReason reason);
//  - an accepted advert (priority > 0) from a router that does not outrank
//    us (the state machine's own rule, outranks()): while we are MASTER a
//    foreign master, while BACKUP a second master beside the one we follow.
std::optional<EvidenceKind> evidence_in_advert(const InstanceState& state,
                                               const IpAddress& our_address, uint8_t priority,
                                               const IpAddress& source);

enum class SplitBrainEdge { None, Started, Ended };

class SplitBrainTracker {
 public:
  static constexpr size_t kMaxEvidence = 16;  // distinct (kind, source, MAC, VRID) kept

  explicit SplitBrainTracker(Usec quiet, Usec confirm = Usec{1'000'000})
      : quiet_(quiet), confirm_(confirm) {}

  SplitBrainEdge set_role(State role, MonoTime now);
  SplitBrainEdge feed(const SplitBrainEvidence& evidence, MonoTime now);
  // Confirms a claim held for `confirm`; ends the alarm (and forgets pending
  // evidence) after the quiet period.
  SplitBrainEdge tick(MonoTime now);

  bool active() const { return active_; }
  // Sorted by first sighting.
  std::vector<SplitBrainEvidence> evidence() const;
  // When tick() next has something to do (confirm a claim, end the alarm,
  // forget stale evidence); nullopt when holding nothing.
  std::optional<MonoTime> next_deadline() const;

  void set_quiet(Usec quiet) { quiet_ = quiet; }

 private:
  struct Entry {
    SplitBrainEvidence evidence;
    MonoTime first;
    MonoTime last;
  };

  bool accepts(const SplitBrainEvidence& evidence) const;
  bool confirmed(MonoTime now) const;
  SplitBrainEdge clear();

  Usec quiet_;
  Usec confirm_;
  State role_ = State::Init;
  bool active_ = false;
  std::vector<Entry> entries_;
};

}  // namespace keepvip::vrrp
