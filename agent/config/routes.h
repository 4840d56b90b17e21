// Routes and policy rules: virtual_routes / virtual_rules of a vrrp_instance
// (present while it is MASTER) and the top-level static_routes / static_rules
// (present while keepvipd runs), in keepalived 2.2.8's syntax, which is
// ip-route(8) / ip-rule(8)'s.
//
// parse_route / parse_rule work on the words of one entry and report
// problems by word index, so the configuration reader can give
// file:line:column and the crash hand-over (state_file.h) can read back the
// text that to_string wrote. Both are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"

namespace keepvip::config {

// The kernel's RTPROT_KEEPALIVED: what keepalived marks its routes and rules
// with, so `ip route show proto keepalived` lists them.
inline constexpr uint8_t kKeepalivedProtocol = 18;
inline constexpr uint32_t kMainTable = 254;

enum class RouteType : uint8_t { Unicast, Blackhole, Unreachable, Prohibit, Throw };

struct Route {
  Family family = Family::V4;
  RouteType type = RouteType::Unicast;
  bool type_written = false;  // deletion names the type only when it was written
  IpPrefix destination;       // "default": the zero-length prefix
  std::optional<IpAddress> via;
  std::string dev;                            // empty: the kernel picks by the gateway
  std::optional<IpAddress> preferred_source;  // "src"
  std::optional<IpPrefix> from;               // "from": IPv6 source routing
  uint32_t table = kMainTable;
  std::optional<uint32_t> metric;
  std::optional<uint8_t> scope;  // unset: universe
  uint8_t protocol = kKeepalivedProtocol;
  std::optional<uint8_t> tos;
  bool onlink = false;
  friend bool operator==(const Route&, const Route&) = default;
};

enum class RuleAction : uint8_t { Table, Goto, Nop, Blackhole, Unreachable, Prohibit };

struct Rule {
  Family family = Family::V4;
  bool invert = false;  // "not"
  std::optional<IpPrefix> from;
  std::optional<IpPrefix> to;
  std::string iif;  // "iif" / "dev"
  std::string oif;
  std::optional<uint32_t> fwmark;
  std::optional<uint32_t> fwmask;
  std::optional<uint8_t> tos;
  uint32_t priority = 0;  // always set: keepalived numbers rules written without one
  RuleAction action = RuleAction::Table;
  uint32_t table = 0;        // RuleAction::Table
  uint32_t goto_target = 0;  // RuleAction::Goto
  std::optional<uint32_t> suppress_prefixlen;
  std::optional<uint8_t> protocol = kKeepalivedProtocol;  // nullopt: "no_track", none sent
  friend bool operator==(const Rule&, const Rule&) = default;
};

// One finding about a word of an entry; `word` indexes the entry's words
// (the first word for problems of the whole entry).
struct SyntaxProblem {
  size_t word = 0;
  std::string message;
  bool error = true;  // false: a warning, the entry is still used
};

template <typename T>
struct ParsedEntry {
  std::optional<T> value;  // nullopt when an error was found
  std::vector<SyntaxProblem> problems;
};

ParsedEntry<Route> parse_route(std::span<const std::string> words);

// Rules without a preference are numbered downwards per family from
// keepalived's start value, as keepalived does (with its warning).
struct RulePriorities {
  uint32_t next_v4 = 16384;
  uint32_t next_v6 = 16384;
};
ParsedEntry<Rule> parse_rule(std::span<const std::string> words, RulePriorities& unnumbered);

// The entry as keepalived's dump and `ip route` / `ip rule` write it; parse_*
// reads it back to an equal value.
std::string to_string(const Route& route);
std::string to_string(const Rule& rule);

// The number iproute2's rt_tables `text` gives the table `name` ("100 vip"
// lines, '#' comments). `table NAME` reads /etc/iproute2/rt_tables (then
// /usr/share/iproute2 and /usr/lib/iproute2) with it.
std::optional<uint32_t> table_number_in_file(std::string_view text, std::string_view name);

// Splits an entry's text on spaces and tabs (for text to_string wrote).
std::vector<std::string> split_words(std::string_view text);

}  // namespace keepvip::config
