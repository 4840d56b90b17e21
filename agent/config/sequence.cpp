#include "config/sequence.h"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace keepvip::config::detail {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name.front())) return false;
  for (char c : name) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

void define(Definitions& definitions, const std::string& name, std::string value,
            const SourceLocation& at) {
  auto d = std::make_shared<Definition>();
  d->name = name;
  d->defined_at = at;
  d->value = std::move(value);
  definitions.define(std::move(d));
}

// A cursor over the text of a ~SEQ / ~LST line.
class Cursor {
 public:
  explicit Cursor(std::string_view text, size_t pos = 0) : text_(text), pos_(pos) {}
  void skip_blanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  int peek() const { return pos_ < text_.size() ? static_cast<unsigned char>(text_[pos_]) : -1; }
  // Bytes up to (not including) any of `stops`, or the end.
  std::string_view until(std::string_view stops) {
    size_t start = pos_;
    while (pos_ < text_.size() && stops.find(text_[pos_]) == std::string_view::npos) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_;
};

class SequenceLines final : public LineSource {
 public:
  SequenceLines(std::string name, long long first, long long step, long long last, bool hex,
                MappedText text, SourceLocation at)
      : name_(std::move(name)),
        next_(first),
        step_(step),
        last_(last),
        hex_(hex),
        text_(std::move(text)),
        at_(std::move(at)) {}

  std::optional<MappedText> next(Definitions& definitions) override {
    if (done_) return std::nullopt;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, hex_ ? "%llx" : "%lld", next_);
    std::string value = buffer;
    define(definitions, name_, value, at_);
    MappedText line = text_;
    line.add_note("~SEQ(" + name_ + ") with $" + name_ + "=" + value);
    long long after = 0;
    done_ = __builtin_add_overflow(next_, step_, &after) || (step_ > 0 && after > last_) ||
            (step_ < 0 && after < last_);
    next_ = after;
    return line;
  }

 private:
  std::string name_;
  long long next_, step_, last_;
  bool hex_;
  MappedText text_;
  SourceLocation at_;
  bool done_ = false;
};

class ListLines final : public LineSource {
 public:
  ListLines(std::vector<std::string> names, std::vector<std::vector<std::string>> sets,
            MappedText text, SourceLocation at)
      : names_(std::move(names)),
        sets_(std::move(sets)),
        text_(std::move(text)),
        at_(std::move(at)) {}

  std::optional<MappedText> next(Definitions& definitions) override {
    if (index_ >= sets_.size()) return std::nullopt;
    std::string note = "~LST with";
    const auto& values = sets_[index_++];
    for (size_t i = 0; i < names_.size(); ++i) {
      define(definitions, names_[i], values[i], at_);
      note += (i == 0 ? " $" : ", $") + names_[i] + "=" + values[i];
    }
    MappedText line = text_;
    line.add_note(note);
    return line;
  }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> sets_;
  MappedText text_;
  SourceLocation at_;
  size_t index_ = 0;
};

class RemainingLines final : public LineSource {
 public:
  explicit RemainingLines(PendingLines pending) : pending_(std::move(pending)) {}

  std::optional<MappedText> next(Definitions&) override {
    const auto& lines = pending_.definition->lines;
    if (index_ >= lines.size()) return std::nullopt;
    const MappedText& source = lines[index_++];
    TextOrigin origin =
        definition_line_origin(pending_.use, pending_.definition->name, source, pending_.inside);
    auto column = static_cast<uint32_t>(pending_.use.column);
    std::vector<MappedText::Byte> bytes;
    for (size_t i = 0; i < source.size(); ++i) bytes.push_back({source[i], 0, column});
    return MappedText::assemble({std::move(origin)}, bytes);
  }

 private:
  PendingLines pending_;
  size_t index_ = 1;  // the first line was expanded in place
};

// strtol's reading (base 0: 0x.. hex, 0.. octal), as keepalived reads ~SEQ numbers.
bool read_number(const std::string& text, size_t& pos, long long& value) {
  const char* start = text.c_str() + pos;
  char* end = nullptr;
  errno = 0;
  value = std::strtoll(start, &end, 0);
  if (errno == ERANGE) return false;
  pos += static_cast<size_t>(end - start);
  return true;
}

class RepetitionParser {
 public:
  RepetitionParser(const MappedText& line, Definitions& definitions, const ExpansionLimits& limits,
                   ExpansionBudget& budget, DiagnosticSink& diags)
      : line_(line),
        definitions_(definitions),
        limits_(limits),
        budget_(budget),
        diags_(diags),
        at_(line.location(0)) {}

  std::unique_ptr<LineSource> run() {
    return line_.text().compare(0, 4, "~SEQ") == 0 ? sequence() : list();
  }

