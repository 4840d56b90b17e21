#include "config/reader.h"

#include <algorithm>

#include "config/keepalived_keywords.h"
#include "config/keywords.h"
#include "config/values.h"

namespace keepvip::config::detail {

const Token* Reader::arg(const Node& node, size_t index, std::string_view what) {
  if (index < node.args.size()) return &node.args[index];
  diags_.error(node.keyword.where, node.keyword.text, "expected " + std::string(what));
  return nullptr;
}

void Reader::at_most(const Node& node, size_t count) {
  if (node.args.size() <= count) return;
  const Token& extra = node.args[count];
  diags_.warning(extra.where, node.keyword.text,
                 "unexpected extra argument '" + extra.text.substr(0, 64) + "' ignored");
}

std::optional<int64_t> Reader::integer(const Node& node, int64_t min, int64_t max) {
  const Token* token =
      arg(node, 0, "an integer in " + std::to_string(min) + ".." + std::to_string(max));
  if (!token) return std::nullopt;
  at_most(node, 1);
  auto value = parse_integer(token->text, min, max);
  if (!value) {
    diags_.error(token->where, node.keyword.text, value.error());
    return std::nullopt;
  }
  return *value;
}

std::optional<Usec> Reader::seconds(const Node& node, Usec min, Usec max) {
  const Token* token =
      arg(node, 0, "seconds in " + format_seconds(min) + ".." + format_seconds(max));
  if (!token) return std::nullopt;
  at_most(node, 1);
  auto value = parse_seconds(token->text, min, max);
  if (!value) {
    diags_.error(token->where, node.keyword.text, value.error());
    return std::nullopt;
  }
  return *value;
}

std::optional<IpAddress> Reader::address(const Node& node) {
  const Token* token = arg(node, 0, "an IPv4 or IPv6 address");
  if (!token) return std::nullopt;
  at_most(node, 1);
  auto value = parse_address(token->text);
  if (!value) {
    diags_.error(token->where, node.keyword.text, value.error());
    return std::nullopt;
  }
  return *value;
}

std::optional<std::string> Reader::word(const Node& node, std::string_view what) {
  const Token* token = arg(node, 0, what);
  if (!token) return std::nullopt;
  at_most(node, 1);
  return token->text;
}

std::optional<std::string> Reader::command(const Node& node) {
  const Token* token = arg(node, 0, "a command, quoted if it has arguments");
  if (!token) return std::nullopt;
  return token->text;
}

std::optional<bool> Reader::on_off(const Node& node) {
  at_most(node, 1);
  if (node.args.empty()) return true;
  const Token& v = node.args[0];
  if (v.text == "true" || v.text == "on" || v.text == "yes") return true;
  if (v.text == "false" || v.text == "off" || v.text == "no") return false;
  diags_.error(v.where, node.keyword.text,
               "expected true, false, on, off, yes or no, got '" + v.text.substr(0, 64) + "'");
  return std::nullopt;
}

bool shape_ok(Reader& reader, const Node& node, Shape shape) {
  if (shape == Shape::Block && !node.has_block) {
    reader.diags().error(node.keyword.where, node.keyword.text,
                         "expected '{' to open a block after '" + node.keyword.text + "'");
    return false;
  }
  if (shape == Shape::Statement && node.has_block) {
    reader.diags().error(node.open_brace, node.keyword.text,
                         "'" + node.keyword.text + "' takes no '{' block; block ignored");
    return false;
  }
  return true;
}

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

std::string block_key(std::string_view block_name) {
  return block_name.empty() ? std::string("top") : std::string(block_name);
}

}  // namespace

bool accept_keepalived_keyword(Reader& reader, const Node& node, std::string_view block_name) {
  const std::string& name = node.keyword.text;
  const KnownKeyword* known = find_keepalived_keyword(block_name, name);
  if (!known) return false;
  auto& diags = reader.diags();
  switch (known->support) {
    case Support::Used:
      // A rule reads it; only a keyword of the wrong shape gets here.
      return false;
    case Support::Unused:
      diags.warning_once(block_key(block_name) + ":" + name, node.keyword.where, name,
                         "accepted, not used by keepvip (" + std::string(known->note) + ")");
      return true;
    case Support::Refused:
      diags.error(node.keyword.where, name,
                  "not supported by keepvip: " + std::string(known->note));
      return true;
    case Support::Skipped: {
      std::string message =
          "not handled by keepvip (" + std::string(known->note) + "); block skipped";
      std::vector<std::string> nested;
      collect_nested_kinds(node, nested);
      if (!nested.empty()) {
        message += " (with its";
        for (const auto& kind : nested) message += " " + kind;
        message += ")";
      }
      diags.warning_once("block:" + block_key(block_name) + ":" + name, node.keyword.where, name,
                         message);
      return true;
    }
  }
  return false;
}

void report_unknown(Reader& reader, const Node& node, std::string_view block_name,
                    std::span<const std::string_view> rules) {
  std::string message = "unknown keyword";
  if (!block_name.empty()) message += " in " + std::string(block_name);
  // Suggestions come from every keyword keepalived knows here too.
  std::vector<std::string_view> candidates(rules.begin(), rules.end());
  for (auto name : keepalived_keywords_in(block_name)) {
    if (std::find(candidates.begin(), candidates.end(), name) == candidates.end()) {
      candidates.push_back(name);
    }
  }
  std::span<const std::string_view> known = rules;
  std::string suggestion = closest_keyword(node.keyword.text, candidates);
  auto elsewhere = blocks_knowing(node.keyword.text, block_name);
  if (!elsewhere.empty()) {
    message += "; '" + node.keyword.text.substr(0, 64) + "' belongs in ";
    for (size_t i = 0; i < elsewhere.size(); ++i) {
      if (i != 0) message += i + 1 == elsewhere.size() ? " or " : ", ";
      message += elsewhere[i].empty() ? std::string("the top level") : std::string(elsewhere[i]);
    }
  } else if (node.keyword.text.starts_with("//")) {
    // Walkthroughs annotate configs with "//"; keepalived.conf has none.
    message += "; '//' does not start a comment here: use '!' or '#'";
  } else if (!suggestion.empty()) {
    message += "; did you mean '" + suggestion + "'?";
  } else if (!known.empty() && known.size() <= 12) {
    message += "; expected one of:";
    for (auto k : known) message += " " + std::string(k);
  } else if (!known.empty()) {
    message += "; see keepvip.conf(5) for the keywords of this block";
  }
  std::string keyword = node.keyword.text.substr(0, 64);
  reader.diags().error(node.keyword.where, keyword, message);
}

}  // namespace keepvip::config::detail
