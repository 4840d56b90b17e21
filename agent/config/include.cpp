#include "config/include.h"

#include <algorithm>
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
  void expand(std::string_view text, const std::string& file) {
    std::vector<Token> tokens;
    lex(text, file, tokens, diags_);
    for (size_t i = 0; i < tokens.size(); ++i) {
      Token& token = tokens[i];
      if (token.kind == TokenKind::Word && !token.quoted && token.text == "include" &&
          starts_statement(tokens, i)) {
        std::string pattern;
        size_t j = i + 1;
        for (; j < tokens.size() && tokens[j].kind == TokenKind::Word; ++j) {
          if (!pattern.empty()) pattern += ' ';
          pattern += tokens[j].text;
        }
        include(token, pattern, file);
        i = j - 1;  // the LineEnd or brace that ended the include is kept
        continue;
      }
      result_.tokens.push_back(std::move(token));
    }
  }

  void include(const Token& site, const std::string& pattern, const std::string& from) {
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
};

}  // namespace

LoadedSource load_source(std::string_view text, const std::string& file_name,
                         const FileSource& files, DiagnosticSink& diags,
                         const SourceLimits& limits) {
  return Loader(files, diags, limits).run(text, file_name);
}

}  // namespace keepvip::config::detail
