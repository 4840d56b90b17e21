#include "keepvipctl/status_table.h"

#include <algorithm>
#include <array>
#include <ctime>

namespace keepvip::ctl {
namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string local_time(uint64_t realtime_usec) {
  if (realtime_usec == 0) return "-";
  time_t seconds = static_cast<time_t>(realtime_usec / 1'000'000);
  struct tm tm {};
  char text[32];
  if (!localtime_r(&seconds, &tm) || !strftime(text, sizeof text, "%F %T", &tm)) return "-";
  return text;
}

}  // namespace

std::string render_split_brain(const std::vector<InstanceRow>& rows) {
  std::string out;
  for (const auto& r : rows) {
    out +=
        r.name + " (" + r.state + ", VRID " + std::to_string(r.vrid) + " on " + r.interface + "): ";
    if (!r.split_brain) {
      out += "no split brain";
      // Evidence still being confirmed (one burst at a handover is not enough).
      if (!r.evidence.empty()) out += ", " + std::to_string(r.evidence.size()) + " pending";
      out += "\n";
      continue;
    }
    out += "SPLIT BRAIN\n";
    for (const auto& e : r.evidence) {
      out += "  " + vrrp::describe(e) + "\n    first seen " + local_time(e.first_seen_usec) +
             ", last seen " + local_time(e.last_seen_usec) + "\n";
    }
  }
  return out;
}

std::string render_status_table(const std::vector<InstanceRow>& rows) {
  constexpr size_t kColumns = 8;
  using Row = std::array<std::string, kColumns>;
  std::vector<Row> table;
  table.push_back(
      {"INSTANCE", "STATE", "PRIO/EFF", "VRID", "IFACE", "VIPS", "MASTER", "SPLIT-BRAIN"});
  for (const auto& r : rows) {
    std::string split = r.split_brain ? "YES (" + std::to_string(r.evidence.size()) + ")" : "no";
    table.push_back(
        {r.name, r.state, std::to_string(r.priority) + "/" + std::to_string(r.effective_priority),
         std::to_string(r.vrid) + " v" + std::to_string(r.version), r.interface,
         r.vips.empty() ? "-" : join(r.vips, ","), r.master.empty() ? "-" : r.master, split});
  }
  std::array<size_t, kColumns> width{};
  for (const auto& row : table)
    for (size_t c = 0; c < kColumns; ++c) width[c] = std::max(width[c], row[c].size());

  std::string out;
  for (const auto& row : table) {
    std::string line;
    for (size_t c = 0; c < kColumns; ++c) {
      line += row[c];
      if (c + 1 < kColumns) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace keepvip::ctl
