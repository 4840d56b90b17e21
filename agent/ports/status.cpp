#include "ports/status.h"

namespace keepvip::ports {

bool is_claim(const SplitBrainEvidence& e) {
  return e.kind == "arp-conflict" || e.kind == "na-conflict";
}

std::string describe(const SplitBrainEvidence& e) {
  if (is_claim(e)) {
    return e.kind + ": " + e.source.to_string() + " claimed by " +
           (e.mac.empty() ? std::string{"an unknown MAC"} : e.mac);
  }
  std::string text = e.kind + " from " + e.source.to_string();
  if (!e.mac.empty()) text += " (" + e.mac + ")";
  return text + ", VRID " + std::to_string(e.vrid) + " priority " + std::to_string(e.priority);
}

}  // namespace keepvip::ports
