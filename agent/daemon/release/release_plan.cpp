#include "daemon/release/release_plan.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace keepvip::daemon {

bool is_unit_name(const std::string& name) {
  // systemd's own limit and character set (unit-name.c); the suffix must be a
  // unit type, so a record cannot smuggle in an object path or a glob.
  constexpr size_t kMaxUnitName = 255;
  constexpr std::array<std::string_view, 11> kTypes = {".service",   ".socket", ".target", ".mount",
                                                       ".automount", ".swap",   ".timer",  ".path",
                                                       ".slice",     ".scope",  ".device"};
  if (name.empty() || name.size() > kMaxUnitName || name.front() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ':' || c == '-' || c == '_' || c == '.' || c == '\\' || c == '@';
    if (!ok) return false;
  }
  auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  std::string_view suffix = std::string_view(name).substr(dot);
  return std::find(kTypes.begin(), kTypes.end(), suffix) != kTypes.end();
}

ReleasePlan plan_release(const std::vector<HeldInstance>& held,
                         const std::function<std::optional<int>(const std::string&)>& index_of) {
  ReleasePlan plan;
  for (const auto& h : held) {
    std::optional<int> now = index_of(h.interface);
    if (!now) {
      plan.skipped.push_back(h.name + ": interface " + h.interface +
                             " no longer exists; its addresses went with it: not touched");
    } else if (*now != h.ifindex) {
      plan.skipped.push_back(h.name + ": interface " + h.interface + " has index " +
                             std::to_string(*now) + ", the record says " +
                             std::to_string(h.ifindex) +
                             " (recreated since): its addresses are not touched");
    } else {
      plan.release.push_back(h);
    }
    // The units run on whatever the interface did: stop them either way.
    for (const auto& unit : h.master_units) {
      auto& list = is_unit_name(unit) ? plan.units : plan.refused_units;
      if (std::find(list.begin(), list.end(), unit) == list.end()) list.push_back(unit);
    }
  }
  return plan;
}

}  // namespace keepvip::daemon
