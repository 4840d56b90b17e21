// Tokenisation as keepalived does it: comments, quotes, braces.
#include "config/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keepvip::config::detail {
namespace {

// Renders tokens compactly: words as-is (quoted ones in <>), braces, '|' for line ends.
std::string render(std::string_view text, DiagnosticSink& diags) {
  std::vector<Token> tokens;
  lex(text, "f", tokens, diags);
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case TokenKind::Word:
        out += t.quoted ? "<" + t.text + ">" : t.text;
        break;
      case TokenKind::OpenBrace:
        out += "{";
        break;
      case TokenKind::CloseBrace:
        out += "}";
        break;
      case TokenKind::LineEnd:
        out += "|";
        break;
    }
  }
  return out;
}

std::string render(std::string_view text) {
  DiagnosticSink diags;
  auto out = render(text, diags);
  EXPECT_EQ(diags.error_count(), 0u);
  return out;
}

TEST(Lexer, CommentsStartAnywhereOutsideQuotes) {
  EXPECT_EQ(render("! whole line\npriority 100 # trailing\nauth_pass ab!cd"),
            "| priority 100 | auth_pass ab |");
  EXPECT_EQ(render("script \"grep # not a comment\""), "script <grep # not a comment> |");
  EXPECT_EQ(render("auth_pass ab\\#cd\\!e"), "auth_pass ab#cd!e |");
}

TEST(Lexer, BracesAreTokensEvenWhenGlued) {
  EXPECT_EQ(render("virtual_ipaddress{192.0.2.1}"), "virtual_ipaddress { 192.0.2.1 } |");
  EXPECT_EQ(render("notify \"a { b }\""), "notify <a { b }> |");
}

TEST(Lexer, QuotesSplitWordsLikeKeepalived) {
  EXPECT_EQ(render("a\"b c\"d"), "a <b c> d |");
  EXPECT_EQ(render("x \"\""), "x <> |");
}

TEST(Lexer, SkipsAByteOrderMark) {
  std::vector<Token> tokens;
  DiagnosticSink diags;
  lex("\xEF\xBB\xBFglobal_defs {", "f", tokens, diags);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].text, "global_defs");
  EXPECT_EQ(tokens[0].where.column, 1);
}

TEST(Lexer, TracksLineAndByteColumn) {
  std::vector<Token> tokens;
  DiagnosticSink diags;
  lex("a\n\t  bb  cc\r\n", "f", tokens, diags);
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[2].text, "bb");
  EXPECT_EQ(tokens[2].where.to_string(), "f:2:4");
  EXPECT_EQ(tokens[3].where.to_string(), "f:2:8");
  EXPECT_EQ(tokens[4].kind, TokenKind::LineEnd);  // "\r" is blank, not a word
}

// A line end after a line end says nothing more: a file of empty or comment
// lines must not cost a token per line.
TEST(Lexer, EmptyAndCommentLinesAddNoTokens) {
  EXPECT_EQ(render("a\n\n\n# note\n   \n! more\nb\n\n"), "a | b |");
  std::vector<Token> tokens;
  DiagnosticSink diags;
  lex(std::string(100000, '\n'), "f", tokens, diags);
  EXPECT_EQ(tokens.size(), 1u);
}

TEST(Lexer, UnterminatedQuoteIsAnErrorAndRunsToTheEndOfTheLine) {
  DiagnosticSink diags;
  // The rest of the line is kept as the quoted word, so that the statement
  // does not also miss its argument.
  EXPECT_EQ(render("notify_master \"/bin/x {\nnext 1", diags),
            "notify_master </bin/x {> | next 1 |");
  auto all = diags.take_sorted();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].to_string(),
            "f:1:15: error: notify_master: unterminated quoted string: expected a closing '\"' "
            "on the same line");
}

}  // namespace
}  // namespace keepvip::config::detail
