// global_defs { ... }
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "config/interpret.h"
#include "config/interpret_timing.h"
#include "config/values.h"

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
// keepalived's NFT_TABLE_MAXNAMELEN (the kernel's limit, with the NUL).
constexpr size_t kMaxNftTableName = 255;
// keepvipd writes the table name into nft scripts, which read it as a word.
bool nft_identifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}
// "nftables [TABLE]": keepalived's own default name is "keepalived"; keepvip's
// is "keepvip" (config.h says why). keepalived ignores a second line and
// resets nftables_priority to -1 here, whatever came before.
void nftables(Reader& r, const Node& n, Global& g) {
  r.at_most(n, 1);
  if (g.nftables_at) {
    r.diags().warning(n.keyword.where, "nftables",
                      "nftables already specified - ignoring, as keepalived does");
    return;
  }
  if (!n.args.empty() && !nft_identifier(n.args[0].text)) {
    r.diags().error(n.args[0].where, "nftables",
                    "expected a table name nft can read: a letter or '_', then letters, digits, "
                    "'_', '-' or '.', got '" +
                        clip(n.args[0].text) + "'");
    return;
  }
  if (!n.args.empty() && n.args[0].text.size() > kMaxNftTableName) {
    r.diags().warning(n.args[0].where, "nftables",
                      "nftables table name too long - ignoring, as keepalived does (at most " +
                          std::to_string(kMaxNftTableName) + " characters)");
    return;
  }
  g.nftables_at = n.keyword.where;
  if (!n.args.empty()) g.nftables.table = n.args[0].text;
  g.nftables.priority = -1;
}
void nftables_priority(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, INT32_MIN, INT32_MAX)) g.nftables.priority = static_cast<int>(*v);
}
void nftables_ifindex(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.nftables.ifindex = true;
}
void nftables_counters(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.nftables.counters = true;
}
void vrrp_skip_check_adv_addr(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.vrrp_skip_check_adv_addr = true;
}
void vrrp_check_unicast_src(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.vrrp_check_unicast_src = true;
}
void vrrp_lower_prio_no_advert(Reader& r, const Node& n, Global& g) {
  if (auto v = r.on_off(n)) g.vrrp_lower_prio_no_advert = *v;
}
void vrrp_higher_prio_send_advert(Reader& r, const Node& n, Global& g) {
  if (auto v = r.on_off(n)) g.vrrp_higher_prio_send_advert = *v;
}
void vrrp_notify_priority_changes(Reader& r, const Node& n, Global& g) {
  if (auto v = r.on_off(n)) g.vrrp_notify_priority_changes = *v;
}
void fifo_write_vrrp_states_on_reload(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.fifo_write_vrrp_states_on_reload = true;
}
void vrrp_down_timer_adverts(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 1, 100)) g.vrrp_down_timer_adverts = static_cast<unsigned>(*v);
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

// keepalived 2.2.8's checks and words; what it skips with an error is an
// error here too (the group decides who hears the instance).
void vrrp_mcast_group4(Reader& r, const Node& n, Global& g) {
  auto v = r.address(n);
  if (!v) return;
  const SourceLocation& at = n.args.front().where;
  if (!v->is_v4()) {
    r.diags().error(at, n.keyword.text,
                    "vrrp_mcast_group4 [" + clip(n.args.front().text) +
                        "] is not IPv4; expected an IPv4 multicast group");
  } else if (!v->is_multicast()) {
    r.diags().error(at, n.keyword.text,
                    "vrrp_mcast_group4 [" + v->to_string() +
                        "] is not multicast; expected an address in 224.0.0.0/4");
  } else {
    g.wire.mcast_group4 = *v;
  }
}
void vrrp_mcast_group6(Reader& r, const Node& n, Global& g) {
  auto v = r.address(n);
  if (!v) return;
  const SourceLocation& at = n.args.front().where;
  if (!v->is_v6()) {
    r.diags().error(at, n.keyword.text,
                    "vrrp_mcast_group6 [" + clip(n.args.front().text) +
                        "] is not IPv6; expected an IPv6 multicast group");
    return;
  }
  if (!v->is_multicast()) {
    r.diags().error(at, n.keyword.text,
                    "vrrp_mcast_group6 [" + v->to_string() +
                        "] is not multicast; expected an address in ff00::/8");
    return;
  }
  if (!is_link_local_multicast(*v)) {
    r.diags().warning(at, n.keyword.text,
                      "vrrp_mcast_group6 [" + v->to_string() + "] should be link-local multicast.");
  }
  g.wire.mcast_group6 = *v;
}
// keepalived 2.2.8: takes no value and sets the default of every instance.
void v3_checksum_as_v2(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.wire.v3_checksum_as_v2 = true;
}

