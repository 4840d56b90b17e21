#include "config/syntax_tree.h"

#include <utility>

namespace keepvip::config::detail {
namespace {

class TreeBuilder {
 public:
  TreeBuilder(const std::vector<Token>& tokens, DiagnosticSink& diags)
      : tokens_(tokens), diags_(diags) {}

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
          anonymous.keyword = token;
          anonymous.has_block = true;
          anonymous.open_brace = token.where;
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
    node.keyword = tokens_[pos_++];
    while (pos_ < tokens_.size() && tokens_[pos_].kind == TokenKind::Word) {
      node.args.push_back(tokens_[pos_++]);
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

  const std::vector<Token>& tokens_;
  DiagnosticSink& diags_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Node> build_tree(const std::vector<Token>& tokens, DiagnosticSink& diags) {
  return TreeBuilder(tokens, diags).run();
}

}  // namespace keepvip::config::detail
