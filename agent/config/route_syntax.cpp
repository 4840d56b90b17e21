// The words of a virtual/static route or rule, read as keepalived 2.2.8's
// vrrp_iproute.c / vrrp_iprule.c read them (their error texts quoted), and
// written back the same way.
#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>

#include "config/routes.h"

namespace keepvip::config {
namespace {

struct Named {
  std::string_view name;
  uint32_t value;
};

// iproute2's built-in names; the tables named in its rt_tables files are
// read too (table_number_in_file), as keepalived reads them.
constexpr auto kTables = std::to_array<Named>({{"default", 253}, {"main", 254}, {"local", 255}});

// The files iproute2 (and keepalived's default iproute_etc_dir) names tables in.
constexpr auto kTableFiles = std::to_array<std::string_view>(
    {"/etc/iproute2/rt_tables", "/usr/share/iproute2/rt_tables", "/usr/lib/iproute2/rt_tables"});
constexpr auto kScopes = std::to_array<Named>({{"global", 0},
                                               {"universe", 0},
                                               {"site", 200},
                                               {"link", 253},
                                               {"host", 254},
                                               {"nowhere", 255}});
constexpr auto kProtocols = std::to_array<Named>({{"none", 0},
                                                  {"redirect", 1},
                                                  {"kernel", 2},
                                                  {"boot", 3},
                                                  {"static", 4},
                                                  {"gated", 8},
                                                  {"ra", 9},
                                                  {"mrt", 10},
                                                  {"zebra", 11},
                                                  {"bird", 12},
                                                  {"dnrouted", 13},
                                                  {"xorp", 14},
                                                  {"ntk", 15},
                                                  {"dhcp", 16},
                                                  {"keepalived", 18},
                                                  {"babel", 42}});

// Route types keepalived knows (rttables.c); keepvip installs the first five.
struct TypeName {
  std::string_view name;
  std::optional<RouteType> type;
};
constexpr auto kRouteTypes = std::to_array<TypeName>({
    {"unicast", RouteType::Unicast},
    {"blackhole", RouteType::Blackhole},
    {"unreachable", RouteType::Unreachable},
    {"prohibit", RouteType::Prohibit},
    {"throw", RouteType::Throw},
    {"local", std::nullopt},
    {"nat", std::nullopt},
    {"broadcast", std::nullopt},
    {"brd", std::nullopt},
    {"anycast", std::nullopt},
    {"multicast", std::nullopt},
    {"xresolve", std::nullopt},
});

// Route options keepalived 2.2.8 accepts that keepvip does not install yet.
constexpr auto kUnsupportedRouteOptions = std::to_array<std::string_view>({"as",
                                                                           "encap",
                                                                           "expires",
                                                                           "mtu",
                                                                           "hoplimit",
                                                                           "advmss",
                                                                           "rtt",
                                                                           "rttvar",
                                                                           "reordering",
                                                                           "window",
                                                                           "cwnd",
                                                                           "ssthresh",
                                                                           "realms",
                                                                           "rto_min",
                                                                           "initcwnd",
                                                                           "initrwnd",
                                                                           "features",
                                                                           "quickack",
                                                                           "congctl",
                                                                           "pref",
                                                                           "ttl-propagate",
                                                                           "fastopen_no_cookie",
                                                                           "nexthop",
                                                                           "or",
                                                                           "vrf",
                                                                           "track_group"});
constexpr auto kUnsupportedRuleOptions = std::to_array<std::string_view>(
    {"realms", "suppress_ifgroup", "sup_group", "tunnel-id", "uidrange", "l3mdev", "ipproto",
     "sport", "dport", "track_group"});

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::optional<uint32_t> parse_u32(std::string_view text) {
  int base = 10;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    base = 16;
    text.remove_prefix(2);
  }
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

template <size_t N>
std::optional<uint32_t> lookup(const std::array<Named, N>& names, std::string_view text,
                               uint32_t max) {
  for (const auto& n : names)
    if (n.name == text) return n.value;
  auto number = parse_u32(text);
  if (!number || *number > max) return std::nullopt;
  return number;
}

std::optional<uint32_t> table_from_files(std::string_view name) {
  for (auto path : kTableFiles) {
    std::ifstream file{std::string(path)};
    if (!file) continue;
    std::stringstream text;
    text << file.rdbuf();
    if (auto number = table_number_in_file(text.str(), name)) return number;
  }
  return std::nullopt;
}

std::optional<uint32_t> table_number(std::string_view text) {
  if (auto number = lookup(kTables, text, UINT32_MAX)) return number;
  return table_from_files(text);
}

template <size_t N>
bool listed(const std::array<std::string_view, N>& names, std::string_view word) {
  return std::find(names.begin(), names.end(), word) != names.end();
}

// keepalived's parse_route: "default", "any" and "all" are the zero-length
// prefix of a family not yet known.
struct Destination {
  IpPrefix prefix;
  bool family_known = true;
};
std::optional<Destination> parse_destination(std::string_view text) {
  if (text == "default" || text == "any" || text == "all")
    return Destination{IpPrefix{IpAddress::v4({}), 0}, false};
  auto prefix = IpPrefix::parse(text);
  if (!prefix) return std::nullopt;
  return Destination{*prefix, true};
}

IpPrefix zero_prefix(Family family) {
  return IpPrefix{family == Family::V4 ? IpAddress::v4({}) : IpAddress::v6({}), 0};
}

bool host_bits_set(const IpPrefix& prefix) {
  auto bytes = prefix.address.bytes();
  for (size_t bit = prefix.prefix_len; bit < bytes.size() * 8; ++bit)
    if (bytes[bit / 8] & (0x80 >> (bit % 8))) return true;
  return false;
}

std::string prefix_text(const IpPrefix& p, bool zero_is_default) {
  if (zero_is_default && p.prefix_len == 0) return "default";
  const size_t host = p.address.is_v4() ? 32 : 128;
  return p.prefix_len == host ? p.address.to_string() : p.to_string();
}

// Walks the words, tracking the family the entry's addresses settle.
class EntryReader {
 public:
  explicit EntryReader(std::span<const std::string> words) : words_(words) {}

