#include "daemon/publish/format_counters.h"

#include <net/if.h>

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace keepvip::daemon {

namespace {

std::string interface_name(int ifindex) {
  char name[IF_NAMESIZE] = {};
  if (ifindex > 0 && if_indextoname(static_cast<unsigned>(ifindex), name)) return name;
  return "#" + std::to_string(ifindex);
}

std::string drops_text(const proto::DropCounts& drops) {
  if (drops.empty()) return "-";
  std::string out;
  for (const auto& [reason, count] : drops) {
    if (!out.empty()) out += ',';
    out += std::string(to_string(reason)) + "=" + std::to_string(count);
  }
  return out;
}

}  // namespace

std::string format_counters(const std::vector<ports::RouterCounters>& counters, MonoTime now) {
  std::vector<ports::RouterCounters> rows = counters;
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.ifindex, a.vrid, a.family, a.source) <
           std::tie(b.ifindex, b.vrid, b.family, b.source);
  });
  std::string out;
  char line[512];
  std::snprintf(line, sizeof(line), "%-12s %4s %-6s %-39s %10s %4s %8s %14s  %s\n", "IFACE", "VRID",
                "FAMILY", "SOURCE", "ADVERTS", "PRIO", "INTERVAL", "LAST-SEEN", "DROPS");
  out += line;
  for (const auto& r : rows) {
    char interval[16];
    std::snprintf(interval, sizeof(interval), "%u.%02us", r.last_interval_cs / 100,
                  r.last_interval_cs % 100);
    // The kernel stamps with CLOCK_MONOTONIC: only the age means something.
    auto now_usec = static_cast<uint64_t>(now.since_boot.count());
    uint64_t age = now_usec > r.last_seen_usec ? now_usec - r.last_seen_usec : 0;
    char seen[32];
    std::snprintf(seen, sizeof(seen), "%llu.%03llus ago",
                  static_cast<unsigned long long>(age / 1'000'000),
                  static_cast<unsigned long long>((age / 1000) % 1000));
    std::snprintf(line, sizeof(line), "%-12s %4u %-6s %-39s %10llu %4u %8s %14s  %s\n",
                  interface_name(r.ifindex).c_str(), r.vrid,
                  r.family == Family::V6 ? "ipv6" : "ipv4", r.source.to_string().c_str(),
                  static_cast<unsigned long long>(r.adverts), r.last_priority, interval, seen,
                  drops_text(r.drops).c_str());
    out += line;
  }
  return out;
}

}  // namespace keepvip::daemon
