#include "daemon/publish/state_file.h"

#include <cstdio>
#include <map>

#include "common/atomic_file.h"
#include "daemon/publish/runtime_files.h"

namespace keepvip::daemon {
namespace {

constexpr std::string_view kMagic = "keepvip-state 1";

bool is_plain(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '/' || c == ',' || c == '+' || c == '-';
}

std::string encode(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (is_plain(c)) {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Result<std::string> decode(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    int hi = i + 1 < value.size() ? hex_digit(value[i + 1]) : -1;
    int lo = i + 2 < value.size() ? hex_digit(value[i + 2]) : -1;
    if (hi < 0 || lo < 0) return logic_error("bad %-escape in \"" + std::string(value) + "\"");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

template <typename T, typename F>
std::string join(const std::vector<T>& items, F to_text) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += to_text(item);
  }
  return out;
}

// Written only when there are some, so files without routes read as before.
template <typename T>
std::string entries(std::string_view key, const std::vector<T>& items) {
  if (items.empty()) return {};
  return std::string(key) +
         join(items, [](const T& item) { return encode(config::to_string(item)); });
}

Result<int> parse_int(std::string_view text, int lo, int hi, std::string_view key) {
  int value = 0;
  if (text.empty()) return logic_error("empty " + std::string(key));
  for (char c : text) {
    if (c < '0' || c > '9' || value > hi) return logic_error("bad " + std::string(key));
    value = value * 10 + (c - '0');
  }
  if (value < lo || value > hi) return logic_error(std::string(key) + " out of range");
  return value;
}

Result<HeldInstance> parse_instance(std::string_view line) {
  std::map<std::string, std::string, std::less<>> fields;
  for (auto token : split(line, ' ')) {
    if (token.empty() || token == "instance") continue;
    auto eq = token.find('=');
    if (eq == std::string_view::npos)
      return logic_error("field without '=': " + std::string(token));
    auto value = decode(token.substr(eq + 1));
    if (!value) return unexpected(value.error());
    fields[std::string(token.substr(0, eq))] = *value;
  }
  auto get = [&](std::string_view key) -> std::string {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
  };

  HeldInstance h;
  h.name = get("name");
  h.interface = get("interface");
  if (h.name.empty() || h.interface.empty())
    return logic_error("instance line without name/interface");
  auto ifindex = parse_int(get("ifindex"), 0, 1 << 30, "ifindex");
  auto version = parse_int(get("version"), 2, 3, "version");
  auto vrid = parse_int(get("vrid"), 1, 255, "vrid");
  auto interval = parse_int(get("interval_cs"), 1, 4095, "interval_cs");
  if (!ifindex) return unexpected(ifindex.error());
  if (!version) return unexpected(version.error());
  if (!vrid) return unexpected(vrid.error());
  if (!interval) return unexpected(interval.error());
  h.ifindex = *ifindex;
  h.advert.version = static_cast<uint8_t>(*version);
  h.advert.vrid = static_cast<uint8_t>(*vrid);
  h.advert.interval_cs = static_cast<uint16_t>(*interval);
  std::string family = get("family");
  if (family != "ipv4" && family != "ipv6") return logic_error("bad family \"" + family + "\"");
  h.advert.family = family == "ipv4" ? Family::V4 : Family::V6;
  auto source = IpAddress::parse(get("source"));
  if (!source) return logic_error("bad source address");
  h.advert.source = *source;
  h.advert.auth_pass = get("auth");
  h.advert.ah = get("ah") == "1";  // absent in files of earlier versions
  // The wire settings, absent in files of earlier versions (and by default).
  h.advert.v3_checksum_as_v2 = get("csum_v2") == "1";
  if (std::string group = get("group"); !group.empty()) {
    auto address = IpAddress::parse(group);
    if (!address || !address->is_multicast()) return logic_error("bad group \"" + group + "\"");
    h.advert.multicast_group = *address;
  }
  if (std::string ttl = get("ttl"); !ttl.empty()) {
    auto value = parse_int(ttl, 0, 255, "ttl");
    if (!value) return unexpected(value.error());
    h.advert.unicast_ttl = static_cast<uint8_t>(*value);
  }
  // Kept in locals: split() returns views into them.
  const std::string peers = get("peers");
  const std::string vips = get("vips");
  const std::string excluded = get("excluded");
  const std::string units = get("units");  // absent in files of earlier versions
  for (auto peer : split(peers, ',')) {
    if (peer.empty()) continue;
    auto address = IpAddress::parse(peer);
    if (!address) return logic_error("bad peer \"" + std::string(peer) + "\"");
    h.advert.unicast_peers.push_back(*address);
  }
  for (auto vip : split(vips, ',')) {
    if (vip.empty()) continue;
    auto prefix = IpPrefix::parse(vip);
    if (!prefix) return logic_error("bad vip \"" + std::string(vip) + "\"");
    h.advert.vips.push_back(*prefix);
  }
  for (auto vip : split(excluded, ',')) {
    if (vip.empty()) continue;
    auto prefix = IpPrefix::parse(vip);
    if (!prefix) return logic_error("bad excluded address \"" + std::string(vip) + "\"");
    h.excluded.push_back(*prefix);
  }
  for (auto unit : split(units, ','))
    if (!unit.empty()) h.master_units.emplace_back(unit);
  h.firewall_table = get("firewall");  // absent: none, or a file of an earlier version
  // Absent in files of earlier versions. Each entry is written as the
  // configuration would write it (routes.h), percent-encoded on its own.
  const std::string routes = get("routes");
  const std::string rules = get("rules");
  for (auto item : split(routes, ',')) {
    if (item.empty()) continue;
    auto text = decode(item);
    if (!text) return unexpected(text.error());
    auto route = config::parse_route(config::split_words(*text));
    if (!route.value) return logic_error("bad route \"" + *text + "\"");
    h.routes.push_back(*route.value);
  }
  config::RulePriorities unused;  // written rules always carry their preference
  for (auto item : split(rules, ',')) {
    if (item.empty()) continue;
    auto text = decode(item);
    if (!text) return unexpected(text.error());
    auto rule = config::parse_rule(config::split_words(*text), unused);
    if (!rule.value) return logic_error("bad rule \"" + *text + "\"");
    h.rules.push_back(*rule.value);
  }
  return h;
}

}  // namespace

std::string format_state(const std::vector<HeldInstance>& held) {
  std::string out(kMagic);
  out += '\n';
  for (const auto& h : held) {
    const AdvertIdentity& a = h.advert;
    out += "instance name=" + encode(h.name) + " interface=" + encode(h.interface) +
           " ifindex=" + std::to_string(h.ifindex) +
           " family=" + (a.family == Family::V4 ? "ipv4" : "ipv6") +
           " version=" + std::to_string(a.version) + " vrid=" + std::to_string(a.vrid) +
           " interval_cs=" + std::to_string(a.interval_cs) + " source=" + a.source.to_string() +
           " auth=" + encode(a.auth_pass) + (a.ah ? " ah=1" : "") +
           (a.v3_checksum_as_v2 ? " csum_v2=1" : "") +
           (a.multicast_group ? " group=" + a.multicast_group->to_string() : "") +
           (a.unicast_ttl ? " ttl=" + std::to_string(*a.unicast_ttl) : "") +
           " peers=" + join(a.unicast_peers, [](const IpAddress& p) { return p.to_string(); }) +
           " vips=" + join(a.vips, [](const IpPrefix& p) { return p.to_string(); }) +
           " excluded=" + join(h.excluded, [](const IpPrefix& p) { return p.to_string(); }) +
           " units=" + encode(join(h.master_units, [](const std::string& u) { return u; })) +
           (h.firewall_table.empty() ? "" : " firewall=" + encode(h.firewall_table)) +
           entries(" routes=", h.routes) + entries(" rules=", h.rules) + '\n';
  }
  return out;
}

Result<std::vector<HeldInstance>> parse_state(std::string_view text) {
  auto lines = split(text, '\n');
  if (lines.empty() || lines[0] != kMagic)
    return logic_error("not a keepvip state file (version 1)");
  std::vector<HeldInstance> held;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto line = lines[i];
    if (line.empty()) continue;
    if (!line.starts_with("instance ")) continue;  // records of later versions
    auto h = parse_instance(line);
    if (!h) return logic_error("line " + std::to_string(i + 1) + ": " + h.error().context);
    held.push_back(std::move(*h));
  }
  return held;
}

Result<> write_state_file(const std::string& runtime_dir, const std::vector<HeldInstance>& held) {
  return write_file_atomically(runtime_dir + "/state", format_state(held), 0600);
}

}  // namespace keepvip::daemon