 private:
  std::unique_ptr<LineSource> sequence() {
    const std::string& text = line_.text();
    Cursor c(text, 4);
    bool hex = c.take('x');
    c.skip_blanks();
    if (!c.take('(')) return fail("expected '(' after ~SEQ");
    c.skip_blanks();
    std::string name(c.until(" \t,)"));
    if (!valid_name(name)) return fail("expected a variable name after '~SEQ('");
    c.skip_blanks();
    if (!c.take(',')) return fail("expected ',' after the variable name");
    size_t close = text.find(')', c.pos());
    if (close == std::string::npos) return fail("expected ')' closing the numbers");
    // The numbers may use definitions, as in keepalived.
    MappedText numbers = line_.slice(c.pos(), close);
    auto expanded = definitions_.expand(numbers, limits_, budget_, diags_);
    if (expanded.failed) return nullptr;
    if (!expanded.pending.empty()) return fail("a number of ~SEQ is a multi-line definition");
    std::string values = numbers.text() + ")";
    std::vector<long long> n;
    size_t pos = 0;
    for (;;) {
      long long v = 0;
      size_t before = pos;
      if (!read_number(values, pos, v) || pos == before) return fail(expected_numbers());
      n.push_back(v);
      while (values[pos] == ' ' || values[pos] == '\t') ++pos;
      if (values[pos] == ')') break;
      if (values[pos] != ',' || n.size() == 3) return fail(expected_numbers());
      ++pos;
    }
    long long first = 1, step = 1, last = 1;
    if (n.size() == 1) {
      last = n[0];
      step = last < 1 ? -1 : 1;
      first = last < 0 ? -1 : 1;
    } else if (n.size() == 2) {
      first = n[0];
      last = n[1];
      step = first <= last ? 1 : -1;
    } else {
      first = n[0];
      step = n[1];
      last = n[2];
      if (step == 0 || (first < last && step < 0) || (first > last && step > 0)) {
        return fail("the step " + std::to_string(step) + " never goes from " +
                    std::to_string(first) + " to " + std::to_string(last));
      }
    }
    if (hex && (first < 0 || last < 0)) return fail("~SEQx counts in hex: expected numbers >= 0");
    Cursor rest(text, close + 1);
    rest.skip_blanks();
    return std::make_unique<SequenceLines>(name, first, step, last, hex,
                                           line_.slice(rest.pos(), text.size()), at_);
  }

  std::unique_ptr<LineSource> list() {
    const std::string& text = line_.text();
    Cursor c(text, 4);
    c.skip_blanks();
    if (!c.take('(')) return fail("expected '(' after ~LST");
    c.skip_blanks();
    std::vector<std::string> names;
    if (!read_group(c, names, " \t,}", /*names=*/true)) return nullptr;
    if (!c.take(',')) return fail("expected ',' after the variable names");
    std::vector<std::vector<std::string>> sets;
    for (;;) {
      c.skip_blanks();
      std::vector<std::string> values;
      if (!read_group(c, values, " \t,})", /*names=*/false)) return nullptr;
      if (values.size() > names.size()) {
        return fail("a set has " + std::to_string(values.size()) + " values for " +
                    std::to_string(names.size()) + " variables");
      }
      values.resize(names.size());  // missing values are empty, as in keepalived
      sets.push_back(std::move(values));
      if (c.take(')')) break;
      if (!c.take(',')) return fail("expected ',' or ')' after a set of values");
    }
    c.skip_blanks();
    return std::make_unique<ListLines>(std::move(names), std::move(sets),
                                       line_.slice(c.pos(), text.size()), at_);
  }

  // One item, or "{a, b, ...}"; blanks after it skipped.
  bool read_group(Cursor& c, std::vector<std::string>& out, std::string_view stops, bool names) {
    bool braced = c.take('{');
    for (;;) {
      c.skip_blanks();
      std::string item(c.until(stops));
      if (names && !valid_name(item)) {
        fail("expected a variable name in ~LST, got '" + item.substr(0, 64) + "'");
        return false;
      }
      out.push_back(std::move(item));
      c.skip_blanks();
      if (!braced || !c.take(',')) break;
    }
    if (braced && !c.take('}')) {
      fail("expected '}' closing a group of ~LST");
      return false;
    }
    c.skip_blanks();
    return true;
  }

  std::string expected_numbers() const {
    return "expected ~SEQ(VAR, END), ~SEQ(VAR, START, END) or ~SEQ(VAR, START, STEP, END) with "
           "integers";
  }

  std::unique_ptr<LineSource> fail(const std::string& message) {
    diags_.error(at_, line_.text().substr(0, 4), message + "; line ignored");
    return nullptr;
  }

  const MappedText& line_;
  Definitions& definitions_;
  const ExpansionLimits& limits_;
  ExpansionBudget& budget_;
  DiagnosticSink& diags_;
  SourceLocation at_;
};

}  // namespace

std::unique_ptr<LineSource> parse_repetition(const MappedText& line, Definitions& definitions,
                                             const ExpansionLimits& limits, ExpansionBudget& budget,
                                             DiagnosticSink& diags) {
  return RepetitionParser(line, definitions, limits, budget, diags).run();
}

std::unique_ptr<LineSource> remaining_lines(PendingLines pending) {
  return std::make_unique<RemainingLines>(std::move(pending));
}

}  // namespace keepvip::config::detail
