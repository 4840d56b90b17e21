#include "daemon/publish/keepalived_route_lines.h"

#include <array>
#include <cstdio>

namespace keepvip::daemon {
namespace {

// keepalived's ipaddresstos: the length only when it is not a host's.
std::string address_text(const IpPrefix& p) {
  const unsigned host = p.address.is_v4() ? 32 : 128;
  std::string out = p.address.to_string();
  if (p.prefix_len != host) out += "/" + std::to_string(p.prefix_len);
  return out;
}

std::string hex(uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", value);
  return buf;
}

}  // namespace

std::string keepalived_route_line(const config::Route& r) {
  static constexpr std::array<std::string_view, 5> kTypes = {"unicast", "blackhole", "unreachable",
                                                             "prohibit", "throw"};
  std::string out = "prepend ";
  if (r.type != config::RouteType::Unicast)
    out += std::string(kTypes[static_cast<size_t>(r.type)]) + " ";
  out += address_text(r.destination);
  if (r.from) out += " from " + address_text(*r.from);
  if (r.preferred_source) out += " src " + r.preferred_source->to_string();
  if (r.tos) out += " tos " + std::to_string(*r.tos);
  if (r.via)
    out += std::string(" via ") + (r.via->is_v6() ? "inet6 " : "inet ") + r.via->to_string();
  if (!r.dev.empty()) out += " dev " + r.dev;
  if (r.table != config::kMainTable) out += " table " + std::to_string(r.table);
  // keepalived tracks (and so marks with its protocol) the routes with a dev.
  const bool tracked = !r.dev.empty();
  if (tracked || r.protocol != config::kKeepalivedProtocol)
    out += " proto " + std::to_string(r.protocol);
  if (r.scope) out += " scope " + std::to_string(*r.scope);
  if (r.metric) out += " metric " + std::to_string(*r.metric);
  if (r.family == Family::V4 && r.onlink) out += " onlink";
  if (!tracked) out += " no_track";
  return out;
}

std::string keepalived_rule_line(const config::Rule& r) {
  std::string out;
  if (!r.to && !r.from && r.family == Family::V6) out += "inet6 ";
  if (r.invert) out += "not ";
  out += r.from ? "from " + address_text(*r.from) : std::string("from all");
  if (r.to) out += " to " + address_text(*r.to);
  out += " priority " + std::to_string(r.priority);
  out += " tos " + hex(r.tos.value_or(0));
  if (r.fwmark) {
    out += " fwmark " + hex(*r.fwmark);
    if (r.fwmask && *r.fwmask != 0xffffffff) out += "/" + hex(*r.fwmask);
  }
  if (!r.iif.empty()) out += " iif " + r.iif;
  if (!r.oif.empty()) out += " oif " + r.oif;
  if (r.suppress_prefixlen) out += " suppress_prefixlen " + std::to_string(*r.suppress_prefixlen);
  if (r.protocol) out += " protocol " + std::to_string(*r.protocol);
  switch (r.action) {
    case config::RuleAction::Table:
      out += " lookup " + std::to_string(r.table);
      break;
    case config::RuleAction::Goto:
      out += " goto " + std::to_string(r.goto_target);
      break;
    case config::RuleAction::Nop:
      out += " nop";
      break;
    case config::RuleAction::Blackhole:
      out += " type blackhole";
      break;
    case config::RuleAction::Unreachable:
      out += " type unreachable";
      break;
    case config::RuleAction::Prohibit:
      out += " type prohibit";
      break;
  }
  if (r.protocol != config::kKeepalivedProtocol) out += " no_track";
  return out;
}

}  // namespace keepvip::daemon
