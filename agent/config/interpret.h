// Gives the statement tree its meaning: global_defs, vrrp_script and
// vrrp_instance become model values; blocks keepvip does not handle are
// skipped with one warning per kind. Values that can only be judged together
// (version vs advert_int, state vs priority) are kept in drafts and settled
// by validate.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/reader.h"
#include "config/syntax_tree.h"

namespace keepvip::config::detail {

// An instance as written, with what was set explicitly and where.
struct InstanceDraft {
  Instance instance;
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
  // virtual_ipaddress as written, even if malformed: a missing block, an
  // empty one and one whose entries were all rejected need different words.
  std::optional<SourceLocation> vip_keyword_at;
  bool vip_has_block = false;
  bool has_vip_entries = false;
  std::optional<uint8_t> version;
  std::optional<Usec> advert_interval;
  std::optional<SourceLocation> advert_at;
  bool auth_type_pass = false;
  std::optional<std::string> auth_pass;
  std::optional<Usec> garp_master_delay;
  std::optional<int> garp_master_repeat;
  std::optional<Usec> garp_master_refresh;
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

struct Drafts {
  Global global;
  std::vector<ScriptDraft> scripts;
  std::vector<InstanceDraft> instances;
};

Drafts interpret(Reader& reader, const std::vector<Node>& top_level);

// One handler per top-level block kind, each in its own file.
void read_global_defs(Reader& reader, const Node& node, Global& global);
void read_vrrp_script(Reader& reader, const Node& node, Drafts& drafts);
void read_vrrp_instance(Reader& reader, const Node& node, Drafts& drafts);

}  // namespace keepvip::config::detail
