// vrrp_instance NAME { ... } and its sub-blocks.
#include <array>

#include "config/interpret.h"
#include "config/interpret_timing.h"
#include "config/interpret_wire.h"
#include "config/keywords.h"
#include "config/values.h"

namespace keepvip::config::detail {
namespace {

constexpr Usec kSecond{1'000'000};
constexpr size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1

// Entries of list blocks (virtual_ipaddress, track_script...) are statements
// too; none of them may open a block of its own.
bool plain_entry(Reader& r, const Node& entry, std::string_view block) {
  if (!entry.has_block) return true;
  r.diags().error(entry.open_brace, std::string(block),
                  "entries of " + std::string(block) + " take no '{' block");
  return false;
}

// The kernel's rule for link names (dev_valid_name).
bool valid_interface_name(Reader& r, const std::string& name, const SourceLocation& where,
                          const std::string& keyword) {
  bool valid = !name.empty() && name.size() <= kMaxInterfaceName && name != "." && name != ".." &&
               name.find_first_of("/: \t") == std::string::npos;
  if (!valid) {
    r.diags().error(where, keyword,
                    "expected an interface name of 1..15 characters without '/', ':' or "
                    "spaces, got '" +
                        clip(name) + "'");
  }
  return valid;
}

// --- simple statements -------------------------------------------------------

// keepalived reads MASTER and BACKUP exactly; anything else, "master"
// included, starts the instance as BACKUP. So does keepvip, and says so.
void state(Reader& r, const Node& n, InstanceDraft& d) {
  const Token* v = r.arg(n, 0, "MASTER or BACKUP");
  if (!v) return;
  r.at_most(n, 1);
  bool master_before = d.state_at && d.instance.state == InitialState::Master;
  if (v->text == "MASTER") {
    d.instance.state = InitialState::Master;
  } else if (v->text == "BACKUP" && master_before) {
    r.diags().warning(v->where, "state",
                      "state MASTER was set before; BACKUP ignored, as keepalived does");
  } else if (v->text == "BACKUP") {
    d.instance.state = InitialState::Backup;
  } else {
    std::string hint = v->text == "master" || v->text == "Master"
                           ? " (keepalived reads MASTER only in capitals: this node starts as "
                             "BACKUP on keepalived too)"
                           : "";
    r.diags().warning(v->where, "state",
                      "unknown state '" + clip(v->text) +
                          "', defaulting to BACKUP, as keepalived does; expected MASTER or "
                          "BACKUP" +
                          hint);
    d.instance.state = InitialState::Backup;
  }
  d.state_at = n.keyword.where;
}

// keepalived settles an instance's family with the first address that has
// one, in file order, and skips addresses of the other family.
bool same_family(Reader& r, InstanceDraft& d, const IpAddress& address, const SourceLocation& at,
                 const std::string& keyword) {
  if (!d.family) {
    d.family = address.family();
    d.family_from = keyword + " " + address.to_string() + " at " + at.to_string();
    return true;
  }
  if (*d.family == address.family()) return true;
  r.diags().warning(at, keyword,
                    std::string(to_string(address.family())) + " address " + address.to_string() +
                        " in an " + std::string(to_string(*d.family)) + " instance (" +
                        d.family_from + "); ignored, as keepalived does");
  return false;
}
void native_ipv6(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  if (d.family == Family::V4) {
    r.diags().warning(n.keyword.where, "native_ipv6",
                      "the instance is IPv4 (" + d.family_from + "); ignored, as keepalived does");
    return;
  }
  if (!d.family) d.family_from = "native_ipv6 at " + n.keyword.where.to_string();
  d.family = Family::V6;
}
void no_virtual_ipaddress(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.no_virtual_ipaddress_at = n.keyword.where;
}
// "strict_mode [on|off|true|false|yes|no]"
void strict_mode(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.on_off(n)) d.strict = *v;
}
// accept / no_accept; unset follows strict mode and the priority (validate.cpp).
void accept(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.accept = {true, n.keyword.where};
}
void no_accept(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.accept = {false, n.keyword.where};
}
// Answering adverts (vrrp_state_master_rx in keepalived's vrrp.c); unset
// follows global_defs and strict mode (validate.cpp).
void lower_prio_no_advert(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.on_off(n)) d.lower_prio_no_advert = {*v, n.keyword.where};
}
void higher_prio_send_advert(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.on_off(n)) d.higher_prio_send_advert = {*v, n.keyword.where};
}
void down_timer_adverts(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 1, 100))
    d.down_timer_adverts = {static_cast<unsigned>(*v), n.keyword.where};
}
// "timer_expired_backup [PRIORITY]": the highest priority of the other
// routers; 254 when not given (the quickest a backup could take over).
void timer_expired_backup(Reader& r, const Node& n, InstanceDraft& d) {
  r.at_most(n, 1);
  uint8_t priority = 254;
  if (!n.args.empty()) {
    auto v = r.integer(n, 1, 254);
    if (!v) return;
    priority = static_cast<uint8_t>(*v);
  }
  d.instance.highest_other_priority = priority;
  d.timer_expired_backup_at = n.keyword.where;
}
// keepalived 2.3.2 names it after its release notes, then ignores it.
void thread_timer_expired(Reader& r, const Node& n, InstanceDraft&) {
  r.diags().warning(n.keyword.where, "thread_timer_expired",
                    "thread_timer_expired - please replace with keyword 'timer_expired_backup'; "
                    "ignored, as keepalived does");
}
// "smtp_alert [on|off|...]": this instance's mail, whatever global_defs says.
void smtp_alert(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.on_off(n)) d.instance.smtp_alert = *v;
}
// keepalived 2.2.8: the family must be the instance's, and the group
// multicast (IPv6: link-local multicast, ff02::/16).
void mcast_dst_ip(Reader& r, const Node& n, InstanceDraft& d) {
  auto v = r.address(n);
  if (!v) return;
  const SourceLocation& at = n.args.front().where;
  if (!same_family(r, d, *v, at, "mcast_dst_ip")) return;
  if (v->is_v4() ? !v->is_multicast() : !is_link_local_multicast(*v)) {
    r.diags().error(at, "mcast_dst_ip",
                    "mcast_dst_ip " + v->to_string() +
                        (v->is_v4() ? " not multicast; expected an address in 224.0.0.0/4"
                                    : " not link-local multicast; expected an address in "
                                      "ff02::/16"));
    return;
  }
  d.instance.wire.mcast_dst_ip = *v;
}
void interface(Reader& r, const Node& n, InstanceDraft& d) {
  const Token* v = r.arg(n, 0, "an interface name");
  if (!v) return;
  r.at_most(n, 1);
  d.interface_at = v->where;  // present, even if invalid: no "has no interface" too
  if (!valid_interface_name(r, v->text, v->where, "interface")) return;
  d.instance.interface = v->text;
}
void virtual_router_id(Reader& r, const Node& n, InstanceDraft& d) {
  d.vrid_at = n.keyword.where;  // present, even if invalid: no "has no VRID" too
  if (auto v = r.integer(n, 1, 255)) d.instance.vrid = static_cast<uint8_t>(*v);
}
void priority(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 1, 255)) {
    d.instance.priority = static_cast<uint8_t>(*v);
    d.priority_at = n.keyword.where;
  }
}
void advert_int(Reader& r, const Node& n, InstanceDraft& d) {
  // The range depends on the version, known only at the end (validate.cpp).
  if (auto v = r.seconds(n, Usec{0}, 4096 * kSecond)) {
    d.advert_interval = *v;
    d.advert_at = n.args.front().where;
  }
}
void version(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 2, 3)) {
    d.version = static_cast<uint8_t>(*v);
    d.version_at = n.keyword.where;
  }
}
void nopreempt(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.instance.preempt = false;
  d.nopreempt_at = n.keyword.where;
}
void preempt(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.instance.preempt = true;
  d.nopreempt_at.reset();
}
void preempt_delay(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.seconds(n, Usec{0}, 1000 * kSecond)) {
    d.instance.preempt_delay = *v;
    d.preempt_delay_at = n.keyword.where;
  }
}
void unicast_src_ip(Reader& r, const Node& n, InstanceDraft& d) {
  auto v = r.address(n);
  if (v && same_family(r, d, *v, n.args.front().where, n.keyword.text)) {
    d.instance.unicast_src_ip = *v;
  }
}
void garp_master_delay(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 0, 1000)) d.garp_master_delay = *v * kSecond;
}
void garp_master_repeat(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 1, 1000)) d.garp_master_repeat = static_cast<int>(*v);
}
void garp_master_refresh(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 0, 86400)) d.garp_master_refresh = *v * kSecond;
}

