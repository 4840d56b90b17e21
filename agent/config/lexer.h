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
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/mapped_text.h"

namespace keepvip::config::detail {

enum class TokenKind : uint8_t { Word, OpenBrace, CloseBrace, LineEnd };

// Laid out small: a configuration may have up to SourceLimits::max_tokens.
struct Token {
  std::string text;  // the word, without quotes; "{" / "}" for braces
  SourceLocation where;
  TokenKind kind = TokenKind::Word;
  bool quoted = false;  // the word was written in double quotes
};

// Appends `token` to `out`; a LineEnd right after another (blank and comment
// lines) is dropped: it means nothing more, and a file of empty lines must
// not cost a token each.
void push_token(std::vector<Token>& out, Token token);

// One line to split into tokens: as read from a file (`map` null: byte i is
// in column i + 1 of line `line` of `file`), or as the preprocessor rewrote
// it (`map` says where each byte came from; `text` is map->text()).
struct LineRef {
  std::string_view text;
  const MappedText* map = nullptr;
  const FileName* file = nullptr;
  int line = 0;
};

// Appends the tokens of one line (without its '\n'); `line_no` is 1-based.
// Stops, returning false, once `out` holds `max_tokens`.
bool lex_line(std::string_view line, const FileName& file, int line_no, std::vector<Token>& out,
              DiagnosticSink& diags, size_t max_tokens = SIZE_MAX);
bool lex_line(const LineRef& line, std::vector<Token>& out, DiagnosticSink& diags,
              size_t max_tokens = SIZE_MAX);

// Calls `each(line, line_no)` for every line of `text`, after a UTF-8 byte
// order mark if the file starts with one.
template <typename F>
void for_each_line(std::string_view text, F each) {
  int line_no = 1;
  size_t start = 0;
  // Editors on other systems may start the file with a UTF-8 byte order mark.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    each(text.substr(start, end - start), line_no);
    if (end == text.size()) break;
    start = end + 1;
    ++line_no;
  }
}

// Appends the tokens of `text` (read from `file`) to `out`. Problems such as an
// unterminated quote are reported to `diags`; the rest of that line is dropped.
void lex(std::string_view text, const FileName& file, std::vector<Token>& out,
         DiagnosticSink& diags);

}  // namespace keepvip::config::detail
