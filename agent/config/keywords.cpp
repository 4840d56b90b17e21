#include "config/keywords.h"

#include <algorithm>
#include <array>
#include <vector>

namespace keepvip::config::detail {
namespace {

template <size_t N>
bool contains(const std::array<std::string_view, N>& table, std::string_view word) {
  return std::find(table.begin(), table.end(), word) != table.end();
}

constexpr auto kVipOptionsWithValue = std::to_array<std::string_view>(
    {"brd", "broadcast", "scope", "preferred_lft", "metric", "track_group"});
constexpr auto kVipFlags = std::to_array<std::string_view>(
    {"no_track", "home", "-nodad", "nodad", "noprefixroute", "autojoin"});

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

bool is_unused_vip_option(std::string_view word, bool& takes_value) {
  takes_value = contains(kVipOptionsWithValue, word);
  return takes_value || contains(kVipFlags, word);
}

std::string closest_keyword(std::string_view word, std::span<const std::string_view> candidates) {
  // Long words cannot be misspellings of a keyword; skip the quadratic work.
  if (word.size() > 64) return {};
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (auto candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  // Up to a third of the keyword may be wrong, but at least two edits are
  // always allowed ("priorty", "inteface").
  size_t allowed = std::max<size_t>(2, best.size() / 3);
  if (best.empty() || best_distance > allowed) return {};
  return std::string(best);
}

}  // namespace keepvip::config::detail
