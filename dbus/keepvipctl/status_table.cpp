#include "keepvipctl/status_table.h"

#include <algorithm>
#include <array>

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

}  // namespace

std::string render_status_table(const std::vector<InstanceRow>& rows) {
  constexpr size_t kColumns = 8;
  using Row = std::array<std::string, kColumns>;
  std::vector<Row> table;
  table.push_back(
      {"INSTANCE", "STATE", "PRIO/EFF", "VRID", "IFACE", "VIPS", "MASTER", "SPLIT-BRAIN"});
  for (const auto& r : rows) {
    std::string split = r.split_brain ? "YES (" + std::to_string(r.evidence_count) + ")" : "no";
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
