// Every keyword some keepalived version (1.3.5 to 2.4) knows in the blocks
// keepvip reads, and what keepvip does with it: uses it, accepts it without
// using it (naming the area of keepvip that will), refuses it (saying why),
// or skips the block it opens. A keyword in this table is never an "unknown
// keyword"; one outside it is, with the closest known one suggested.
// docs/keepvip.conf.5.md and keepvip.conf(5) list the table (a unit test
// keeps them in step).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace keepvip::config::detail {

enum class Support : uint8_t {
  Used,     // read into the configuration and acted on
  Unused,   // accepted with a warning; `note` names the area that will use it
  Refused,  // an error; `note` says why
  Skipped,  // a block skipped whole with a warning; `note` names its area
};

struct KnownKeyword {
  std::string_view block;  // "" at the top level, else the enclosing block's keyword
  std::string_view name;
  Support support;
  std::string_view note;
  std::string_view since;  // the first keepalived version that knows it ("1.3.5": that or older)
};

std::span<const KnownKeyword> keepalived_keywords();

// The entry for `name` in `block`, or null.
const KnownKeyword* find_keepalived_keyword(std::string_view block, std::string_view name);
// The names keepalived knows in `block`, for spelling suggestions.
std::vector<std::string_view> keepalived_keywords_in(std::string_view block);
// The blocks other than `block` where keepalived knows `name`.
std::vector<std::string_view> blocks_knowing(std::string_view name, std::string_view block);

}  // namespace keepvip::config::detail