// notify_master "COMMAND ARGS" [USER [GROUP]], as in keepalived: the words
// after the (quoted) command name who the script runs as.
template <NotifyScript Instance::*Field>
void notify_command(Reader& r, const Node& n, InstanceDraft& d) {
  NotifyScript& script = d.instance.*Field;
  if (auto v = r.command(n)) {
    script.command = *v;
    script.where = n.args.front().where;
  }
  if (n.args.size() > 1) {
    const Token& user = n.args[1];
    script.run_as.user = user.text;
    script.user_at = user.where;
    if (n.args.size() > 2) script.run_as.group = n.args[2].text;
    // "notify_master /x.sh master" (unquoted) runs /x.sh as user "master".
    for (const char* state : {"master", "backup", "fault", "stop"}) {
      if (user.text != state) continue;
      r.diags().warning(user.where, n.keyword.text,
                        "'" + clip(user.text) +
                            "' is read as the user to run the script as, as keepalived does; "
                            "quote the whole command line if it was meant as an argument");
    }
  }
  r.at_most(n, 3);
}

// "notify_deleted [COMMAND [USER [GROUP]]]": DELETED rather than FAULT when a
// reload removes the instance, and the script to run then, if one is given.
void notify_deleted(Reader& r, const Node& n, InstanceDraft& d) {
  d.instance.notify_deleted = true;
  if (!n.args.empty()) notify_command<&Instance::notify_deleted_script>(r, n, d);
}

