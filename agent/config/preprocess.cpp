#include "config/preprocess.h"

#include <sys/utsname.h>

#include <utility>
#include <vector>

#include "config/sequence.h"

namespace keepvip::config::detail {
namespace {

std::string directory_of(const FileSource& files, const std::string& file) {
  auto slash = file.rfind('/');
  std::string directory = slash == std::string::npos ? "." : file.substr(0, slash);
  if (directory.empty()) directory = "/";
  return files.canonical(directory);
}

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}

bool starts_repetition(const std::string& text) {
  return text.compare(0, 4, "~SEQ") == 0 || text.compare(0, 4, "~LST") == 0;
}

}  // namespace

// The lines still to be made for one line read from a file: ~SEQ / ~LST
// repetitions and the rest of multi-line definitions, the innermost last.
// Made before the next line of the file is read, as in keepalived.
class Preprocessor::Repeater {
 public:
  std::vector<std::unique_ptr<LineSource>> stack;
};

Preprocessor::Preprocessor(std::string config_id, const FileSource& files, DiagnosticSink& diags,
                           const SourceLimits& limits)
    : definitions_(std::move(config_id),
                   [&files](const std::string& file) { return directory_of(files, file); }),
      diags_(diags),
      limits_(limits),
      budget_(limits.max_expanded_bytes) {}

Preprocessor::~Preprocessor() = default;

void Preprocessor::feed(std::string_view raw, const FileName& file, int line_no, const Emit& emit) {
  if (stopped_) return;
  while (!raw.empty() && (raw.back() == '\r' || raw.back() == '\n')) raw.remove_suffix(1);
  if (open_definition_ && raw.empty()) {
    // keepalived: an empty line ends a multi-line definition, a comment does not.
    finish_definition();
    return;
  }
  Decommented d = decomment(raw);
  if (d.begin == d.end) {
    if (d.continued && !open_definition_) {
      diags_.warning(SourceLocation{file, line_no, static_cast<int>(d.begin) + 1}, "\\",
                     "a '\\' ending a line continues only a $NAME= definition (as in "
                     "keepalived); ignored");
    }
    return;
  }
  std::string_view content = raw.substr(d.begin, d.end - d.begin);
  char first = content.front();
  if (!open_definition_ && !d.continued && first != '@' && first != '$' && first != '~' &&
      content.find('$') == std::string_view::npos) {
    emit(LineRef{raw, nullptr, &file, line_no});
    return;
  }
  MappedText line = MappedText::from_source(content, file, line_no, static_cast<int>(d.begin) + 1);
  if (open_definition_) {
    continue_definition(std::move(line), d.continued);
    return;
  }
  Repeater repeater;
  handle(std::move(line), d.continued, repeater, emit);
  while (!repeater.stack.empty() && !stopped_) {
    auto next = repeater.stack.back()->next(definitions_);
    if (!next) {
      repeater.stack.pop_back();
      continue;
    }
    SourceLocation at = next->location(0);
    if (++generated_lines_ > limits_.max_generated_lines) {
      diags_.error(at, "",
                   "more than " + std::to_string(limits_.max_generated_lines) +
                       " lines made by ~SEQ, ~LST and multi-line definitions; the rest "
                       "of the configuration is not read");
      stopped_ = true;
      return;
    }
    if (!budget_.spend(next->size() + 1)) {
      diags_.error(at, "",
                   "expansion makes more than " + std::to_string(budget_.max()) +
                       " bytes of text in all; the rest of the configuration is not read");
      stopped_ = true;
      return;
    }
    // A line made while a definition is open continues it, as in keepalived.
    if (open_definition_) {
      continue_definition(std::move(*next), false);
      continue;
    }
    handle(std::move(*next), false, repeater, emit);
  }
}

