#include "config/command_line.h"

#include <gtest/gtest.h>

namespace keepvip::config {
namespace {

using Words = std::vector<std::string>;

Words split_ok(std::string_view line) {
  auto r = split_command_line(line);
  EXPECT_TRUE(r.has_value()) << line;
  return r ? *r : Words{};
}

TEST(CommandLine, SplitsOnBlanks) {
  EXPECT_EQ(split_ok("/scripts/notify.sh master 192.168.222.250"),
            (Words{"/scripts/notify.sh", "master", "192.168.222.250"}));
  EXPECT_EQ(split_ok("  a\t b  "), (Words{"a", "b"}));
}

TEST(CommandLine, EmptyLineGivesNoWords) {
  EXPECT_TRUE(split_ok("   ").empty());
}

TEST(CommandLine, DoubleQuotesGroupWords) {
  EXPECT_EQ(split_ok(R"(/bin/check "two words" x)"), (Words{"/bin/check", "two words", "x"}));
}

TEST(CommandLine, SingleQuotesAreLiteral) {
  EXPECT_EQ(split_ok(R"(echo 'a \ "b"')"), (Words{"echo", R"(a \ "b")"}));
}

TEST(CommandLine, QuotesJoinWithAdjacentText) {
  EXPECT_EQ(split_ok(R"(--opt="a b"'c d')"), (Words{"--opt=a bc d"}));
}

TEST(CommandLine, EmptyQuotesAreAnEmptyArgument) {
  EXPECT_EQ(split_ok(R"(cmd "" x)"), (Words{"cmd", "", "x"}));
}

TEST(CommandLine, BackslashEscapesOutsideSingleQuotes) {
  EXPECT_EQ(split_ok(R"(a\ b "c\"d")"), (Words{"a b", "c\"d"}));
}

TEST(CommandLine, UnterminatedQuoteIsAnError) {
  EXPECT_FALSE(split_command_line(R"(cmd "open)").has_value());
  EXPECT_FALSE(split_command_line("cmd 'open").has_value());
}

TEST(CommandLine, TrailingBackslashIsAnError) {
  EXPECT_FALSE(split_command_line("cmd \\").has_value());
}

}  // namespace
}  // namespace keepvip::config
