#include "config/include.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include "config/preprocess.h"

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

// keepalived's include and its stricter variants. keepvip's plain include
// already errors on a file that does not exist (keepalived's warns only
// with includer / includem), so those two read like it; 'w' also errors on
// a glob matching nothing, 'b' on a {a,b} alternative matching nothing, 'a'
// does both.
struct IncludeKind {
  bool glob_must_match = false;
  bool each_alternative_must_match = false;
};

std::optional<IncludeKind> include_kind(std::string_view word) {
  if (word == "include" || word == "includer" || word == "includem") return IncludeKind{};
  if (word == "includew") return IncludeKind{true, false};
  if (word == "includeb") return IncludeKind{false, true};
  if (word == "includea") return IncludeKind{true, true};
  return std::nullopt;
}

// The '}' matching the '{' at `open`, or npos.
size_t matching_brace(std::string_view p, size_t open) {
  int depth = 0;
  for (size_t i = open; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '{') {
      ++depth;
    } else if (p[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// "{a,b}x{c,d}" as glob(3) expands it: "ax{c,d}"... one alternative at a
// time, first group first. The caller has bounded the count.
void expand_braces(const std::string& pattern, std::vector<std::string>& out) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
      continue;
    }
    if (pattern[i] != '{') continue;
    size_t close = matching_brace(pattern, i);
    if (close == std::string::npos) continue;
    std::string head = pattern.substr(0, i), tail = pattern.substr(close + 1);
    int depth = 0;
    size_t start = i + 1;
    for (size_t k = i + 1; k <= close; ++k) {
      char c = pattern[k];
      if (c == '\\') {
        ++k;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && depth > 0) {
        --depth;
      } else if ((c == ',' && depth == 0) || k == close) {
        expand_braces(head + pattern.substr(start, k - start) + tail, out);
        start = k + 1;
      }
    }
    return;
  }
  out.push_back(pattern);
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
  Loader(const FileSource& files, DiagnosticSink& diags, const SourceLimits& limits,
         const std::string& config_id)
      : files_(files),
        diags_(diags),
        limits_(limits),
        preprocessor_(config_id, files, diags, limits) {}

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
      if (stopped_ || preprocessor_.stopped()) return;
      preprocessor_.feed(line, file, line_no,
                         [&](const LineRef& ref) { take_line(ref, file, line_no); });
    });
  }

  void take_line(const LineRef& line, const FileName& file, int line_no) {
    if (stopped_ || include_line(line, file)) return;
    size_t first = result_.tokens.size();
    if (!lex_line(line, result_.tokens, diags_, limits_.max_tokens)) {
      diags_.error(SourceLocation{file, line_no, 1}, "",
                   "more than " + std::to_string(limits_.max_tokens) +
                       " words, braces and lines in the configuration; the rest is not read");
      stopped_ = true;
      return;
    }
    take_includes(first, file);
  }

  // A line starting with an include: as in keepalived, the rest of the line
  // is the pattern, braces included ("include conf.d/{a,b}.conf"); one
  // quoted pattern loses its quotes.
  bool include_line(const LineRef& line, const FileName& file) {
    Decommented d = decomment(line.text);
    std::string_view content = line.text.substr(d.begin, d.end - d.begin);
    size_t word_end = content.find_first_of(" \t");
    if (word_end == std::string_view::npos) return false;
    auto kind = include_kind(content.substr(0, word_end));
    if (!kind) return false;
    std::string_view pattern = content.substr(word_end);
    pattern.remove_prefix(std::min(pattern.size(), pattern.find_first_not_of(" \t")));
    if (pattern.size() >= 2 && pattern.front() == '"' && pattern.back() == '"') {
      pattern = pattern.substr(1, pattern.size() - 2);
    }
    Token site;
    site.text = std::string(content.substr(0, word_end));
    site.where = line.map ? line.map->location(d.begin)
                          : SourceLocation{*line.file, line.line, static_cast<int>(d.begin) + 1};
    include(site, std::string(pattern), file, *kind);
    return true;
  }

  // Replaces every include statement among the tokens from `first` on (one
  // line's; after a brace: "vrrp_instance VI_1 { include vips.conf") by the
  // tokens of the files it names.
  void take_includes(size_t first, const FileName& file) {
    auto& tokens = result_.tokens;
    for (size_t i = first; i < tokens.size() && !stopped_; ++i) {
      const Token& token = tokens[i];
      if (token.kind != TokenKind::Word || token.quoted || !starts_statement(tokens, i)) continue;
      auto kind = include_kind(token.text);
      if (!kind) continue;
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
      include(site, pattern, file, *kind);
      size_t resume = tokens.size();
      for (auto& t : rest) push_token(tokens, std::move(t));
      // The loop's ++i skips the token that ended the include: not a word.
      i = resume;
    }
  }

  void include(const Token& site, const std::string& pattern, const FileName& from,
               const IncludeKind& kind) {
    const std::string& keyword = site.text;
    if (pattern.empty()) {
      diags_.error(site.where, keyword, "expected a file name or glob pattern");
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
    std::vector<std::string> alternatives;
    if (kind.each_alternative_must_match) {
      expand_braces(resolved, alternatives);
    } else {
      alternatives.push_back(resolved);
    }
    std::vector<std::string> paths;
    for (const auto& alternative : alternatives) {
      auto matches = files_.glob(alternative);
      if (!matches) {
        diags_.error(site.where, keyword,
                     "cannot expand '" + alternative + "': " + matches.error().describe());
        return;
      }
      if (matches->empty()) {
        if (!has_wildcards(alternative) && alternative == resolved) {
          diags_.error(site.where, keyword, "file not found: '" + resolved + "'");
        } else if (kind.each_alternative_must_match && alternative != resolved) {
          diags_.error(site.where, keyword,
                       "no file matches '" + alternative + "', one of the alternatives of '" +
                           resolved + "'");
        } else if (kind.glob_must_match || !has_wildcards(alternative)) {
          diags_.error(site.where, keyword, "no file matches '" + alternative + "'");
        } else {
          diags_.warning(site.where, keyword, "no file matches '" + alternative + "'");
        }
        continue;
      }
      for (auto& path : *matches) {
        if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
      }
    }
    for (const auto& path : paths) read_included(site, path);
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
  Preprocessor preprocessor_;
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
                         const FileSource& files, DiagnosticSink& diags, const SourceLimits& limits,
                         const std::string& config_id) {
  return Loader(files, diags, limits, config_id).run(text, file_name);
}

}  // namespace keepvip::config::detail
