#include "config/lexer.h"

#include <cstdint>
#include <utility>

namespace keepvip::config::detail {
namespace {

bool ends_word(char c) {
  return is_blank(c) || c == '{' || c == '}' || c == '"' || c == '!' || c == '#';
}

class LineLexer {
 public:
  LineLexer(const LineRef& line, std::vector<Token>& out, DiagnosticSink& diags, size_t max_tokens)
      : line_(line.text), ref_(line), out_(out), diags_(diags), max_tokens_(max_tokens) {}

  bool run() {
    while (pos_ < line_.size()) {
      if (out_.size() >= max_tokens_) return false;
      char c = line_[pos_];
      if (is_blank(c)) {
        ++pos_;
      } else if (c == '!' || c == '#') {
        break;  // comment to the end of the line
      } else if (c == '{' || c == '}') {
        push(c == '{' ? TokenKind::OpenBrace : TokenKind::CloseBrace, std::string(1, c), false,
             pos_);
        first_word_.clear();
        ++pos_;
      } else if (c == '"') {
        if (!quoted_word()) return true;
      } else {
        plain_word();
      }
    }
    push(TokenKind::LineEnd, {}, false, line_.size());
    return true;
  }

 private:
  bool quoted_word() {
    size_t start = pos_;
    size_t close = line_.find('"', pos_ + 1);
    if (close == std::string_view::npos) {
      diags_.error(location(start), first_word_.empty() ? std::string("\"") : first_word_,
                   "unterminated quoted string: expected a closing '\"' on the same line");
      // Keep the text as the word it was meant to be, so that the statement
      // does not also report a missing argument.
      push(TokenKind::Word, std::string(line_.substr(start + 1)), true, start);
      push(TokenKind::LineEnd, {}, false, line_.size());
      return false;
    }
    push(TokenKind::Word, std::string(line_.substr(start + 1, close - start - 1)), true, start);
    pos_ = close + 1;
    return true;
  }

  void plain_word() {
    size_t start = pos_;
    std::string text;
    while (pos_ < line_.size() && !ends_word(line_[pos_])) {
      char c = line_[pos_];
      // keepalived lets "\#" and "\!" stand for the comment characters.
      if (c == '\\' && pos_ + 1 < line_.size() &&
          (line_[pos_ + 1] == '#' || line_[pos_ + 1] == '!')) {
        ++pos_;
        c = line_[pos_];
      }
      text += c;
      ++pos_;
    }
    push(TokenKind::Word, std::move(text), false, start);
  }

  void push(TokenKind kind, std::string text, bool quoted, size_t column0) {
    if (kind == TokenKind::Word && first_word_.empty()) first_word_ = text;
    if (kind == TokenKind::LineEnd) first_word_.clear();
    push_token(out_, Token{std::move(text), location(column0), kind, quoted});
  }

  SourceLocation location(size_t column0) const {
    if (ref_.map) return ref_.map->location(column0);
    return SourceLocation{*ref_.file, ref_.line, static_cast<int>(column0) + 1};
  }

  std::string_view line_;
  const LineRef& ref_;
  std::vector<Token>& out_;
  DiagnosticSink& diags_;
  size_t max_tokens_;
  size_t pos_ = 0;
  std::string first_word_;  // names the statement in an unterminated-quote error
};

}  // namespace

void push_token(std::vector<Token>& out, Token token) {
  if (token.kind == TokenKind::LineEnd && !out.empty() && out.back().kind == TokenKind::LineEnd)
    return;
  out.push_back(std::move(token));
}

bool lex_line(std::string_view line, const FileName& file, int line_no, std::vector<Token>& out,
              DiagnosticSink& diags, size_t max_tokens) {
  return lex_line(LineRef{line, nullptr, &file, line_no}, out, diags, max_tokens);
}

bool lex_line(const LineRef& line, std::vector<Token>& out, DiagnosticSink& diags,
              size_t max_tokens) {
  return LineLexer(line, out, diags, max_tokens).run();
}

void lex(std::string_view text, const FileName& file, std::vector<Token>& out,
         DiagnosticSink& diags) {
  for_each_line(
      text, [&](std::string_view line, int line_no) { lex_line(line, file, line_no, out, diags); });
}

}  // namespace keepvip::config::detail
