// A line of configuration text as the preprocessor rewrites it ($NAME
// expansion, '@ID' prefixes removed, lines of ~SEQ and of multi-line
// definitions), with the source of every byte: a token made of expanded
// text is still reported at the place it was used, and the diagnostic names
// where its text was defined.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace keepvip::config::detail {

// Where a stretch of text came from.
struct TextOrigin {
  enum class Kind : uint8_t {
    Source,     // as written: a byte's column is a column of `where`'s line
    Expansion,  // made by the preprocessor: every byte is reported at its use,
                // `where`, whose note says where the text was defined. One note
                // per expanded line, not per token: a repeated definition may
                // make hundreds of thousands of tokens.
  };
  Kind kind = Kind::Source;
  SourceLocation where;
  // The definitions this text is the expansion of, innermost last: a
  // reference to one of them again would expand forever.
  std::vector<std::string> inside;
};

// Where a byte of `origin` at `column` is reported (see TextOrigin::Kind).
SourceLocation locate(const TextOrigin& origin, uint32_t column);

// A note `text` for an expansion that happened inside `outer` (may be null).
std::shared_ptr<const ExpansionNote> note(std::string text,
                                          std::shared_ptr<const ExpansionNote> outer);

class MappedText {
 public:
  MappedText() = default;
  // `text` as written at `file`:`line`, its first byte in column `first_column`.
  static MappedText from_source(std::string_view text, const FileName& file, int line,
                                int first_column);

  const std::string& text() const { return text_; }
  size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }
  char operator[](size_t i) const { return text_[i]; }

  // Where the byte at `offset` is reported (the end of the text for size()).
  SourceLocation location(size_t offset) const;
  const TextOrigin& origin(size_t offset) const;

  // Removes bytes [from, to).
  void erase(size_t from, size_t to);
  // The bytes [from, to) as a text of their own.
  MappedText slice(size_t from, size_t to) const;
  // Adds `note` (e.g. "~SEQ(I) with I=2") to the location of every byte.
  void add_note(std::string_view note);

  // Building a new text byte by byte, as the substitution does.
  struct Byte {
    char c;
    uint32_t origin;
    uint32_t column;
  };
  Byte byte(size_t offset) const {
    return {text_[offset], sources_[offset].origin, sources_[offset].column};
  }
  uint32_t add_origin(TextOrigin origin);
  const std::vector<TextOrigin>& origins() const { return origins_; }
  static MappedText assemble(std::vector<TextOrigin> origins, const std::vector<Byte>& bytes);

 private:
  struct ByteSource {
    uint32_t origin;
    uint32_t column;  // Source: column in the line
  };
  std::string text_;
  std::vector<ByteSource> sources_;
  std::vector<TextOrigin> origins_;
};

// keepalived's reading of a line before anything else (its decomment()):
// the comment ('!' or '#' outside double quotes, not escaped) is cut, blanks
// around the rest are trimmed, and an unescaped '\' ending it is reported
// as a continuation and removed with the blanks before it. "\#" and "\!"
// stay escaped: the lexer reads them last.
struct Decommented {
  size_t begin = 0;
  size_t end = 0;  // [begin, end) is the content
  bool continued = false;
};
Decommented decomment(std::string_view line);
// Applies decomment() to `text` in place; returns whether it was continued.
bool decomment(MappedText& text);

inline bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace keepvip::config::detail