// keepalived 2.2.8: 1 (the array keepalived has always written) or 2.
void json_version(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 1, 2)) g.json_version = static_cast<unsigned>(*v);
}
// keepalived 2.3: "requires a non-empty path".
template <std::string Global::*kField>
void dump_file(Reader& r, const Node& n, Global& g) {
  if (auto v = r.word(n, "a non-empty path"); v && !v->empty()) g.*kField = *v;
}

// The characters that would end or split an SMTP command or header.
bool fits_in_smtp(std::string_view address) {
  return !address.empty() && std::none_of(address.begin(), address.end(), [](char c) {
    return c == '<' || c == '>' || c == ',' || static_cast<unsigned char>(c) <= ' ';
  });
}
bool mail_address(Reader& r, const Token& t, std::string_view keyword) {
  if (fits_in_smtp(t.text)) return true;
  r.diags().error(t.where, std::string(keyword),
                  "expected a mail address without '<', '>' or ',', got '" + clip(t.text) + "'");
  return false;
}

// notification_email { a@example.org b@example.org }: every word of the
// block, one or more per line, as keepalived reads it.
void notification_email(Reader& r, const Node& n, Global& g) {
  r.at_most(n, 0);
  std::vector<std::string> to;
  for (const Node& line : n.children) {
    if (line.has_block) {
      r.diags().error(line.open_brace, n.keyword.text, "expected mail addresses, not a block");
      continue;
    }
    if (mail_address(r, line.keyword, n.keyword.text)) to.push_back(line.keyword.text);
    for (const Token& t : line.args)
      if (mail_address(r, t, n.keyword.text)) to.push_back(t.text);
  }
  if (to.empty())
    r.diags().warning(n.keyword.where, n.keyword.text,
                      "empty notification_email block: no mail is sent");
  g.mail.to = std::move(to);
}
void notification_email_from(Reader& r, const Node& n, Global& g) {
  if (auto* t = r.arg(n, 0, "a mail address"); t && mail_address(r, *t, n.keyword.text))
    g.mail.from = t->text;
  r.at_most(n, 1);
}
// A DNS name as RFC 1123 allows it: labels of letters, digits and '-'.
bool host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    start = end + 1;
  }
  // All digits and dots is a mistyped IPv4 address, not a name.
  return !std::all_of(name.begin(), name.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}
