#include "config/interpret.h"

#include <algorithm>
#include <array>

#include "config/keywords.h"

namespace keepvip::config::detail {
namespace {

// Names the block kinds nested in a skipped block, for the warning.
void collect_nested_kinds(const Node& node, std::vector<std::string>& kinds) {
  for (const Node& child : node.children) {
    if (!child.has_block) continue;
    if (std::find(kinds.begin(), kinds.end(), child.keyword.text) == kinds.end()) {
      kinds.push_back(child.keyword.text);
    }
    collect_nested_kinds(child, kinds);
  }
}

bool top_level_other(Reader& reader, const Node& node) {
  const std::string& name = node.keyword.text;
  if (is_unhandled_block(name)) {
    std::string message = "not handled by keepvip; block skipped";
    std::vector<std::string> nested;
    collect_nested_kinds(node, nested);
    if (!nested.empty()) {
      message += " (with its";
      for (const auto& kind : nested) message += " " + kind;
      message += ")";
    }
    reader.diags().warning_once("block:" + name, node.keyword.where, name, message);
    return true;
  }
  if (is_unused_top_level_keyword(name)) {
    reader.diags().warning_once("top:" + name, node.keyword.where, name,
                                "accepted, not used by keepvip");
    return true;
  }
  return false;
}

// global_defs is read in a first pass (see interpret()); the second pass
// only has to recognise it.
void global_defs_already_read(Reader&, const Node&, Drafts&) {}

constexpr auto kTopLevel = std::to_array<KeywordRule<Drafts>>({
    {"global_defs", Shape::Block, &global_defs_already_read},
    {"vrrp_script", Shape::Block, &read_vrrp_script},
    {"vrrp_instance", Shape::Block, &read_vrrp_instance},
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
  dispatch<Drafts>(reader, top_level, drafts, kTopLevel, "", &top_level_other);
  return drafts;
}

}  // namespace keepvip::config::detail
