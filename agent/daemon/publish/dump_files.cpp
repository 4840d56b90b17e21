#include "daemon/publish/dump_files.h"

#include "daemon/publish/format_counters.h"

namespace keepvip::daemon {

std::string format_stats(const std::vector<ports::RouterCounters>& guard,
                         const std::vector<ports::InstanceSnapshot>& instances, MonoTime now) {
  std::string text = format_counters(guard, now);
  text += "\n";
  for (const auto& s : instances) {
    text += s.name + ": " + std::string(vrrp::to_string(s.state)) +
            " received=" + std::to_string(s.counters.adverts_received) +
            " sent=" + std::to_string(s.counters.adverts_sent) +
            " became_master=" + std::to_string(s.counters.became_master);
    for (const auto& [reason, count] : s.counters.drops)
      text += " " + std::string(to_string(reason)) + "=" + std::to_string(count);
    text += "\n";
  }
  return text;
}

}  // namespace keepvip::daemon
