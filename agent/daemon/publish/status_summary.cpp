#include "daemon/publish/status_summary.h"

namespace keepvip::daemon {

std::string status_summary(const std::vector<ports::InstanceSnapshot>& instances) {
  if (instances.empty()) return "no instances";
  std::string out =
      std::to_string(instances.size()) + (instances.size() == 1 ? " instance: " : " instances: ");
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i) out += ", ";
    out += instances[i].name + " " + std::string(vrrp::to_string(instances[i].state));
    if (instances[i].split_brain) out += " (split brain)";
  }
  return out;
}

}  // namespace keepvip::daemon