void Preprocessor::handle(MappedText line, bool continued, Repeater& repeater, const Emit& emit) {
  continued = decomment(line) || continued;
  const ExpansionLimits expansion{limits_.max_line_bytes, limits_.max_nesting};
  auto push = [&](std::unique_ptr<LineSource> source, const SourceLocation& at) {
    if (repeater.stack.size() >= limits_.max_nesting) {
      diags_.error(at, "",
                   "~SEQ, ~LST and multi-line definitions nested deeper than " +
                       std::to_string(limits_.max_nesting) + " levels; not expanded");
      return;
    }
    repeater.stack.push_back(std::move(source));
  };
  // keepalived reads a line again after an expansion that starts it with
  // '@' or leaves a '$'; an expansion changes it at most a few times.
  for (int pass = 0; pass < 8 && !line.empty(); ++pass) {
    if (line[0] == '@' && !keep_conditional(line)) return;
    if (line.empty()) return;
    if (line[0] == '$' && start_definition(line, continued)) return;
    if (starts_repetition(line.text())) {
      auto source = parse_repetition(line, definitions_, expansion, budget_, diags_);
      if (source) push(std::move(source), line.location(0));
      return;
    }
    if (line[0] == '~' || line.text().find('$') == std::string::npos) break;
    auto expanded = definitions_.expand(line, expansion, budget_, diags_);
    if (expanded.failed) {
      if (budget_.exhausted()) stopped_ = true;
      return;
    }
    for (auto& pending : expanded.pending) {
      SourceLocation at = pending.use;
      push(remaining_lines(std::move(pending)), at);
    }
    if (!expanded.changed) break;
    decomment(line);  // an expansion may bring a comment character
    if (line.empty() || (line[0] != '@' && line.text().find('$') == std::string::npos)) break;
  }
  if (line.empty()) return;
  if (continued) {
    diags_.warning(line.location(line.size()), "\\",
                   "a '\\' ending a line continues only a $NAME= definition (as in keepalived); "
                   "ignored");
  }
  emit(LineRef{line.text(), &line, nullptr, 0});
}

bool Preprocessor::keep_conditional(MappedText& line) {
  const std::string& text = line.text();
  bool negated = text.size() > 1 && text[1] == '^';
  size_t id_start = negated ? 2 : 1;
  size_t blank = text.find_first_of(" \t", id_start);
  // keepalived drops "@ID" with nothing after it.
  if (blank == std::string::npos) return false;
  bool matches = text.compare(id_start, blank - id_start, definitions_.config_id()) == 0;
  if (matches == negated) return false;
  size_t rest = text.find_first_not_of(" \t", blank);
  line.erase(0, rest == std::string::npos ? line.size() : rest);
  return true;
}

bool Preprocessor::start_definition(const MappedText& line, bool continued) {
  const std::string& text = line.text();
  if (text.size() < 2 || text[0] != '$' || !name_start(text[1])) return false;
  size_t end = 2;
  while (end < text.size() && name_char(text[end])) ++end;
  if (end >= text.size() || text[end] != '=') return false;
  auto definition = std::make_shared<Definition>();
  definition->name = text.substr(1, end - 1);
  definition->defined_at = line.location(0);
  size_t value = text.find_first_not_of(" \t", end + 1);
  if (value == std::string::npos) value = text.size();
  if (continued) {
    definition->multiline = true;
    if (value < text.size()) definition->lines.push_back(line.slice(value, text.size()));
    open_definition_ = std::move(definition);
  } else {
    definition->value = text.substr(value);
    definitions_.define(std::move(definition));
  }
  return true;
}

void Preprocessor::continue_definition(MappedText line, bool continued) {
  decomment(line);
  if (!line.empty()) open_definition_->lines.push_back(std::move(line));
  if (!continued) finish_definition();
}

void Preprocessor::finish_definition() {
  if (open_definition_->lines.empty()) open_definition_->multiline = false;
  definitions_.define(std::move(open_definition_));
  open_definition_.reset();
}

std::string default_config_id() {
  utsname name{};
  if (::uname(&name) != 0) return {};
  std::string node = name.nodename;
  return node.substr(0, node.find('.'));
}

}  // namespace keepvip::config::detail
