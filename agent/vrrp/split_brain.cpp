#include "vrrp/split_brain.h"

#include <algorithm>

namespace keepvip::vrrp {

namespace {
// The kernel reports a MAC, the daemon's receive path does not: the same
// router seen by both is one piece of evidence.
bool same_origin(const SplitBrainEvidence& a, const SplitBrainEvidence& b) {
  return a.kind == b.kind && a.source == b.source && a.vrid == b.vrid &&
         (a.mac == b.mac || a.mac.empty() || b.mac.empty());
}

}  // namespace

std::optional<EvidenceKind> evidence_in_rejection(RejectReason reason) {
  switch (reason) {
    case RejectReason::AuthMismatch:
    case RejectReason::AuthTypeMismatch:
      return EvidenceKind::AuthMismatch;
    case RejectReason::VersionMismatch:
      return EvidenceKind::VersionMismatch;
    case RejectReason::IntervalMismatch:
      return EvidenceKind::IntervalMismatch;
    default:
      return std::nullopt;
  }
}

std::optional<EvidenceKind> evidence_in_advert(const InstanceState& state,
                                               const IpAddress& our_address, uint8_t priority,
                                               const IpAddress& source) {
  if (priority == 0 || outranks(priority, source, state.priority, our_address)) return std::nullopt;
  if (state.state == State::Master) return EvidenceKind::ForeignMaster;
  if (state.state == State::Backup && state.master_address && *state.master_address != source)
    return EvidenceKind::TwoMasters;
  return std::nullopt;
}

bool SplitBrainTracker::accepts(const SplitBrainEvidence& evidence) const {
  if (evidence.kind == EvidenceKind::TwoMasters) return role_ == State::Backup;
  return role_ == State::Master;
}

SplitBrainEdge SplitBrainTracker::clear() {
  entries_.clear();
  if (!active_) return SplitBrainEdge::None;
  active_ = false;
  return SplitBrainEdge::Ended;
}

SplitBrainEdge SplitBrainTracker::set_role(State role, MonoTime) {
  if (role == role_) return SplitBrainEdge::None;
  role_ = role;
  return clear();
}

SplitBrainEdge SplitBrainTracker::feed(const SplitBrainEvidence& evidence, MonoTime now) {
  if (!accepts(evidence)) return SplitBrainEdge::None;
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return same_origin(e.evidence, evidence); });
  if (it != entries_.end()) {
    it->last = now;
    it->evidence.priority = evidence.priority;
    it->evidence.last_seen_usec = std::max(it->evidence.last_seen_usec, evidence.last_seen_usec);
    if (it->evidence.mac.empty()) it->evidence.mac = evidence.mac;
  } else {
    if (entries_.size() == kMaxEvidence) {
      // Forget the source heard from least recently.
      entries_.erase(
          std::min_element(entries_.begin(), entries_.end(),
                           [](const Entry& a, const Entry& b) { return a.last < b.last; }));
    }
    entries_.push_back(Entry{evidence, now, now});
  }
  if (active_ || !confirmed(now)) return SplitBrainEdge::None;
  active_ = true;
  return SplitBrainEdge::Started;
}

bool SplitBrainTracker::confirmed(MonoTime now) const {
  if (entries_.empty()) return false;
  auto first = std::min_element(entries_.begin(), entries_.end(),
                                [](const Entry& a, const Entry& b) { return a.first < b.first; });
  auto last = std::max_element(entries_.begin(), entries_.end(),
                               [](const Entry& a, const Entry& b) { return a.last < b.last; });
  if (last->last - first->first >= confirm_) return true;  // seen over a span
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return is_claim(e.evidence) && now - e.first >= confirm_;  // a claim outlived a handover
  });
}

SplitBrainEdge SplitBrainTracker::tick(MonoTime now) {
  std::erase_if(entries_, [&](const Entry& e) { return now - e.last >= quiet_; });
  if (entries_.empty()) return clear();
  if (active_ || !confirmed(now)) return SplitBrainEdge::None;
  active_ = true;
  return SplitBrainEdge::Started;
}

std::vector<SplitBrainEvidence> SplitBrainTracker::evidence() const {
  std::vector<Entry> sorted = entries_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Entry& a, const Entry& b) { return a.first < b.first; });
  std::vector<SplitBrainEvidence> out;
  out.reserve(sorted.size());
  for (const Entry& e : sorted) out.push_back(e.evidence);
  return out;
}

std::optional<MonoTime> SplitBrainTracker::next_deadline() const {
  if (entries_.empty()) return std::nullopt;
  auto latest = std::max_element(entries_.begin(), entries_.end(),
                                 [](const Entry& a, const Entry& b) { return a.last < b.last; });
  // tick() drops entries one by one, but the alarm only ends when the last
  // goes, so the latest sighting is the deadline that matters.
  MonoTime deadline = latest->last + quiet_;
  if (!active_) {
    for (const Entry& e : entries_) {
      if (is_claim(e.evidence)) deadline = std::min(deadline, e.first + confirm_);
    }
  }
  return deadline;
}

}  // namespace keepvip::vrrp