  bool done() const { return i_ >= words_.size(); }
  const std::string& word() const { return words_[i_]; }
  void next() { ++i_; }
  // The value after the current keyword; nullopt (and an error) at the end.
  std::optional<std::string_view> value() {
    if (i_ + 1 >= words_.size()) {
      error("expected a value after '" + words_[i_] + "'");
      return std::nullopt;
    }
    return words_[++i_];
  }
  void error(std::string message) { add(std::move(message), true); }
  void warning(std::string message) { add(std::move(message), false); }
  bool failed() const { return failed_; }
  // Settles the family; false (with an error) when it was settled otherwise.
  bool settle(Family family, const std::string& mismatch) {
    if (!family_) {
      family_ = family;
      return true;
    }
    if (*family_ == family) return true;
    error(mismatch);
    return false;
  }
  std::optional<Family> family() const { return family_; }
  std::vector<SyntaxProblem> take_problems() { return std::move(problems_); }

 private:
  void add(std::string message, bool is_error) {
    // Past the last word: a problem of the whole entry, shown at its start.
    size_t at = i_ < words_.size() ? i_ : 0;
    problems_.push_back({at, std::move(message), is_error});
    failed_ = failed_ || is_error;
  }
  std::span<const std::string> words_;
  size_t i_ = 0;
  std::optional<Family> family_;
  std::vector<SyntaxProblem> problems_;
  bool failed_ = false;
};

std::string not_supported(std::string_view option, std::string_view what) {
  return std::string(what) + " option '" + std::string(option) +
         "' is accepted by keepalived but not supported by keepvip yet";
}

// The value after the current keyword read by `read`; nullopt, with the
// error "BEFORE value AFTER", when it is missing or does not read.
template <typename Read>
auto read_value(EntryReader& in, Read read, std::string_view before, std::string_view after)
    -> decltype(read(std::string_view{})) {
  auto text = in.value();
  if (!text) return std::nullopt;
  auto value = read(*text);
  if (!value) in.error(std::string(before) + std::string(*text) + std::string(after));
  return value;
}

std::optional<uint32_t> up_to_255(std::string_view text) {
  auto value = parse_u32(text);
  if (!value || *value > 255) return std::nullopt;
  return value;
}

std::optional<uint8_t> read_tos(EntryReader& in) {
  auto tos = read_value(in, up_to_255, "TOS value ", " is invalid");
  if (!tos) return std::nullopt;
  return static_cast<uint8_t>(*tos);
}

std::optional<std::string> read_interface(EntryReader& in) {
  const std::string keyword = in.word();
  auto text = in.value();
  if (!text) return std::nullopt;
  if (text->empty() || text->size() > 15 || text->find_first_of("/: ") != std::string::npos) {
    in.error("expected an interface name of 1..15 characters after '" + keyword + "', got '" +
             std::string(*text) + "'");
    return std::nullopt;
  }
  return std::string(*text);
}

template <size_t N>
auto named(const std::array<Named, N>& names, uint32_t max) {
  return [&names, max](std::string_view text) { return lookup(names, text, max); };
}

// One keyword of a route; false when the entry is in error.
bool route_option(EntryReader& in, Route& route, std::optional<Destination>& destination,
                  bool& no_track, bool& protocol_written) {
  const std::string& word = in.word();
  const std::string mix = "Cannot mix IPv4 and IPv6 addresses for route";
  auto address_value = [&](std::string_view what) -> std::optional<IpAddress> {
    auto text = in.value();
    if (!text) return std::nullopt;
    auto address = IpAddress::parse(*text);
    if (!address) {
      in.error("invalid route " + std::string(what) + " address " + std::string(*text));
      return std::nullopt;
    }
    if (!in.settle(address->family(), mix)) return std::nullopt;
    return address;
  };
  if (word == "inet" || word == "inet6") {
    Family f = word == "inet" ? Family::V4 : Family::V6;
    return in.settle(f, word + " specified for " + (f == Family::V4 ? "IPv6" : "IPv4") + " route");
  }
  if (word == "src") {
    route.preferred_source = address_value("src");
    return route.preferred_source.has_value();
  }
  if (word == "via" || word == "gw") {
    if (word == "gw") in.warning("\"gw\" for routes is deprecated. Please use \"via\"");
    auto text = in.value();
    if (!text) return false;
    // "via inet ADDR" / "via inet6 ADDR": the family is written out.
    if (*text == "inet" || *text == "inet6") {
      text = in.value();
      if (!text) return false;
    }
    auto address = IpAddress::parse(*text);
    if (!address) {
      in.error("invalid route via address " + std::string(*text));
      return false;
    }
    if (!in.settle(address->family(), mix)) return false;
    route.via = address;
    return true;
  }
  if (word == "from") {
    auto text = in.value();
    if (!text) return false;
    auto from = IpPrefix::parse(*text);
    if (!from) {
      in.error("invalid route from address " + std::string(*text));
      return false;
    }
    if (from->address.is_v4()) {
      in.error("route from address only supported with IPv6 (" + std::string(*text) + ")");
      return false;
    }
    if (!in.settle(Family::V6, mix)) return false;
    route.from = from;
    return true;
  }
  if (word == "tos" || word == "dsfield") {
    route.tos = read_tos(in);
    return route.tos.has_value();
  }
  if (word == "table") {
    auto table = read_value(
        in,
        [](std::string_view text) {
          auto t = table_number(text);
          return t && *t != 0 ? t : std::nullopt;
        },
        "Routing table ", " not found for route");
    if (!table) return false;
    route.table = *table;
    return true;
  }
  if (word == "protocol") {
    auto protocol =
        read_value(in, named(kProtocols, 255), "Protocol ", " not found or invalid for route");
    if (!protocol) return false;
    route.protocol = static_cast<uint8_t>(*protocol);
    protocol_written = true;
    return true;
  }
  if (word == "scope") {
    auto scope = read_value(in, named(kScopes, 255), "Scope ", " not found or invalid for route");
    if (!scope) return false;
    route.scope = static_cast<uint8_t>(*scope);
    return true;
  }
  if (word == "metric" || word == "priority" || word == "preference") {
    route.metric = read_value(in, parse_u32, "Invalid metric ", " specified for route");
    return route.metric.has_value();
  }
  if (word == "dev" || word == "oif") {
    auto dev = read_interface(in);
    if (!dev) return false;
    route.dev = *dev;
    return true;
  }
  if (word == "onlink") {
    route.onlink = true;
    return true;
  }
  if (word == "no_track") {
    no_track = true;
    return true;
  }
  // keepalived's "add", "append" and "prepend" choose how the kernel treats
  // an equal route already there; keepvip always does keepalived's default.
  if (word == "prepend") return true;
  if (word == "add" || word == "append" || listed(kUnsupportedRouteOptions, word)) {
    in.error(not_supported(word, "route"));
    return false;
  }
  // Anything else is the destination, optionally after "to" and a type.
  if (word == "to") {
    if (!in.value()) return false;
  }
  for (const auto& t : kRouteTypes) {
    if (in.word() != t.name) continue;
    if (!t.type) {
      in.error("route type '" + in.word() + "' is not supported by keepvip yet");
      return false;
    }
    route.type = *t.type;
    route.type_written = true;
    if (!in.value()) return false;
    break;
  }
  destination = parse_destination(in.word());
  if (!destination) {
    in.error("unknown route keyword " + in.word());
    return false;
  }
  if (destination->family_known &&
      !in.settle(destination->prefix.address.family(),
                 "Cannot mix IPv4 and IPv6 addresses for route (" + in.word() + ")"))
    return false;
  return true;
}

}  // namespace

std::optional<uint32_t> table_number_in_file(std::string_view text, std::string_view name) {
  for (const auto& line : split_lines(text)) {
    auto words = split_words(line.substr(0, line.find('#')));
    if (words.size() < 2 || words[1] != name) continue;
    if (auto number = parse_u32(words[0])) return number;
  }
  return std::nullopt;
}

ParsedEntry<Route> parse_route(std::span<const std::string> words) {
  EntryReader in(words);
  Route route;
  std::optional<Destination> destination;
  bool no_track = false;
  bool protocol_written = false;
  for (; !in.done(); in.next()) {
    if (!route_option(in, route, destination, no_track, protocol_written)) {
      return {std::nullopt, in.take_problems()};
    }
  }
  if (!destination) {
    in.error("Route must have a destination");
    return {std::nullopt, in.take_problems()};
  }
  route.family = in.family().value_or(Family::V4);
  route.destination = destination->family_known ? destination->prefix : zero_prefix(route.family);
  if (host_bits_set(route.destination)) {
    in.error("route destination " + route.destination.to_string() +
             " has bits set after its prefix length (the kernel refuses it)");
    return {std::nullopt, in.take_problems()};
  }
  // keepalived follows the interface of a route, and says when there is none.
  if (!no_track && route.dev.empty()) {
    in.warning("Warning - cannot track route " + prefix_text(route.destination, true) +
               " with no interface specified, not tracking");
  }
  // keepalived tracks a route with a dev under its own protocol number.
  if (!no_track && !route.dev.empty() && protocol_written &&
      route.protocol != kKeepalivedProtocol) {
    in.warning(
        "Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting "
        "protocol");
    route.protocol = kKeepalivedProtocol;
  }
  return {route, in.take_problems()};
}

namespace {

bool rule_address(EntryReader& in, std::optional<IpPrefix>& out, std::string_view what) {
  auto text = in.value();
  if (!text) return false;
  auto destination = parse_destination(*text);
  if (!destination) {
    in.error("Invalid rule " + std::string(what) + " address " + std::string(*text));
    return false;
  }
  if (!destination->family_known) return true;  // "all": no selector
  if (!in.settle(destination->prefix.address.family(),
                 "rule specification has mixed IPv4 and IPv6"))
    return false;
  if (host_bits_set(destination->prefix)) {
    in.error("rule " + std::string(what) + " " + destination->prefix.to_string() +
             " has bits set after its prefix length (the kernel refuses it)");
    return false;
  }
  out = destination->prefix;
  return true;
}

bool set_action(EntryReader& in, Rule& rule, bool& has_action, RuleAction action) {
  if (has_action) {
    in.error(
        "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable for "
        "rule");
    return false;
  }
  has_action = true;
  rule.action = action;
  return true;
}

bool rule_option(EntryReader& in, Rule& rule, bool& has_action, bool& has_priority,
                 bool& table_option) {
  const std::string& word = in.word();
  if (word == "inet" || word == "inet6") {
    Family f = word == "inet" ? Family::V4 : Family::V6;
    return in.settle(f, word + " specified for " + (f == Family::V4 ? "IPv6" : "IPv4") + " rule");
  }
  if (word == "from") return rule_address(in, rule.from, "from");
  if (word == "to") return rule_address(in, rule.to, "to");
  if (word == "table" || word == "lookup") {
    auto text = in.value();
    if (!text) return false;
    auto table = table_number(*text);
    if (!table) {
      in.error("Routing table " + std::string(*text) + " not found for rule");
      return false;
    }
    if (*table == 0) {
      in.error("Table 0 is not valid");
      return false;
    }
    rule.table = *table;
    return set_action(in, rule, has_action, RuleAction::Table);
  }
  if (word == "not") {
    rule.invert = true;
    return true;
  }
  if (word == "preference" || word == "order" || word == "priority") {
    auto priority = read_value(in, parse_u32, "Invalid rule preference ", " specified");
    if (!priority) return false;
    rule.priority = *priority;
    has_priority = true;
    return true;
  }
  if (word == "tos" || word == "dsfield") {
    rule.tos = read_tos(in);
    return rule.tos.has_value();
  }
  if (word == "fwmark") {
    auto text = in.value();
    if (!text) return false;
    auto slash = text->find('/');
    auto mark = parse_u32(text->substr(0, slash));
    std::optional<uint32_t> mask;
    if (slash != std::string_view::npos) mask = parse_u32(text->substr(slash + 1));
    if (!mark || (slash != std::string_view::npos && !mask)) {
      in.error("Invalid rule fwmark " + std::string(*text) + " specified");
      return false;
    }
    rule.fwmark = mark;
    rule.fwmask = mask;
    return true;
  }
  if (word == "suppress_prefixlength" || word == "sup_pl") {
    auto length = read_value(
        in,
        [](std::string_view text) {
          auto v = parse_u32(text);
          return v && *v <= 128 ? v : std::nullopt;
        },
        "Invalid suppress_prefixlength ", " specified");
    if (!length) return false;
    rule.suppress_prefixlen = length;
    table_option = true;
    return true;
  }
  if (word == "dev" || word == "iif" || word == "oif") {
    const bool out = word == "oif";
    auto name = read_interface(in);
    if (!name) return false;
    (out ? rule.oif : rule.iif) = *name;
    return true;
  }
  if (word == "protocol") {
    auto protocol = read_value(in, named(kProtocols, 255), "Invalid protocol ", "");
    if (!protocol) return false;
    rule.protocol = static_cast<uint8_t>(*protocol);
    return true;
  }
  if (word == "no_track") {
    rule.protocol.reset();
    return true;
  }
  if (listed(kUnsupportedRuleOptions, word)) {
    in.error(not_supported(word, "rule"));
    return false;
  }
  std::string_view action = word;
  if (action == "type") {
    auto text = in.value();
    if (!text) return false;
    action = *text;
  }
  if (action == "goto") {
    auto target = read_value(in, parse_u32, "Invalid target ", " specified");
    if (!target) return false;
    rule.goto_target = *target;
    return set_action(in, rule, has_action, RuleAction::Goto);
  }
  if (action == "nop") return set_action(in, rule, has_action, RuleAction::Nop);
  if (action == "blackhole") return set_action(in, rule, has_action, RuleAction::Blackhole);
  if (action == "unreachable") return set_action(in, rule, has_action, RuleAction::Unreachable);
  if (action == "prohibit") return set_action(in, rule, has_action, RuleAction::Prohibit);
  for (const auto& t : kRouteTypes) {
    if (t.name == action) {
      in.error("Invalid rule action " + std::string(action));
      return false;
    }
  }
  in.error("Unknown rule option " + std::string(action));
  return false;
}

}  // namespace

ParsedEntry<Rule> parse_rule(std::span<const std::string> words, RulePriorities& unnumbered) {
  EntryReader in(words);
  Rule rule;
  bool has_action = false;
  bool has_priority = false;
  bool table_option = false;
  bool no_track_seen = false;
  for (; !in.done(); in.next()) {
    if (in.word() == "no_track") no_track_seen = true;
    if (!rule_option(in, rule, has_action, has_priority, table_option)) {
      return {std::nullopt, in.take_problems()};
    }
  }
  if (rule.action == RuleAction::Goto && has_action) {
    if (!has_priority) {
      in.error("Invalid rule - goto target " + std::to_string(rule.goto_target) +
               " specified without preference");
      return {std::nullopt, in.take_problems()};
    }
    if (rule.priority >= rule.goto_target) {
      in.error("Invalid rule - preference " + std::to_string(rule.priority) + " >= goto target " +
               std::to_string(rule.goto_target));
      return {std::nullopt, in.take_problems()};
    }
  }
  if (!has_action) {
    in.error("No action specified for rule - ignoring");
    return {std::nullopt, in.take_problems()};
  }
  if (rule.action != RuleAction::Table && table_option) {
    in.error("suppressor/realm specified for non table action - skipping");
    return {std::nullopt, in.take_problems()};
  }
  // keepalived marks tracked rules as its own, whatever "protocol" said.
  if (!no_track_seen && rule.protocol != kKeepalivedProtocol) {
    in.warning(
        "Rule cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting "
        "protocol");
    rule.protocol = kKeepalivedProtocol;
  }
  rule.family = in.family().value_or(Family::V4);
  if (!has_priority) {
    uint32_t& next = rule.family == Family::V4 ? unnumbered.next_v4 : unnumbered.next_v6;
    rule.priority = next--;
    in.warning("Rule has no preference specified - setting to " + std::to_string(rule.priority) +
               ". This is probably not what you want.");
  }
  return {rule, in.take_problems()};
}

std::string to_string(const Route& route) {
  std::string out;
  static constexpr std::array<std::string_view, 5> kTypeNames = {
      "unicast", "blackhole", "unreachable", "prohibit", "throw"};
  if (route.type != RouteType::Unicast || route.type_written)
    out += std::string(kTypeNames[static_cast<size_t>(route.type)]) + " ";
  out += prefix_text(route.destination, true);
  if (route.destination.prefix_len == 0 && route.family == Family::V6) out += " inet6";
  if (route.from) out += " from " + prefix_text(*route.from, false);
  if (route.preferred_source) out += " src " + route.preferred_source->to_string();
  if (route.tos) out += " tos " + std::to_string(*route.tos);
  if (route.via) out += " via " + route.via->to_string();
  if (!route.dev.empty()) out += " dev " + route.dev;
  if (route.table != kMainTable) out += " table " + std::to_string(route.table);
  if (route.protocol != kKeepalivedProtocol) out += " protocol " + std::to_string(route.protocol);
  if (route.scope) out += " scope " + std::to_string(*route.scope);
  if (route.metric) out += " metric " + std::to_string(*route.metric);
  if (route.onlink) out += " onlink";
  return out;
}

std::string to_string(const Rule& rule) {
  std::string out = rule.family == Family::V4 ? "inet" : "inet6";
  if (rule.invert) out += " not";
  if (rule.from) out += " from " + prefix_text(*rule.from, false);
  if (rule.to) out += " to " + prefix_text(*rule.to, false);
  if (rule.tos) out += " tos " + std::to_string(*rule.tos);
  if (rule.fwmark) {
    out += " fwmark " + std::to_string(*rule.fwmark);
    if (rule.fwmask) out += "/" + std::to_string(*rule.fwmask);
  }
  if (!rule.iif.empty()) out += " iif " + rule.iif;
  if (!rule.oif.empty()) out += " oif " + rule.oif;
  out += " preference " + std::to_string(rule.priority);
  if (rule.suppress_prefixlen)
    out += " suppress_prefixlength " + std::to_string(*rule.suppress_prefixlen);
  switch (rule.action) {
    case RuleAction::Table:
      out += " table " + std::to_string(rule.table);
      break;
    case RuleAction::Goto:
      out += " goto " + std::to_string(rule.goto_target);
      break;
    case RuleAction::Nop:
      out += " nop";
      break;
    case RuleAction::Blackhole:
      out += " blackhole";
      break;
    case RuleAction::Unreachable:
      out += " unreachable";
      break;
    case RuleAction::Prohibit:
      out += " prohibit";
      break;
  }
  if (!rule.protocol)
    out += " no_track";
  else if (*rule.protocol != kKeepalivedProtocol)
    out += " no_track protocol " + std::to_string(*rule.protocol);
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find_first_of(" \t", i);
    if (end == std::string_view::npos) end = text.size();
    if (end > i) words.emplace_back(text.substr(i, end - i));
    i = end + 1;
  }
  return words;
}

}  // namespace keepvip::config