// smtp_server ADDRESS|NAME [PORT]
void smtp_server(Reader& r, const Node& n, Global& g) {
  const Token* host = r.arg(n, 0, "an IPv4 or IPv6 address or a host name, and optional port");
  if (!host) return;
  r.at_most(n, 2);
  uint16_t port = 25;
  if (n.args.size() > 1) {
    auto v = parse_integer(n.args[1].text, 1, 65535);
    if (!v) {
      r.diags().error(n.args[1].where, n.keyword.text, "port: " + v.error());
      return;
    }
    port = static_cast<uint16_t>(*v);
  }
  if (auto address = IpAddress::parse(host->text)) {
    g.mail.server = address->to_string();
  } else if (host_name(host->text)) {
    g.mail.server = host->text;
  } else {
    r.diags().error(
        host->where, n.keyword.text,
        "expected an IPv4 or IPv6 address or a host name, got '" + clip(host->text) + "'");
    return;
  }
  g.mail.port = port;
}
void smtp_helo_name(Reader& r, const Node& n, Global& g) {
  if (auto v = r.word(n, "a name to greet the SMTP server with")) {
    if (fits_in_smtp(*v))
      g.mail.helo_name = *v;
    else
      r.diags().error(n.args.front().where, n.keyword.text,
                      "expected a name without '<', '>' or ','");
  }
}
// keepalived allows 0 for old configurations and uses 1 instead, warning.
void smtp_connect_timeout(Reader& r, const Node& n, Global& g) {
  auto v = r.integer(n, 0, 4294);
  if (!v) return;
  if (*v == 0)
    r.diags().warning(n.args.front().where, n.keyword.text,
                      "smtp_connect_timeout must be greater than 0, setting to 1");
  g.mail.connect_timeout = std::max<int64_t>(*v, 1) * kSecond;
}
template <std::optional<bool> Mail::*kField>
void mail_switch(Reader& r, const Node& n, Global& g) {
  if (auto v = r.on_off(n)) g.mail.*kField = *v;
}
void no_email_faults(Reader& r, const Node& n, Global& g) {
  r.flag(n);
  g.mail.no_email_faults = true;
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
    {"nftables", Shape::Statement, &nftables},
    {"nftables_priority", Shape::Statement, &nftables_priority},
    {"nftables_ifindex", Shape::Statement, &nftables_ifindex},
    {"nftables_counters", Shape::Statement, &nftables_counters},
    {"vrrp_skip_check_adv_addr", Shape::Statement, &vrrp_skip_check_adv_addr},
    {"vrrp_check_unicast_src", Shape::Statement, &vrrp_check_unicast_src},
    {"vrrp_lower_prio_no_advert", Shape::Statement, &vrrp_lower_prio_no_advert},
    {"vrrp_higher_prio_send_advert", Shape::Statement, &vrrp_higher_prio_send_advert},
    {"vrrp_down_timer_adverts", Shape::Statement, &vrrp_down_timer_adverts},
    {"vrrp_notify_priority_changes", Shape::Statement, &vrrp_notify_priority_changes},
    {"fifo_write_vrrp_states_on_reload", Shape::Statement, &fifo_write_vrrp_states_on_reload},
    {"vrrp_garp_interval", Shape::Statement, &vrrp_garp_interval},
    {"vrrp_gna_interval", Shape::Statement, &vrrp_gna_interval},
    {"vrrp_garp_master_delay", Shape::Statement, &vrrp_garp_master_delay},
    {"vrrp_garp_master_repeat", Shape::Statement, &vrrp_garp_master_repeat},
    {"vrrp_garp_master_refresh", Shape::Statement, &vrrp_garp_master_refresh},
    {"vrrp_mcast_group4", Shape::Statement, &vrrp_mcast_group4},
    {"vrrp_mcast_group6", Shape::Statement, &vrrp_mcast_group6},
    {"v3_checksum_as_v2", Shape::Statement, &v3_checksum_as_v2},
    {"vrrp_garp_master_refresh_repeat", Shape::Statement, &vrrp_garp_master_refresh_repeat},
    {"vrrp_garp_lower_prio_repeat", Shape::Statement, &vrrp_garp_lower_prio_repeat},
    {"vrrp_garp_lower_prio_delay", Shape::Statement, &vrrp_garp_lower_prio_delay},
    {"vrrp_min_garp", Shape::Statement, &detail::vrrp_min_garp},
    {"vrrp_startup_delay", Shape::Statement, &detail::vrrp_startup_delay},
    {"vrrp_garp_extra_if", Shape::Statement, &vrrp_garp_extra_if},
    {"vrrp_vmac_garp_intvl", Shape::Statement, &vrrp_garp_extra_if},
    {"json_version", Shape::Statement, &json_version},
    {"state_dump_file", Shape::Statement, &dump_file<&Global::state_dump_file>},
    {"stats_dump_file", Shape::Statement, &dump_file<&Global::stats_dump_file>},
    {"json_dump_file", Shape::Statement, &dump_file<&Global::json_dump_file>},
    {"notification_email", Shape::Block, &notification_email},
    {"notification_email_from", Shape::Statement, &notification_email_from},
    {"smtp_server", Shape::Statement, &smtp_server},
    {"smtp_helo_name", Shape::Statement, &smtp_helo_name},
    {"smtp_connect_timeout", Shape::Statement, &smtp_connect_timeout},
    {"smtp_alert", Shape::Statement, &mail_switch<&Mail::alert>},
    {"smtp_alert_vrrp", Shape::Statement, &mail_switch<&Mail::alert_vrrp>},
    {"no_email_faults", Shape::Statement, &no_email_faults},
});

}  // namespace

void read_global_defs(Reader& reader, const Node& node, Global& global) {
  reader.at_most(node, 0);
  dispatch<Global>(reader, node.children, global, kRules, "global_defs", nullptr);
}

}  // namespace keepvip::config::detail
