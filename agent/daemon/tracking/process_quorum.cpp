#include "daemon/tracking/process_quorum.h"

#include "common/log.h"
#include "daemon/tracking/process_match.h"

namespace keepvip::daemon {

ProcessQuorum::ProcessQuorum(config::TrackedProcess spec, OnChange on_change)
    : spec_(std::move(spec)), on_change_(std::move(on_change)) {}

bool ProcessQuorum::in_quorum() const {
  return counted_.size() >= spec_.quorum && counted_.size() <= spec_.quorum_max;
}

void ProcessQuorum::set(bool up) {
  if (up == up_) return;
  up_ = up;
  // keepalived's words, so that log watchers keep working.
  log_notice("Quorum " + std::string(up ? "gained" : "lost") + " for tracked process " + spec_.name,
             {{"TRACK_PROCESS", spec_.name}});
  if (on_change_) on_change_(up);
}

void ProcessQuorum::initialise(const std::vector<ports::RunningProcess>& running) {
  counted_.clear();
  pending_ = Pending::None;
  for (const auto& p : running)
    if (process_matches(spec_, p.comm, p.cmdline)) counted_.insert(p.pid);
  up_ = in_quorum();
}

void ProcessQuorum::recount(const std::vector<ports::RunningProcess>& running, Usec now) {
  const size_t before = counted_.size();
  const bool was_below = before<spec_.quorum, was_above = before> spec_.quorum_max;
  counted_.clear();
  pending_ = Pending::None;
  for (const auto& p : running)
    if (process_matches(spec_, p.comm, p.cmdline)) counted_.insert(p.pid);
  const size_t after = counted_.size();
  if (after == before) return;
  if (was_below == (after < spec_.quorum) && was_above == (after > spec_.quorum_max)) return;
  if (in_quorum()) {
    set(true);
  } else if (spec_.terminate_delay.count() > 0) {
    pending_ = Pending::Terminate;
    due_ = now + spec_.terminate_delay;
  } else {
    set(false);
  }
}

// A crossing upwards (to quorum, or past quorum_max) outside a fork.
void ProcessQuorum::add(int32_t pid) {
  if (!counted_.insert(pid).second) return;
  const size_t n = counted_.size();
  if (n != spec_.quorum && n != static_cast<size_t>(spec_.quorum_max) + 1) return;
  if (pending_ == Pending::Terminate) pending_ = Pending::None;
  set(n == spec_.quorum);
}

void ProcessQuorum::forked(int32_t child, Usec now) {
  if (!counted_.insert(child).second) return;
  const size_t n = counted_.size();
  if (n != spec_.quorum && n != static_cast<size_t>(spec_.quorum_max) + 1) return;
  if (pending_ == Pending::Terminate) {
    pending_ = Pending::None;
  } else if (spec_.fork_delay.count() > 0) {
    pending_ = Pending::Fork;
    due_ = now + spec_.fork_delay;
    return;
  }
  set(n == spec_.quorum);
}

void ProcessQuorum::remove(int32_t pid, bool exited, Usec now) {
  if (counted_.erase(pid) == 0) return;
  const size_t n = counted_.size();
  if (n + 1 != spec_.quorum && n != spec_.quorum_max) return;
  if (pending_ == Pending::Fork) {
    pending_ = Pending::None;
  } else if (exited && spec_.terminate_delay.count() > 0) {
    pending_ = Pending::Terminate;
    due_ = now + spec_.terminate_delay;
    return;
  }
  set(n == spec_.quorum_max);
}

void ProcessQuorum::on_event(const ports::ProcessEvent& e, Usec now) {
  using Kind = ports::ProcessEvent::Kind;
  switch (e.kind) {
    case Kind::Exec:
      if (process_matches(spec_, e.comm, e.cmdline))
        add(e.pid);
      else
        remove(e.pid, false, now);
      break;
    case Kind::Exit:
      remove(e.pid, true, now);
      break;
    case Kind::Fork:
      if (counted_.count(e.parent)) forked(e.pid, now);
      break;
    case Kind::Rename:
      // A new name matters only to name matching: the command line stays.
      if (spec_.full_command) break;
      if (e.comm == spec_.process)
        add(e.pid);
      else
        remove(e.pid, false, now);
      break;
  }
}

void ProcessQuorum::expire(Usec now) {
  if (pending_ == Pending::None || now < due_) return;
  pending_ = Pending::None;
  set(in_quorum());
}

std::optional<Usec> ProcessQuorum::due() const {
  if (pending_ == Pending::None) return std::nullopt;
  return due_;
}

}  // namespace keepvip::daemon
