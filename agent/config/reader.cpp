#include "config/reader.h"

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

void report_unknown(Reader& reader, const Node& node, std::string_view block_name,
                    std::span<const std::string_view> known) {
  std::string message = "unknown keyword";
  if (!block_name.empty()) message += " in " + std::string(block_name);
  std::string suggestion = closest_keyword(node.keyword.text, known);
  if (node.keyword.text.starts_with("//")) {
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
