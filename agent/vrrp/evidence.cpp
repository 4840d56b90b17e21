#include "vrrp/evidence.h"

#include <array>
#include <utility>

namespace keepvip::vrrp {
namespace {

constexpr std::array<std::pair<EvidenceKind, std::string_view>, 8> kNames = {{
    {EvidenceKind::ForeignMaster, "foreign-master"},
    {EvidenceKind::VridMismatch, "vrid-mismatch"},
    {EvidenceKind::AuthMismatch, "auth-mismatch"},
    {EvidenceKind::VersionMismatch, "version-mismatch"},
    {EvidenceKind::IntervalMismatch, "interval-mismatch"},
    {EvidenceKind::ArpConflict, "arp-conflict"},
    {EvidenceKind::NaConflict, "na-conflict"},
    {EvidenceKind::TwoMasters, "two-masters"},
}};

}  // namespace

std::string_view to_string(EvidenceKind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "unknown";
}

std::optional<EvidenceKind> parse_evidence_kind(std::string_view name) {
  for (const auto& [kind, n] : kNames)
    if (n == name) return kind;
  return std::nullopt;
}

EvidenceKind evidence_kind_from_kernel(unsigned kind) {
  for (const auto& [k, name] : kNames)
    if (static_cast<unsigned>(k) == kind) return k;
  return EvidenceKind::Unknown;
}

bool is_claim(const SplitBrainEvidence& e) {
  return e.kind == EvidenceKind::ArpConflict || e.kind == EvidenceKind::NaConflict;
}

std::string describe(const SplitBrainEvidence& e) {
  const std::string kind(to_string(e.kind));
  if (is_claim(e)) {
    return kind + ": " + e.source.to_string() + " claimed by " +
           (e.mac.empty() ? std::string{"an unknown MAC"} : e.mac);
  }
  std::string text = kind + " from " + e.source.to_string();
  if (!e.mac.empty()) text += " (" + e.mac + ")";
  return text + ", VRID " + std::to_string(e.vrid) + " priority " + std::to_string(e.priority);
}

}  // namespace keepvip::vrrp
