#include "config/interpret.h"

#include <array>

#include "config/interpret_timing.h"

namespace keepvip::config::detail {
namespace {

// global_defs is read in a first pass (see interpret()); the second pass
// only has to recognise it.
void global_defs_already_read(Reader&, const Node&, Drafts&) {}

constexpr auto kTopLevel = std::to_array<KeywordRule<Drafts>>({
    {"global_defs", Shape::Block, &global_defs_already_read},
    {"vrrp_script", Shape::Block, &read_vrrp_script},
    {"vrrp_track_process", Shape::Block, &read_vrrp_track_process},
    {"track_file", Shape::Block, &read_track_file},
    {"vrrp_track_file", Shape::Block, &read_track_file},
    {"vrrp_instance", Shape::Block, &read_vrrp_instance},
    {"interface_up_down_delays", Shape::Block, &read_interface_up_down_delays},
    {"linkbeat_interfaces", Shape::Block, &read_linkbeat_interfaces},
    {"linkbeat_use_polling", Shape::Statement, &read_linkbeat_use_polling},
    {"static_routes", Shape::Block, &read_static_routes},
    {"static_rules", Shape::Block, &read_static_rules},
});

}  // namespace

Drafts interpret(Reader& reader, const std::vector<Node>& top_level) {
  Drafts drafts;
  // global_defs first: instance defaults (vrrp_version, garp timing) come from
  // it wherever it stands in the file.
  for (const Node& node : top_level) {
    if (node.keyword.kind == TokenKind::Word && node.keyword.text == "global_defs" &&
        node.has_block) {
      read_global_defs(reader, node, drafts.global);
    }
  }
  dispatch<Drafts>(reader, top_level, drafts, kTopLevel, "", nullptr);
  return drafts;
}

}  // namespace keepvip::config::detail
