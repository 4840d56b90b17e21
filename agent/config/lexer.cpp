#include "config/lexer.h"

#include <utility>

namespace keepvip::config::detail {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

bool ends_word(char c) {
  return is_blank(c) || c == '{' || c == '}' || c == '"' || c == '!' || c == '#';
}

class LineLexer {
 public:
  LineLexer(std::string_view line, const std::string& file, int line_no, std::vector<Token>& out,
            DiagnosticSink& diags)
      : line_(line), file_(file), line_no_(line_no), out_(out), diags_(diags) {}

  void run() {
    while (pos_ < line_.size()) {
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
        if (!quoted_word()) return;
      } else {
        plain_word();
      }
    }
    push(TokenKind::LineEnd, {}, false, line_.size());
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
    Token token{kind, std::move(text), quoted, location(column0)};
    out_.push_back(std::move(token));
  }

  SourceLocation location(size_t column0) const {
    return SourceLocation{file_, line_no_, static_cast<int>(column0) + 1};
  }

  std::string_view line_;
  const std::string& file_;
  int line_no_;
  std::vector<Token>& out_;
  DiagnosticSink& diags_;
  size_t pos_ = 0;
  std::string first_word_;  // names the statement in an unterminated-quote error
};

}  // namespace

void lex(std::string_view text, const std::string& file, std::vector<Token>& out,
         DiagnosticSink& diags) {
  int line_no = 1;
  size_t start = 0;
  // Editors on other systems may start the file with a UTF-8 byte order mark.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    LineLexer(text.substr(start, end - start), file, line_no, out, diags).run();
    if (end == text.size()) break;
    start = end + 1;
    ++line_no;
  }
}

}  // namespace keepvip::config::detail