void notify_priority_changes(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.on_off(n)) d.notify_priority_changes = *v;
}

// --- keepvip extensions ------------------------------------------------------

void reference_ip(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.address(n)) {
    d.reference_ip = *v;
    d.reference_ip_at = n.args.front().where;
  }
}
void note_reference_option(const Node& n, InstanceDraft& d) {
  if (!d.reference_option_at) d.reference_option_at = n.keyword.where;
}
void reference_interval(Reader& r, const Node& n, InstanceDraft& d) {
  note_reference_option(n, d);
  if (auto v = r.seconds(n, Usec{100'000}, 3600 * kSecond)) d.reference_interval = *v;
}
void reference_fall(Reader& r, const Node& n, InstanceDraft& d) {
  note_reference_option(n, d);
  if (auto v = r.integer(n, 1, 100)) d.reference_fall = static_cast<int>(*v);
}
void reference_rise(Reader& r, const Node& n, InstanceDraft& d) {
  note_reference_option(n, d);
  if (auto v = r.integer(n, 1, 100)) d.reference_rise = static_cast<int>(*v);
}
void split_brain_quiet(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.seconds(n, Usec{0}, 86400 * kSecond)) d.instance.split_brain_quiet = *v;
}

// --- authentication { auth_type PASS|AH  auth_pass SECRET } ------------------

void auth_type(Reader& r, const Node& n, InstanceDraft& d) {
  const Token* v = r.arg(n, 0, "PASS or AH");
  if (!v) return;
  r.at_most(n, 1);
  if (v->text == "PASS") {
    d.auth_type = AuthType::Pass;
  } else if (v->text == "AH") {
    d.auth_type = AuthType::Ah;
  } else {
    r.diags().error(v->where, "auth_type", "expected PASS or AH, got '" + clip(v->text) + "'");
  }
}
void auth_pass(Reader& r, const Node& n, InstanceDraft& d) {
  const Token* v = r.arg(n, 0, "a password");
  if (!v) return;
  r.at_most(n, 1);
  if (v->text.size() > 8) {
    r.diags().warning(v->where, "auth_pass",
                      "only the first 8 characters are sent and checked (as keepalived does)");
  }
  d.auth_pass = v->text;
}

constexpr auto kAuthRules = std::to_array<KeywordRule<InstanceDraft>>({
    {"auth_type", Shape::Statement, &auth_type},
    {"auth_pass", Shape::Statement, &auth_pass},
});

void authentication(Reader& r, const Node& n, InstanceDraft& d) {
  r.at_most(n, 0);
  d.authentication_at = n.keyword.where;
  dispatch<InstanceDraft>(r, n.children, d, kAuthRules, "authentication", nullptr);
}

// --- address lists -----------------------------------------------------------

// "ADDR[/LEN] [dev IF] [label L] [brd X] [scope S] [no_track] ..."
std::optional<VirtualAddress> virtual_address(Reader& r, const Node& entry,
                                              const std::string& block) {
  if (!plain_entry(r, entry, block)) return std::nullopt;
  auto prefix = parse_prefix(entry.keyword.text);
  if (!prefix) {
    r.diags().error(entry.keyword.where, block, prefix.error());
    return std::nullopt;
  }
  VirtualAddress vip{*prefix, {}, {}, entry.keyword.where};
  for (size_t i = 0; i < entry.args.size(); ++i) {
    const Token& option = entry.args[i];
    bool takes_value = false;
    bool is_dev = option.text == "dev";
    bool is_label = option.text == "label";
    bool unused = !is_dev && !is_label && is_unused_vip_option(option.text, takes_value);
    if (!is_dev && !is_label && !unused) {
      r.diags().error(option.where, block,
                      "unknown address option '" + clip(option.text) +
                          "'; expected dev IF, label LABEL, brd, scope, no_track...");
      return std::nullopt;
    }
    if (unused) {
      r.diags().warning_once("vip:" + option.text, option.where, block,
                             "address option '" + option.text + "' accepted, not used by keepvip");
    }
    if (!is_dev && !is_label && !takes_value) continue;
    if (i + 1 >= entry.args.size()) {
      r.diags().error(option.where, block, "expected a value after '" + option.text + "'");
      return std::nullopt;
    }
    const Token& value = entry.args[++i];
    if (is_dev) {
      if (!valid_interface_name(r, value.text, value.where, block)) return std::nullopt;
      vip.dev = value.text;
    } else if (is_label) {
      vip.label = value.text;
    }
  }
  return vip;
}

void virtual_ipaddress(Reader& r, const Node& n, InstanceDraft& d) {
  r.at_most(n, 0);
  for (const Node& entry : n.children) {
    if (entry.keyword.kind != TokenKind::Word) continue;
    d.has_vip_entries = true;
    auto vip = virtual_address(r, entry, n.keyword.text);
    if (!vip) d.vip_entry_error = true;
    if (vip && same_family(r, d, vip->prefix.address, vip->where, n.keyword.text)) {
      d.instance.virtual_addresses.push_back(std::move(*vip));
    }
  }
}
void virtual_ipaddress_excluded(Reader& r, const Node& n, InstanceDraft& d) {
  r.at_most(n, 0);
  for (const Node& entry : n.children) {
    if (entry.keyword.kind != TokenKind::Word) continue;
    if (auto vip = virtual_address(r, entry, n.keyword.text)) {
      d.instance.excluded_addresses.push_back(std::move(*vip));
    }
  }
}

void virtual_routes(Reader& r, const Node& n, InstanceDraft& d) {
  read_route_block(r, n, d.instance.virtual_routes);
}
void virtual_rules(Reader& r, const Node& n, InstanceDraft& d) {
  read_rule_block(r, n, d.instance.virtual_rules, *d.rule_numbers);
}

void check_unicast_src(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.instance.check_unicast_src = true;
  d.check_unicast_src_at = n.keyword.where;
}

// keepalived 2.2.8 sets the flag whatever valid value follows (its handler
// tests only that the value parses), so "false" turns the check off too.
// keepvip does the same, so both agents of a pair accept the same adverts,
// and says so.
void skip_check_adv_addr(Reader& r, const Node& n, InstanceDraft& d) {
  auto v = r.on_off(n);
  if (!v) return;
  if (!*v) {
    r.diags().warning(n.args[0].where, "skip_check_adv_addr",
                      "keepalived skips the address check for any value, '" + n.args[0].text +
                          "' too; so does keepvip (remove the line to keep the check)");
  }
  d.instance.skip_check_adv_addr = true;
}
// The instance's own interface going down no longer faults it; tracked
// interfaces still do.
void dont_track_primary(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.instance.dont_track_primary = true;
}

void unicast_peer(Reader& r, const Node& n, InstanceDraft& d) {
  d.unicast_peers_at = n.keyword.where;
  r.at_most(n, 0);
  for (const Node& entry : n.children) {
    if (entry.keyword.kind != TokenKind::Word || !plain_entry(r, entry, "unicast_peer")) continue;
    auto address = parse_address(entry.keyword.text);
    if (!address) {
      r.diags().error(entry.keyword.where, "unicast_peer", address.error());
      continue;
    }
    auto ttl_range = peer_ttl_range(r, entry, *address);
    if (same_family(r, d, *address, entry.keyword.where, "unicast_peer")) {
      d.instance.unicast_peers.push_back(*address);
      // keepalived: min_ttl / max_ttl turn the unicast source check on.
      if (ttl_range) {
        d.instance.wire.peer_ttls.push_back(*ttl_range);
        d.instance.check_unicast_src = true;
      }
    }
  }
}

// "NAME [weight N [reverse|noreverse]]" entries of track_interface/track_script/track_unit.
void track_list(Reader& r, const Node& n, std::vector<Track>& out, int max_weight) {
  r.at_most(n, 0);
  const std::string& block = n.keyword.text;
  for (const Node& entry : n.children) {
    if (entry.keyword.kind != TokenKind::Word || !plain_entry(r, entry, block)) continue;
    Track track{entry.keyword.text, std::nullopt, std::nullopt, entry.keyword.where};
    const auto& args = entry.args;
    if (!args.empty()) {
      if (args[0].text != "weight") {
        r.diags().error(args[0].where, block,
                        "expected 'weight N' after '" + clip(track.name) + "', got '" +
                            clip(args[0].text) + "'");
        continue;
      }
      if (args.size() < 2) {
        r.diags().error(args[0].where, block,
                        "expected a weight in " + std::to_string(-max_weight) + ".." +
                            std::to_string(max_weight) + " after 'weight'");
        continue;
      }
      auto weight = parse_integer(args[1].text, -max_weight, max_weight);
      if (!weight) {
        r.diags().error(args[1].where, block, weight.error());
        continue;
      }
      track.weight = static_cast<int>(*weight);
      if (args.size() > 2) {
        if (args[2].text != "reverse" && args[2].text != "noreverse") {
          r.diags().error(args[2].where, block,
                          "expected 'reverse', 'noreverse' or nothing after the weight, got '" +
                              clip(args[2].text) + "'");
          continue;
        }
        track.reverse = args[2].text == "reverse";
      }
      if (args.size() > 3) {
        r.diags().warning(args[3].where, block,
                          "unexpected extra argument '" + clip(args[3].text) + "' ignored");
      }
    }
    out.push_back(std::move(track));
  }
}

void track_interface(Reader& r, const Node& n, InstanceDraft& d) {
  size_t first_new = d.instance.track_interfaces.size();
  track_list(r, n, d.instance.track_interfaces, 254);
  for (size_t i = first_new; i < d.instance.track_interfaces.size(); ++i) {
    const Track& track = d.instance.track_interfaces[i];
    valid_interface_name(r, track.name, track.where, "track_interface");
  }
}
void track_script(Reader& r, const Node& n, InstanceDraft& d) {
  track_list(r, n, d.instance.track_scripts, 253);
}
void track_process(Reader& r, const Node& n, InstanceDraft& d) {
  track_list(r, n, d.instance.track_processes, 254);
}
void track_file(Reader& r, const Node& n, InstanceDraft& d) {
  track_list(r, n, d.instance.track_files, 254);
}
void track_unit(Reader& r, const Node& n, InstanceDraft& d) {
  track_list(r, n, d.instance.track_units, 254);
}
void master_units(Reader& r, const Node& n, InstanceDraft& d) {
  r.at_most(n, 0);
  for (const Node& entry : n.children) {
    if (entry.keyword.kind != TokenKind::Word || !plain_entry(r, entry, "master_units")) continue;
    d.instance.master_units.push_back(entry.keyword.text);
    for (const auto& more : entry.args) d.instance.master_units.push_back(more.text);
  }
}

constexpr auto kRules = std::to_array<KeywordRule<InstanceDraft>>({
    {"state", Shape::Statement, &state},
    {"interface", Shape::Statement, &interface},
    {"virtual_router_id", Shape::Statement, &virtual_router_id},
    {"priority", Shape::Statement, &priority},
    {"advert_int", Shape::Statement, &advert_int},
    {"version", Shape::Statement, &version},
    {"nopreempt", Shape::Statement, &nopreempt},
    {"preempt", Shape::Statement, &preempt},
    {"preempt_delay", Shape::Statement, &preempt_delay},
    {"authentication", Shape::Block, &authentication},
    {"virtual_ipaddress", Shape::Block, &virtual_ipaddress},
    {"virtual_ipaddress_excluded", Shape::Block, &virtual_ipaddress_excluded},
    {"virtual_routes", Shape::Block, &virtual_routes},
    {"virtual_rules", Shape::Block, &virtual_rules},
    {"unicast_src_ip", Shape::Statement, &unicast_src_ip},
    {"no_virtual_ipaddress", Shape::Statement, &no_virtual_ipaddress},
    {"native_ipv6", Shape::Statement, &native_ipv6},
    {"strict_mode", Shape::Statement, &strict_mode},
    {"accept", Shape::Statement, &accept},
    {"no_accept", Shape::Statement, &no_accept},
    {"lower_prio_no_advert", Shape::Statement, &lower_prio_no_advert},
    {"higher_prio_send_advert", Shape::Statement, &higher_prio_send_advert},
    {"down_timer_adverts", Shape::Statement, &down_timer_adverts},
    {"timer_expired_backup", Shape::Statement, &timer_expired_backup},
    {"thread_timer_expired", Shape::Statement, &thread_timer_expired},
    {"mcast_dst_ip", Shape::Statement, &mcast_dst_ip},
    {"v3_checksum_as_v2", Shape::Statement, &v3_checksum_as_v2},
    {"unicast_ttl", Shape::Statement, &unicast_ttl},
    {"unicast_fault_no_peer", Shape::Statement, &unicast_fault_no_peer},
    // keepalived reads both into one source address (vrrp_srcip_handler).
    {"mcast_src_ip", Shape::Statement, &unicast_src_ip},
    {"unicast_peer", Shape::Block, &unicast_peer},
    {"check_unicast_src", Shape::Statement, &check_unicast_src},
    {"skip_check_adv_addr", Shape::Statement, &skip_check_adv_addr},
    {"dont_track_primary", Shape::Statement, &dont_track_primary},
    {"track_interface", Shape::Block, &track_interface},
    {"track_script", Shape::Block, &track_script},
    {"track_file", Shape::Block, &track_file},
    {"notify_master", Shape::Statement, &notify_command<&Instance::notify_master>},
    {"notify_backup", Shape::Statement, &notify_command<&Instance::notify_backup>},
    {"notify_fault", Shape::Statement, &notify_command<&Instance::notify_fault>},
    {"notify_stop", Shape::Statement, &notify_command<&Instance::notify_stop>},
    {"notify", Shape::Statement, &notify_command<&Instance::notify>},
    {"notify_deleted", Shape::Statement, &notify_deleted},
    {"notify_master_rx_lower_pri", Shape::Statement,
     &notify_command<&Instance::notify_master_rx_lower_pri>},
    {"notify_priority_changes", Shape::Statement, &notify_priority_changes},
    {"smtp_alert", Shape::Statement, &smtp_alert},
    {"garp_master_delay", Shape::Statement, &garp_master_delay},
    {"garp_master_repeat", Shape::Statement, &garp_master_repeat},
    {"garp_master_refresh", Shape::Statement, &garp_master_refresh},
    {"garp_master_refresh_repeat", Shape::Statement, &detail::garp_master_refresh_repeat},
    {"garp_lower_prio_repeat", Shape::Statement, &detail::garp_lower_prio_repeat},
    {"garp_lower_prio_delay", Shape::Statement, &detail::garp_lower_prio_delay},
    {"garp_extra_if", Shape::Statement, &detail::garp_extra_if},
    {"vmac_garp_intvl", Shape::Statement, &detail::garp_extra_if},
    {"linkbeat_use_polling", Shape::Statement, &instance_linkbeat_use_polling},
    {"track_unit", Shape::Block, &track_unit},
    {"track_process", Shape::Block, &track_process},
    {"master_units", Shape::Block, &master_units},
    {"reference_ip", Shape::Statement, &reference_ip},
    {"reference_interval", Shape::Statement, &reference_interval},
    {"reference_fall", Shape::Statement, &reference_fall},
    {"reference_rise", Shape::Statement, &reference_rise},
    {"split_brain_quiet", Shape::Statement, &split_brain_quiet},
});

}  // namespace

void read_vrrp_instance(Reader& reader, const Node& node, Drafts& drafts) {
  const Token* name = reader.arg(node, 0, "an instance name: vrrp_instance NAME { ... }");
  if (!name) return;
  reader.at_most(node, 1);
  InstanceDraft draft;
  draft.instance.name = name->text;
  draft.instance.where = name->where;
  draft.rule_numbers = &drafts.rule_numbers;
  for (const Node& child : node.children) {
    if (child.keyword.text == "virtual_ipaddress" && !draft.vip_keyword_at) {
      draft.vip_keyword_at = child.keyword.where;
      draft.vip_has_block = child.has_block;
    }
  }
  dispatch<InstanceDraft>(reader, node.children, draft, kRules, "vrrp_instance", nullptr);
  drafts.instances.push_back(std::move(draft));
}

}  // namespace keepvip::config::detail
