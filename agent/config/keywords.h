// What keepvip knows about keepalived keywords beyond the ones it handles:
// which are accepted but not used, which blocks it skips, and the closest
// known keyword to a misspelt one.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace keepvip::config::detail {

// keepalived keywords of global_defs that keepvip accepts and ignores.
bool is_unused_global_keyword(std::string_view word);
// keepalived statements outside any block that keepvip accepts and ignores.
bool is_unused_top_level_keyword(std::string_view word);
// Mail settings: reported together, once, since keepvip sends no mail.
bool is_mail_keyword(std::string_view word);
// keepalived keywords of vrrp_instance that keepvip accepts and ignores.
bool is_unused_instance_keyword(std::string_view word);
// Options of a virtual_ipaddress entry that keepvip accepts and ignores, and
// whether they take a value.
bool is_unused_vip_option(std::string_view word, bool& takes_value);
// Blocks of keepalived that keepvip skips entirely (LVS, checkers, sync
// groups, static addresses...), wherever they appear.
bool is_unhandled_block(std::string_view word);

// The candidate closest to `word` by edit distance, or "" when none is close
// enough to be a plausible misspelling.
std::string closest_keyword(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace keepvip::config::detail
