// Reading keyword arguments into values, and dispatching a block's statements
// to keyword handlers. Every problem becomes a diagnostic at the offending
// token; the handlers never see malformed values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "common/time.h"
#include "config/diagnostics.h"
#include "config/syntax_tree.h"

namespace keepvip::config::detail {

class Reader {
 public:
  explicit Reader(DiagnosticSink& diags) : diags_(diags) {}
  DiagnosticSink& diags() { return diags_; }

  // Argument `index` of the statement; reports "expected WHAT" when missing.
  const Token* arg(const Node& node, size_t index, std::string_view what);
  // Warns about (and ignores) arguments beyond the first `count`.
  void at_most(const Node& node, size_t count);

  // Single-argument statements ("priority 100"); nullopt after an error.
  std::optional<int64_t> integer(const Node& node, int64_t min, int64_t max);
  std::optional<Usec> seconds(const Node& node, Usec min, Usec max);
  std::optional<IpAddress> address(const Node& node);
  std::optional<std::string> word(const Node& node, std::string_view what);
  // A command line, as keepalived reads it: the first argument only, a word
  // or a quoted string ("/bin/notify.sh master 192.0.2.1"), left for the
  // runner to split into words. Reports a missing command; what follows the
  // command is the caller's to judge.
  std::optional<std::string> command(const Node& node);
  // A statement without arguments ("nopreempt").
  void flag(const Node& node) { at_most(node, 0); }
  // keepalived's optional switch ("lower_prio_no_advert [true|false]",
  // check_true_false in its parser.c): no argument is true; true, on and yes
  // or false, off and no; anything else an error.
  std::optional<bool> on_off(const Node& node);

 private:
  DiagnosticSink& diags_;
};

enum class Shape { Statement, Block };

template <typename Target>
struct KeywordRule {
  std::string_view name;
  Shape shape;
  void (*handle)(Reader&, const Node&, Target&);
};

// Runs each child of a block through `rules`. A keyword not in the rules is
// offered to `other` (may be null; returns true when it took the keyword),
// then looked up among keepalived's keywords of the block
// (keepalived_keywords.h: warned about, refused or skipped as the table
// says); anything else is an unknown keyword, with the closest known one
// suggested.
template <typename Target>
void dispatch(Reader& reader, std::span<const Node> children, Target& target,
              std::span<const KeywordRule<Target>> rules, std::string_view block_name,
              bool (*other)(Reader&, const Node&));

// Shared by dispatch(): checks block/statement shape; handles keepalived's
// keywords keepvip does not use; reports unknown keywords.
bool shape_ok(Reader& reader, const Node& node, Shape shape);
bool accept_keepalived_keyword(Reader& reader, const Node& node, std::string_view block_name);
void report_unknown(Reader& reader, const Node& node, std::string_view block_name,
                    std::span<const std::string_view> known);

template <typename Target>
void dispatch(Reader& reader, std::span<const Node> children, Target& target,
              std::span<const KeywordRule<Target>> rules, std::string_view block_name,
              bool (*other)(Reader&, const Node&)) {
  for (const Node& node : children) {
    // A '{' without keyword was reported when the tree was built.
    if (node.keyword.kind != TokenKind::Word) continue;
    const KeywordRule<Target>* rule = nullptr;
    for (const auto& r : rules) {
      if (r.name == node.keyword.text) rule = &r;
    }
    if (rule) {
      if (shape_ok(reader, node, rule->shape)) rule->handle(reader, node, target);
      continue;
    }
    if (other && other(reader, node)) continue;
    if (accept_keepalived_keyword(reader, node, block_name)) continue;
    std::vector<std::string_view> names;
    for (const auto& r : rules) names.push_back(r.name);
    report_unknown(reader, node, block_name, names);
  }
}

}  // namespace keepvip::config::detail
