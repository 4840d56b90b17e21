#include "config/syntax_tree.h"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace keepvip::config::detail {
namespace {

class TreeBuilder {
 public:
  TreeBuilder(std::vector<Token>& tokens, DiagnosticSink& diags) : tokens_(tokens), diags_(diags) {}

  std::vector<Node> run() { return statements(nullptr, 0); }

 private:
  // Reads statements until the '}' closing `opener` (or the end for the top level).
  std::vector<Node> statements(const Node* opener, int depth) {
    std::vector<Node> nodes;
    while (pos_ < tokens_.size()) {
      const Token& token = tokens_[pos_];
      switch (token.kind) {
        case TokenKind::LineEnd:
          ++pos_;
          break;
        case TokenKind::CloseBrace:
          ++pos_;
          if (opener) return nodes;
          diags_.error(token.where, "}", "stray '}' with no block open");
          break;
        case TokenKind::OpenBrace: {
          diags_.error(token.where, "{", "'{' without a keyword before it; block ignored");
          Node anonymous;
          anonymous.open_brace = token.where;
          anonymous.keyword = std::move(tokens_[pos_]);
          anonymous.has_block = true;
          ++pos_;
          block(anonymous, depth);
          break;
        }
        case TokenKind::Word:
          nodes.push_back(statement(depth));
          break;
      }
    }
    if (opener) {
      diags_.error(opener->open_brace, opener->keyword.text,
                   "missing '}': the block opened here is not closed before the end of the input");
    }
    return nodes;
  }

  Node statement(int depth) {
    Node node;
    node.keyword = std::move(tokens_[pos_++]);
    while (pos_ < tokens_.size() && tokens_[pos_].kind == TokenKind::Word) {
      node.args.push_back(std::move(tokens_[pos_++]));
    }
    // keepalived accepts the '{' of a block at the start of the next line.
    size_t look = pos_;
    while (look < tokens_.size() && tokens_[look].kind == TokenKind::LineEnd) ++look;
    if (look < tokens_.size() && tokens_[look].kind == TokenKind::OpenBrace) {
      node.has_block = true;
      node.open_brace = tokens_[look].where;
      pos_ = look + 1;
      block(node, depth);
    }
    return node;
  }

  void block(Node& node, int depth) {
    if (depth + 1 >= kMaxBlockDepth) {
      diags_.error(
          node.open_brace, node.keyword.text,
          "blocks nested deeper than " + std::to_string(kMaxBlockDepth) + " levels; block ignored");
      skip_block(node);
      return;
    }
    node.children = statements(&node, depth + 1);
  }

  // Skips to the '}' matching an already consumed '{' without building nodes.
  void skip_block(const Node& node) {
    size_t open = 1;
    while (pos_ < tokens_.size()) {
      TokenKind kind = tokens_[pos_++].kind;
      if (kind == TokenKind::OpenBrace) ++open;
      if (kind == TokenKind::CloseBrace && --open == 0) return;
    }
    diags_.error(node.open_brace, node.keyword.text,
                 "missing '}': the block opened here is not closed before the end of the input");
  }

  std::vector<Token>& tokens_;  // consumed: moved from as nodes are built
  DiagnosticSink& diags_;
  size_t pos_ = 0;
};

// Whether some block is still open at the end (stray '}' at the top level
// are reported by the builder and do not count).
bool unclosed_at_end(const std::vector<Token>& tokens) {
  size_t depth = 0;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::OpenBrace) ++depth;
    if (t.kind == TokenKind::CloseBrace && depth > 0) --depth;
  }
  return depth > 0;
}

// Where an unclosed block most likely ends, read from the indentation: the
// first line inside a block that starts at or left of the block's keyword,
// in a block whose earlier lines were indented deeper (a file written flat
// gives no such hint, and nothing is guessed).
struct UnclosedBlock {
  size_t keyword;     // token index of the block's keyword
  size_t open_brace;  // token index of its '{'
  size_t next_line;   // token index of the line that starts left of its body
};

std::optional<UnclosedBlock> unclosed_by_indentation(const std::vector<Token>& tokens) {
  struct Open {
    size_t keyword, open_brace;
    bool body_indented = false;
  };
  std::vector<Open> open;
  bool line_start = true, statement_start = true;
  size_t keyword = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    switch (t.kind) {
      case TokenKind::LineEnd:
        line_start = statement_start = true;
        continue;
      case TokenKind::OpenBrace:
        open.push_back({keyword, i});
        break;
      case TokenKind::CloseBrace:
        if (!open.empty()) open.pop_back();
        break;
      case TokenKind::Word:
        if (line_start && !open.empty()) {
          Open& top = open.back();
          const Token& kw = tokens[top.keyword];
          if (t.where.file == kw.where.file) {
            if (t.where.column > kw.where.column) {
              top.body_indented = true;
            } else {
              if (!top.body_indented) return std::nullopt;
              return UnclosedBlock{top.keyword, top.open_brace, i};
            }
          }
        }
        if (statement_start) keyword = i;
        break;
    }
    // A '}' keeps a line's start: "} keyword" and a '}' placed by an earlier
    // guess both leave the next word where it was.
    if (t.kind != TokenKind::CloseBrace) line_start = false;
    statement_start = t.kind != TokenKind::Word;
  }
  return std::nullopt;
}

std::string at(const SourceLocation& where) {
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

}  // namespace

std::vector<Node> build_tree(std::vector<Token> tokens, DiagnosticSink& diags) {
  // A '}' forgotten inside a block would otherwise swallow everything after
  // it and surface as a cascade of "unknown keyword" errors far from the
  // mistake. Close the block where the indentation says it ends, report that
  // once, and read on; the configuration stays rejected (it has an error).
  // The '}' is inserted in place: a large file must not be copied for it.
  for (int guesses = 0; guesses < kMaxBlockDepth && unclosed_at_end(tokens); ++guesses) {
    auto unclosed = unclosed_by_indentation(tokens);
    if (!unclosed) break;
    const Token& keyword = tokens[unclosed->keyword];
    const Token& next = tokens[unclosed->next_line];
    diags.error(tokens[unclosed->open_brace].where, keyword.text,
                "missing '}': the block opened here is not closed; '" + next.text.substr(0, 64) +
                    "' at " + at(next.where) + " is indented like '" + keyword.text.substr(0, 64) +
                    "', so the block is taken to end before it");
    Token close;
    close.kind = TokenKind::CloseBrace;
    close.text = "}";
    close.where = next.where;
    tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(unclosed->next_line),
                  std::move(close));
  }
  return TreeBuilder(tokens, diags).run();
}

}  // namespace keepvip::config::detail
