#include "guard/split_brain.h"

#include <algorithm>

namespace keepvip::guard {

namespace {
bool same_origin(const ports::SplitBrainEvidence& a, const ports::SplitBrainEvidence& b) {
  return a.kind == b.kind && a.source == b.source && a.mac == b.mac && a.vrid == b.vrid;
}
}  // namespace

bool SplitBrainTracker::accepts(const ports::SplitBrainEvidence& evidence) const {
  if (evidence.kind == "two-masters") return role_ == vrrp::State::Backup;
  return role_ == vrrp::State::Master;
}

SplitBrainEdge SplitBrainTracker::clear() {
  entries_.clear();
  if (!active_) return SplitBrainEdge::None;
  active_ = false;
  return SplitBrainEdge::Ended;
}

SplitBrainEdge SplitBrainTracker::set_role(vrrp::State role, MonoTime) {
  if (role == role_) return SplitBrainEdge::None;
  role_ = role;
  return clear();
}

SplitBrainEdge SplitBrainTracker::feed(const ports::SplitBrainEvidence& evidence, MonoTime now) {
  if (!accepts(evidence)) return SplitBrainEdge::None;
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return same_origin(e.evidence, evidence); });
  if (it != entries_.end()) {
    it->last = now;
    it->evidence.priority = evidence.priority;
    it->evidence.last_seen_usec = std::max(it->evidence.last_seen_usec, evidence.last_seen_usec);
  } else {
    if (entries_.size() == kMaxEvidence) {
      // Forget the source heard from least recently.
      entries_.erase(
          std::min_element(entries_.begin(), entries_.end(),
                           [](const Entry& a, const Entry& b) { return a.last < b.last; }));
    }
    entries_.push_back(Entry{evidence, now, now});
  }
  if (active_) return SplitBrainEdge::None;
  auto first = std::min_element(entries_.begin(), entries_.end(),
                                [](const Entry& a, const Entry& b) { return a.first < b.first; });
  if (now - first->first < confirm_) return SplitBrainEdge::None;
  active_ = true;
  return SplitBrainEdge::Started;
}

SplitBrainEdge SplitBrainTracker::tick(MonoTime now) {
  std::erase_if(entries_, [&](const Entry& e) { return now - e.last >= quiet_; });
  if (!entries_.empty()) return SplitBrainEdge::None;
  return clear();
}

std::vector<ports::SplitBrainEvidence> SplitBrainTracker::evidence() const {
  std::vector<Entry> sorted = entries_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Entry& a, const Entry& b) { return a.first < b.first; });
  std::vector<ports::SplitBrainEvidence> out;
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
  return latest->last + quiet_;
}

}  // namespace keepvip::guard
