// The pure half of route_netlink.h: route and rule requests as bytes.
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "net/netlink_message.h"
#include "net/route_netlink.h"

namespace keepvip::net {
namespace {

using detail::MessageWriter;

uint8_t address_family(Family family) {
  return static_cast<uint8_t>(to_af(family));
}

uint8_t kernel_route_type(config::RouteType type) {
  switch (type) {
    case config::RouteType::Unicast:
      return RTN_UNICAST;
    case config::RouteType::Blackhole:
      return RTN_BLACKHOLE;
    case config::RouteType::Unreachable:
      return RTN_UNREACHABLE;
    case config::RouteType::Prohibit:
      return RTN_PROHIBIT;
    case config::RouteType::Throw:
      return RTN_THROW;
  }
  return RTN_UNICAST;
}

uint8_t kernel_rule_action(config::RuleAction action) {
  switch (action) {
    case config::RuleAction::Table:
      return FR_ACT_TO_TBL;
    case config::RuleAction::Goto:
      return FR_ACT_GOTO;
    case config::RuleAction::Nop:
      return FR_ACT_NOP;
    case config::RuleAction::Blackhole:
      return FR_ACT_BLACKHOLE;
    case config::RuleAction::Unreachable:
      return FR_ACT_UNREACHABLE;
    case config::RuleAction::Prohibit:
      return FR_ACT_PROHIBIT;
  }
  return FR_ACT_UNSPEC;
}

// Tables above 255 do not fit the header's byte: they go in an attribute.
uint8_t header_table(uint32_t table) {
  return table < 256 ? static_cast<uint8_t>(table) : static_cast<uint8_t>(RT_TABLE_UNSPEC);
}

}  // namespace

std::vector<uint8_t> build_route_request(RouteOp op, const config::Route& route, int oif,
                                         uint32_t seq) {
  const bool add = op == RouteOp::Add;
  uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
  if (add) flags |= NLM_F_CREATE;
  MessageWriter msg(add ? RTM_NEWROUTE : RTM_DELROUTE, flags, seq);

  rtmsg rtm{};
  rtm.rtm_family = address_family(route.family);
  rtm.rtm_dst_len = route.destination.prefix_len;
  rtm.rtm_src_len = route.from ? route.from->prefix_len : 0;
  rtm.rtm_tos = route.tos.value_or(0);
  rtm.rtm_table = header_table(route.table);
  rtm.rtm_protocol = route.protocol;
  rtm.rtm_scope =
      route.scope.value_or(static_cast<uint8_t>(add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE));
  rtm.rtm_type = (add || route.type_written) ? kernel_route_type(route.type) : RTN_UNSPEC;
  rtm.rtm_flags = route.onlink ? RTNH_F_ONLINK : 0;
  msg.put_struct(rtm);

  if (route.table >= 256) msg.put_attribute_value(RTA_TABLE, route.table);
  if (route.destination.prefix_len > 0)
    msg.put_attribute(RTA_DST, route.destination.address.bytes());
  if (route.from) msg.put_attribute(RTA_SRC, route.from->address.bytes());
  if (route.preferred_source) msg.put_attribute(RTA_PREFSRC, route.preferred_source->bytes());
  if (route.via) msg.put_attribute(RTA_GATEWAY, route.via->bytes());
  if (oif > 0) msg.put_attribute_value(RTA_OIF, static_cast<uint32_t>(oif));
  if (route.metric) msg.put_attribute_value(RTA_PRIORITY, *route.metric);
  return std::move(msg).finish();
}

std::vector<uint8_t> build_rule_request(RouteOp op, const config::Rule& rule, uint32_t seq) {
  const bool add = op == RouteOp::Add;
  uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
  if (add) flags |= NLM_F_CREATE | NLM_F_EXCL;
  MessageWriter msg(add ? RTM_NEWRULE : RTM_DELRULE, flags, seq);

  const bool to_table = rule.action == config::RuleAction::Table;
  fib_rule_hdr frh{};
  frh.family = address_family(rule.family);
  frh.dst_len = rule.to ? rule.to->prefix_len : 0;
  frh.src_len = rule.from ? rule.from->prefix_len : 0;
  frh.tos = rule.tos.value_or(0);
  frh.table = to_table ? header_table(rule.table) : static_cast<uint8_t>(RT_TABLE_UNSPEC);
  frh.action = kernel_rule_action(rule.action);
  frh.flags = rule.invert ? FIB_RULE_INVERT : 0;
  msg.put_struct(frh);

  if (rule.from) msg.put_attribute(FRA_SRC, rule.from->address.bytes());
  if (rule.to) msg.put_attribute(FRA_DST, rule.to->address.bytes());
  msg.put_attribute_value(FRA_PRIORITY, rule.priority);
  if (rule.fwmark) msg.put_attribute_value(FRA_FWMARK, *rule.fwmark);
  if (rule.fwmask) msg.put_attribute_value(FRA_FWMASK, *rule.fwmask);
  if (rule.suppress_prefixlen)
    msg.put_attribute_value(FRA_SUPPRESS_PREFIXLEN, *rule.suppress_prefixlen);
  auto put_name = [&](uint16_t type, const std::string& name) {
    std::vector<uint8_t> bytes(name.begin(), name.end());
    bytes.push_back(0);
    msg.put_attribute(type, bytes);
  };
  if (!rule.iif.empty()) put_name(FRA_IFNAME, rule.iif);
  if (!rule.oif.empty()) put_name(FRA_OIFNAME, rule.oif);
  if (to_table && rule.table >= 256) msg.put_attribute_value(FRA_TABLE, rule.table);
  if (rule.action == config::RuleAction::Goto) msg.put_attribute_value(FRA_GOTO, rule.goto_target);
  if (rule.protocol) msg.put_attribute_value(FRA_PROTOCOL, *rule.protocol);
  return std::move(msg).finish();
}

}  // namespace keepvip::net
