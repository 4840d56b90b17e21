// Keyword helpers beyond the table of keepalived's keywords
// (keepalived_keywords.h): the options of a virtual_ipaddress entry keepvip
// accepts without using, and the closest known keyword to a misspelt one.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace keepvip::config::detail {

// Options of a virtual_ipaddress entry that keepvip accepts and ignores, and
// whether they take a value.
bool is_unused_vip_option(std::string_view word, bool& takes_value);

// The candidate closest to `word` by edit distance, or "" when none is close
// enough to be a plausible misspelling.
std::string closest_keyword(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace keepvip::config::detail
