#include "config/command_line.h"

namespace keepvip::config {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

Result<std::vector<std::string>> split_command_line(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  // A word exists once any character or a quote pair was seen, so "" yields
  // an empty argument rather than nothing.
  bool in_word = false;
  char quote = 0;  // the open quote character, or 0 outside quotes

  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= line.size())
        return logic_error("trailing backslash in \"" + std::string(line) + "\"");
      word += line[++i];
      in_word = true;
      continue;
    }
    if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
      continue;
    }
    if (is_blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    word += c;
    in_word = true;
  }
  if (quote != 0) return logic_error("unterminated quote in \"" + std::string(line) + "\"");
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace keepvip::config
