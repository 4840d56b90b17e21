// Gives the statement tree its meaning: global_defs, vrrp_script and
// vrrp_instance become model values; blocks keepvip does not handle are
// skipped with one warning per kind. Values that can only be judged together
// (version vs advert_int, state vs priority) are kept in drafts and settled
// by validate.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/reader.h"
#include "config/syntax_tree.h"

namespace keepvip::config::detail {

// A value written in the configuration, and where.
template <typename T>
struct Written {
  T value;
  SourceLocation where;
};

// What a diagnostic quotes of a value: enough to find it, never a whole file.
inline std::string clip(const std::string& text) {
  return text.substr(0, 64);
}

// An instance as written, with what was set explicitly and where.
struct InstanceDraft {
  Instance instance;
  // Numbers virtual_rules written without a preference (shared with static_rules).
  RulePriorities* rule_numbers = nullptr;
  std::optional<SourceLocation> state_at;
  std::optional<SourceLocation> interface_at;
  std::optional<SourceLocation> vrid_at;
  std::optional<SourceLocation> priority_at;
  std::optional<SourceLocation> version_at;
  std::optional<SourceLocation> nopreempt_at;
  std::optional<SourceLocation> preempt_delay_at;
  std::optional<SourceLocation> authentication_at;
  std::optional<SourceLocation> unicast_peers_at;
  std::optional<SourceLocation> check_unicast_src_at;
  // The instance's address family, as keepalived settles it: by the first
  // of unicast_src_ip, mcast_src_ip, a unicast peer, a virtual address or
  // native_ipv6, in file order. Addresses of the other family are dropped.
  std::optional<Family> family;
  std::string family_from;  // "virtual_ipaddress 192.0.2.1 at t.conf:5:3", for warnings
  std::optional<SourceLocation> no_virtual_ipaddress_at;
  std::optional<bool> strict;  // strict_mode; unset = global vrrp_strict
  // Unset: global_defs' vrrp_* keyword, overridden by strict mode.
  std::optional<Written<bool>> accept;  // accept / no_accept as written
  std::optional<Written<bool>> lower_prio_no_advert;
  std::optional<Written<bool>> higher_prio_send_advert;
  std::optional<Written<unsigned>> down_timer_adverts;
  std::optional<SourceLocation> timer_expired_backup_at;
  std::optional<bool> notify_priority_changes;  // unset: global_defs vrrp_notify_priority_changes
  // virtual_ipaddress as written, even if malformed: a missing block, an
  // empty one and one whose entries were all rejected need different words.
  std::optional<SourceLocation> vip_keyword_at;
  bool vip_has_block = false;
  bool has_vip_entries = false;
  bool vip_entry_error = false;  // an entry was rejected with an error
  std::optional<uint8_t> version;
  std::optional<Usec> advert_interval;
  std::optional<SourceLocation> advert_at;
  std::optional<AuthType> auth_type;  // as written in auth_type
  std::optional<std::string> auth_pass;
  std::optional<Usec> garp_master_delay;
  std::optional<int> garp_master_repeat;
  std::optional<Usec> garp_master_refresh;
  std::optional<unsigned> garp_master_refresh_repeat;
  std::optional<Written<unsigned>> garp_lower_prio_repeat;  // unset: global_defs, strict mode
  std::optional<Written<Usec>> garp_lower_prio_delay;
  std::optional<IpAddress> reference_ip;
  std::optional<SourceLocation> reference_ip_at;
  std::optional<Usec> reference_interval;
  std::optional<int> reference_fall;
  std::optional<int> reference_rise;
  std::optional<SourceLocation> reference_option_at;  // first reference_interval/fall/rise
};

struct ScriptDraft {
  Script script;
  bool has_command = false;
};

struct ProcessDraft {
  TrackedProcess process;
  bool has_process = false;
  SourceLocation process_at;
};

struct Drafts {
  Global global;
  std::vector<ScriptDraft> scripts;
  std::vector<ProcessDraft> processes;
  std::vector<TrackFile> track_files;
  std::vector<InstanceDraft> instances;
  std::map<std::string, InterfaceDelays> interface_delays;
  std::vector<LinkbeatInterface> linkbeat_interfaces;
  std::vector<Route> static_routes;
  std::vector<Rule> static_rules;
  RulePriorities rule_numbers;
};

Drafts interpret(Reader& reader, const std::vector<Node>& top_level);

// One handler per top-level block kind, each in its own file.
void read_global_defs(Reader& reader, const Node& node, Global& global);
void read_vrrp_script(Reader& reader, const Node& node, Drafts& drafts);
void read_vrrp_track_process(Reader& reader, const Node& node, Drafts& drafts);
// track_file and vrrp_track_file.
void read_track_file(Reader& reader, const Node& node, Drafts& drafts);
void read_vrrp_instance(Reader& reader, const Node& node, Drafts& drafts);
// static_routes / static_rules, and the entries of any route or rule block
// (interpret_routes.cpp).
void read_static_routes(Reader& reader, const Node& node, Drafts& drafts);
void read_static_rules(Reader& reader, const Node& node, Drafts& drafts);
void read_route_block(Reader& reader, const Node& node, std::vector<Route>& routes);
void read_rule_block(Reader& reader, const Node& node, std::vector<Rule>& rules,
                     RulePriorities& unnumbered);

}  // namespace keepvip::config::detail
