// Groups tokens into statements and blocks, before any keyword has a meaning:
//   keyword arg arg ...            a statement ends at a line break or brace
//   keyword arg ... { child ... }  a block; its '{' may also start the next line
// Brace errors are found here: a missing '}' is reported at the '{' it would
// close, a stray '}' where it stands. A '}' missing inside a block is placed
// where the indentation says the block ends (the first line starting left of
// its body), so the rest of the file reads as written instead of producing a
// cascade of errors; the diagnostic names that line.
#pragma once

#include <vector>

#include "config/diagnostics.h"
#include "config/lexer.h"

namespace keepvip::config::detail {

struct Node {
  Token keyword;
  std::vector<Token> args;
  bool has_block = false;
  SourceLocation open_brace;  // valid when has_block
  std::vector<Node> children;
};

// Blocks nested deeper than this are skipped with an error, so that hostile
// input cannot exhaust the stack.
inline constexpr int kMaxBlockDepth = 16;

// Consumes `tokens`: their text moves into the nodes rather than being copied.
std::vector<Node> build_tree(std::vector<Token> tokens, DiagnosticSink& diags);

}  // namespace keepvip::config::detail
