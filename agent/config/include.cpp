#include "config/include.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace keepvip::config::detail {
namespace {

bool has_wildcards(const std::string& pattern) {
  return pattern.find_first_of("*?[{") != std::string::npos;
}

std::string directory_of(const std::string& file) {
  auto slash = file.rfind('/');
  if (slash == std::string::npos) return {};
  return file.substr(0, slash + 1);
}

bool starts_statement(const std::vector<Token>& tokens, size_t i) {
  return i == 0 || tokens[i - 1].kind != TokenKind::Word;
}

// Brace expansion counted without expanding: a sequence multiplies the
// counts of its groups, a group adds the counts of its alternatives. Linear
// in the pattern's length (which may be a whole line).
class BraceCounter {
 public:
  BraceCounter(std::string_view pattern, size_t limit)
      : p_(pattern), cap_(limit + 1), close_(pattern.size(), std::string_view::npos) {
    // The '}' matching each '{'; a '{' without one is literal, as glob takes it.
    std::vector<size_t> open;
    for (size_t i = 0; i < p_.size(); ++i) {
      if (p_[i] == '\\') {
        ++i;
      } else if (p_[i] == '{') {
        open.push_back(i);
      } else if (p_[i] == '}' && !open.empty()) {
        close_[open.back()] = i;
        open.pop_back();
      }
    }
  }

  size_t run() {
    size_t pos = 0;
    return sequence(pos, 0, /*in_group=*/false);
  }

 private:
  static constexpr int kMaxNesting = 32;

  size_t saturate(size_t n) const { return std::min(n, cap_); }

  // Reads up to a ',' or '}' of the enclosing group (or the end).
  size_t sequence(size_t& pos, int depth, bool in_group) {
    size_t count = 1;
    while (pos < p_.size()) {
      char c = p_[pos];
      if (c == '\\') {
        pos += 2;
      } else if (in_group && (c == ',' || c == '}')) {
        return count;
      } else if (c == '{' && close_[pos] != std::string_view::npos) {
        if (depth >= kMaxNesting) return cap_;
        ++pos;
        count = saturate(count * group(pos, depth + 1));
      } else {
        ++pos;
      }
    }
    return count;
  }

  // After a '{': the alternatives up to its '}'.
  size_t group(size_t& pos, int depth) {
    size_t sum = 0;
    for (;;) {
      sum = saturate(sum + sequence(pos, depth, /*in_group=*/true));
      if (pos >= p_.size()) return sum;
      if (p_[pos++] == '}') return std::max<size_t>(sum, 1);
    }
  }

  std::string_view p_;
  size_t cap_;
  std::vector<size_t> close_;  // by position of a '{'
};

class Loader {
 public:
  Loader(const FileSource& files, DiagnosticSink& diags, const SourceLimits& limits)
      : files_(files), diags_(diags), limits_(limits) {}

  LoadedSource run(std::string_view text, const std::string& file_name) {
    diags_.note_file(file_name, nullptr);
    result_.files.push_back(file_name);
    total_bytes_ = text.size();
    stack_.push_back(files_.canonical(file_name));
    expand(text, file_name);
    return std::move(result_);
  }

 private:
  void expand(std::string_view text, const FileName& file) {
    for_each_line(text, [&](std::string_view line, int line_no) {
      if (stopped_) return;
      size_t first = result_.tokens.size();
      if (!lex_line(line, file, line_no, result_.tokens, diags_, limits_.max_tokens)) {
        diags_.error(SourceLocation{file, line_no, 1}, "",
                     "more than " + std::to_string(limits_.max_tokens) +
                         " words, braces and lines in the configuration; the rest is not read");
        stopped_ = true;
        return;
      }
      take_includes(first, file);
    });
  }

