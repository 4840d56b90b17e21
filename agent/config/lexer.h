// Splits keepalived.conf text into tokens, the way keepalived 2.2.7 reads it:
//  - '!' and '#' start a comment anywhere outside double quotes ("\#" and
//    "\!" are a literal '#' / '!');
//  - "..." is one word (spaces, braces and comment characters included); a
//    quote also ends an unquoted word, as in keepalived;
//  - '{' and '}' are tokens of their own even when glued to a word, and end a
//    statement like a line break does;
//  - every line break ends a statement (LineEnd).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"

namespace keepvip::config::detail {

enum class TokenKind { Word, OpenBrace, CloseBrace, LineEnd };

struct Token {
  TokenKind kind = TokenKind::Word;
  std::string text;     // the word, without quotes; "{" / "}" for braces
  bool quoted = false;  // the word was written in double quotes
  SourceLocation where;
};

// Appends the tokens of `text` (read from `file`) to `out`. Problems such as an
// unterminated quote are reported to `diags`; the rest of that line is dropped.
void lex(std::string_view text, const std::string& file, std::vector<Token>& out,
         DiagnosticSink& diags);

}  // namespace keepvip::config::detail
