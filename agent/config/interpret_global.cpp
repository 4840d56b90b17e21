// global_defs { ... }
#include <array>

#include "config/interpret.h"

namespace keepvip::config::detail {
namespace {

constexpr Usec kSecond{1'000'000};

void router_id(Reader& r, const Node& n, Global& g) {
  if (auto v = r.word(n, "a router name")) g.router_id = *v;
}
void vrrp_version(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 2, 3)) g.vrrp_version = static_cast<uint8_t>(*v);
}
void script_user(Reader& r, const Node& n, Global& g) {
  if (auto* user = r.arg(n, 0, "a user name and optional group")) {
    g.script_user = user->text;
    g.script_user_at = user->where;
    g.script_group = n.args.size() > 1 ? n.args[1].text : std::string();
  }
  r.at_most(n, 2);
}
void enable_script_security(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.enable_script_security = true;
}
// keepvip extension; the range of keepalived's startup_script_timeout.
void notify_script_timeout(Reader& r, const Node& n, Global& g) {
  if (auto v = r.seconds(n, kSecond, 1000 * kSecond)) g.notify_script_timeout = *v;
}
void vrrp_strict(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.vrrp_strict = true;
}
void vrrp_skip_check_adv_addr(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.vrrp_skip_check_adv_addr = true;
}
void vrrp_check_unicast_src(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.vrrp_check_unicast_src = true;
}
// keepalived rejects 0 here, but its own sample config writes it; 0 means
// "no gap between the packets of a burst", which is what users expect.
void vrrp_garp_interval(Reader& r, const Node& n, Global& g) {
  if (auto v = r.seconds(n, Usec{0}, 10 * kSecond)) g.vrrp_garp_interval = *v;
}
void vrrp_gna_interval(Reader& r, const Node& n, Global& g) {
  if (auto v = r.seconds(n, Usec{0}, 10 * kSecond)) g.vrrp_gna_interval = *v;
}
void vrrp_garp_master_delay(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 0, 1000)) g.vrrp_garp_master_delay = *v * kSecond;
}
void vrrp_garp_master_repeat(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 1, 1000)) g.vrrp_garp_master_repeat = static_cast<int>(*v);
}
void vrrp_garp_master_refresh(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 0, 86400)) g.vrrp_garp_master_refresh = *v * kSecond;
}

// keepvip uses the RFCs' groups; naming them is fine, another one is not.
template <const char* kGroup>
void multicast_group(Reader& r, const Node& n, Global&) {
  auto v = r.address(n);
  if (!v || v->to_string() == kGroup) return;
  r.diags().error(n.args.front().where, n.keyword.text,
                  "not supported by keepvip: it advertises to and listens on 224.0.0.18 and "
                  "ff02::12 only, so another group would not reach its peers");
}
constexpr char kGroup4[] = "224.0.0.18";
constexpr char kGroup6[] = "ff02::12";

// keepalived 2.3: "requires a non-empty path".
template <std::string Global::*kField>
void dump_file(Reader& r, const Node& n, Global& g) {
  if (auto v = r.word(n, "a non-empty path"); v && !v->empty()) g.*kField = *v;
}

template <NotifyFifo Global::*Field>
void notify_fifo(Reader& r, const Node& n, Global& g) {
  const Token* path = r.arg(n, 0, "the path of the FIFO");
  if (!path) return;
  NotifyFifo& fifo = g.*Field;
  if (!fifo.path.empty()) {
    r.diags().warning(path->where, n.keyword.text,
                      n.keyword.text + " already specified - ignoring " + path->text.substr(0, 64) +
                          " (as keepalived does)");
    return;
  }
  fifo.path = path->text;
  fifo.where = path->where;
  if (n.args.size() > 1) fifo.user = n.args[1].text;
  if (n.args.size() > 2) fifo.group = n.args[2].text;
  r.at_most(n, 3);
}

// "notify_fifo_script COMMAND [USER [GROUP]]", as a notify line.
template <NotifyFifo Global::*Field>
void notify_fifo_script(Reader& r, const Node& n, Global& g) {
  NotifyScript& script = (g.*Field).script;
  if (!script.empty()) {
    r.diags().warning(n.keyword.where, n.keyword.text,
                      n.keyword.text + " already specified - ignoring (as keepalived does)");
    return;
  }
  if (auto v = r.command(n)) {
    script.command = *v;
    script.where = n.args.front().where;
  }
  if (n.args.size() > 1) {
    script.run_as.user = n.args[1].text;
    script.user_at = n.args[1].where;
    if (n.args.size() > 2) script.run_as.group = n.args[2].text;
  }
  r.at_most(n, 3);
}

constexpr auto kRules = std::to_array<KeywordRule<Global>>({
    {"notify_fifo_script", Shape::Statement, &notify_fifo_script<&Global::notify_fifo>},
    {"vrrp_notify_fifo_script", Shape::Statement, &notify_fifo_script<&Global::vrrp_notify_fifo>},
    {"notify_fifo", Shape::Statement, &notify_fifo<&Global::notify_fifo>},
    {"vrrp_notify_fifo", Shape::Statement, &notify_fifo<&Global::vrrp_notify_fifo>},
    {"router_id", Shape::Statement, &router_id},
    {"vrrp_version", Shape::Statement, &vrrp_version},
    {"script_user", Shape::Statement, &script_user},
    {"enable_script_security", Shape::Statement, &enable_script_security},
    {"notify_script_timeout", Shape::Statement, &notify_script_timeout},
    {"vrrp_strict", Shape::Statement, &vrrp_strict},
    {"vrrp_skip_check_adv_addr", Shape::Statement, &vrrp_skip_check_adv_addr},
    {"vrrp_check_unicast_src", Shape::Statement, &vrrp_check_unicast_src},
    {"vrrp_garp_interval", Shape::Statement, &vrrp_garp_interval},
    {"vrrp_gna_interval", Shape::Statement, &vrrp_gna_interval},
    {"vrrp_garp_master_delay", Shape::Statement, &vrrp_garp_master_delay},
    {"vrrp_garp_master_repeat", Shape::Statement, &vrrp_garp_master_repeat},
    {"vrrp_garp_master_refresh", Shape::Statement, &vrrp_garp_master_refresh},
    {"vrrp_mcast_group4", Shape::Statement, &multicast_group<kGroup4>},
    {"vrrp_mcast_group6", Shape::Statement, &multicast_group<kGroup6>},
    {"state_dump_file", Shape::Statement, &dump_file<&Global::state_dump_file>},
    {"stats_dump_file", Shape::Statement, &dump_file<&Global::stats_dump_file>},
    {"json_dump_file", Shape::Statement, &dump_file<&Global::json_dump_file>},
});

}  // namespace

void read_global_defs(Reader& reader, const Node& node, Global& global) {
  reader.at_most(node, 0);
  dispatch<Global>(reader, node.children, global, kRules, "global_defs", nullptr);
}

}  // namespace keepvip::config::detail
