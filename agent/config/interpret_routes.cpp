// virtual_routes / virtual_rules (vrrp_instance) and the top-level
// static_routes / static_rules blocks: one route or rule per line, read by
// route_syntax.cpp and reported at the word at fault.
#include <array>

#include "config/interpret.h"

namespace keepvip::config::detail {
namespace {

struct EntryWords {
  std::vector<std::string> words;
  std::vector<SourceLocation> where;
};

std::optional<EntryWords> entry_words(Reader& r, const Node& entry, const std::string& block) {
  if (entry.has_block) {
    r.diags().error(entry.open_brace, block, "entries of " + block + " take no '{' block");
    return std::nullopt;
  }
  EntryWords out;
  out.words.push_back(entry.keyword.text);
  out.where.push_back(entry.keyword.where);
  for (const Token& arg : entry.args) {
    out.words.push_back(arg.text);
    out.where.push_back(arg.where);
  }
  return out;
}

template <typename T>
void report(Reader& r, const EntryWords& entry, const ParsedEntry<T>& parsed,
            const std::string& block) {
  for (const auto& problem : parsed.problems) {
    const SourceLocation& at = entry.where[std::min(problem.word, entry.where.size() - 1)];
    if (problem.error)
      r.diags().error(at, block, problem.message);
    else
      r.diags().warning(at, block, problem.message);
  }
}

template <typename T, typename Parse>
void read_entries(Reader& r, const Node& n, std::vector<T>& out, Parse parse) {
  r.at_most(n, 0);
  const std::string block = n.keyword.text;
  for (const Node& entry : n.children) {
    if (entry.keyword.kind != TokenKind::Word) continue;
    auto words = entry_words(r, entry, block);
    if (!words) continue;
    auto parsed = parse(words->words);
    report(r, *words, parsed, block);
    if (parsed.value) out.push_back(std::move(*parsed.value));
  }
}

void static_routes(Reader& r, const Node& n, Drafts& d) {
  read_route_block(r, n, d.static_routes);
}
void static_rules(Reader& r, const Node& n, Drafts& d) {
  read_rule_block(r, n, d.static_rules, d.rule_numbers);
}

}  // namespace

void read_route_block(Reader& reader, const Node& node, std::vector<Route>& routes) {
  read_entries(reader, node, routes,
               [](std::span<const std::string> words) { return parse_route(words); });
}

void read_rule_block(Reader& reader, const Node& node, std::vector<Rule>& rules,
                     RulePriorities& unnumbered) {
  read_entries(reader, node, rules,
               [&](std::span<const std::string> words) { return parse_rule(words, unnumbered); });
}

void read_static_routes(Reader& reader, const Node& node, Drafts& drafts) {
  static_routes(reader, node, drafts);
}
void read_static_rules(Reader& reader, const Node& node, Drafts& drafts) {
  static_rules(reader, node, drafts);
}

}  // namespace keepvip::config::detail