  // Replaces every include statement among the tokens from `first` on (one
  // line's) by the tokens of the files it names.
  void take_includes(size_t first, const FileName& file) {
    auto& tokens = result_.tokens;
    for (size_t i = first; i < tokens.size() && !stopped_; ++i) {
      const Token& token = tokens[i];
      if (token.kind != TokenKind::Word || token.quoted || token.text != "include" ||
          !starts_statement(tokens, i))
        continue;
      std::string pattern;
      size_t j = i + 1;
      for (; j < tokens.size() && tokens[j].kind == TokenKind::Word; ++j) {
        if (!pattern.empty()) pattern += ' ';
        pattern += tokens[j].text;
      }
      // The LineEnd or brace that ended the include, and what follows it on
      // the line, go after the included tokens.
      std::vector<Token> rest(std::make_move_iterator(tokens.begin() + static_cast<ptrdiff_t>(j)),
                              std::make_move_iterator(tokens.end()));
      Token site = std::move(tokens[i]);
      tokens.erase(tokens.begin() + static_cast<ptrdiff_t>(i), tokens.end());
      include(site, pattern, file);
      size_t resume = tokens.size();
      for (auto& t : rest) push_token(tokens, std::move(t));
      // The loop's ++i skips the token that ended the include: not a word.
      i = resume;
    }
  }

  void include(const Token& site, const std::string& pattern, const FileName& from) {
    if (pattern.empty()) {
      diags_.error(site.where, "include", "expected a file name or glob pattern");
      return;
    }
    if (stack_.size() > limits_.max_include_depth) {
      diags_.error(site.where, "include",
                   "includes nested deeper than " + std::to_string(limits_.max_include_depth) +
                       " levels; not reading '" + pattern + "'");
      return;
    }
    if (brace_expansion_count(pattern, limits_.max_brace_expansion) > limits_.max_brace_expansion) {
      diags_.error(site.where, "include",
                   "'{a,b}' alternatives make more than " +
                       std::to_string(limits_.max_brace_expansion) + " patterns; not expanding '" +
                       pattern.substr(0, 256) + "'");
      return;
    }
    std::string resolved = pattern.front() == '/' ? pattern : directory_of(from) + pattern;
    auto matches = files_.glob(resolved);
    if (!matches) {
      diags_.error(site.where, "include",
                   "cannot expand '" + resolved + "': " + matches.error().describe());
      return;
    }
    if (matches->empty()) {
      if (has_wildcards(pattern)) {
        diags_.warning(site.where, "include", "no file matches '" + resolved + "'");
      } else {
        diags_.error(site.where, "include", "file not found: '" + resolved + "'");
      }
      return;
    }
    for (const auto& path : *matches) read_included(site, path);
  }

  void read_included(const Token& site, const std::string& path) {
    if (stopped_) return;
    std::string canonical = files_.canonical(path);
    if (std::find(stack_.begin(), stack_.end(), canonical) != stack_.end()) {
      std::string chain;
      for (const auto& f : stack_) chain += f + " -> ";
      diags_.error(site.where, "include", "include loop: " + chain + canonical);
      return;
    }
    if (result_.files.size() >= limits_.max_files) {
      diags_.error(
          site.where, "include",
          "more than " + std::to_string(limits_.max_files) + " files; not reading '" + path + "'");
      return;
    }
    auto content = files_.read(path, limits_.max_file_bytes);
    if (!content) {
      diags_.error(site.where, "include",
                   "cannot read '" + path + "': " + content.error().describe());
      return;
    }
    total_bytes_ += content->size();
    if (total_bytes_ > limits_.max_total_bytes) {
      diags_.error(site.where, "include",
                   "configuration larger than " + std::to_string(limits_.max_total_bytes) +
                       " bytes in total; not reading '" + path + "'");
      return;
    }
    diags_.note_file(path, &site.where);
    result_.files.push_back(path);
    stack_.push_back(canonical);
    expand(*content, path);
    stack_.pop_back();
  }

  const FileSource& files_;
  DiagnosticSink& diags_;
  const SourceLimits& limits_;
  LoadedSource result_;
  std::vector<std::string> stack_;  // canonical names of the files being read
  size_t total_bytes_ = 0;
  bool stopped_ = false;  // max_tokens reached: nothing more is read
};

}  // namespace

size_t brace_expansion_count(std::string_view pattern, size_t limit) {
  return BraceCounter(pattern, limit).run();
}

LoadedSource load_source(std::string_view text, const std::string& file_name,
                         const FileSource& files, DiagnosticSink& diags,
                         const SourceLimits& limits) {
  return Loader(files, diags, limits).run(text, file_name);
}

}  // namespace keepvip::config::detail
