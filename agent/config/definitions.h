// keepalived's parameter substitution: "$NAME=VALUE" definitions (also over
// several lines), the predefined ones (${_PWD}, ${_INSTANCE}, ${_RANDOM},
// ${_HASH}, ${_BANG}) and the expansion of "$NAME" and "${NAME}" in a line.
//
// As in keepalived, replaced text is scanned again, so a value may use other
// definitions, and "$NAME" is replaced only before a blank, ',' or ')' or at
// the end of the line ("${NAME}" anywhere). Unlike keepalived, a definition
// that refers to itself, or text that grows past the line or expansion
// limits, is an error at the place of use instead of a hang.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/mapped_text.h"

namespace keepvip::config::detail {

struct Definition {
  std::string name;
  SourceLocation defined_at;  // the '$' of "$NAME=" (or the ~SEQ / ~LST)
  bool multiline = false;
  std::string value;              // one line
  std::vector<MappedText> lines;  // multi-line: every non-empty line, comments removed
};

// The rest of a multi-line definition expanded at the end of a line: read
// after that line, line by line.
struct PendingLines {
  std::shared_ptr<const Definition> definition;
  SourceLocation use;               // where it was used (with the use's own note)
  std::vector<std::string> inside;  // definitions it is expanded inside of, its own last
};

// The origin of a line of the multi-line definition `name` used at `use`:
// reported at the use, noting the line of the definition it came from.
TextOrigin definition_line_origin(const SourceLocation& use, const std::string& name,
                                  const MappedText& line, std::vector<std::string> inside);

// Work that expansion may do over the whole configuration, so that no
// definition, however nested, costs more than a bounded amount of CPU and
// memory.
class ExpansionBudget {
 public:
  explicit ExpansionBudget(size_t max_bytes) : left_(max_bytes), max_(max_bytes) {}
  // Takes `bytes` from the budget; false (and nothing taken) once it is spent.
  bool spend(size_t bytes);
  size_t max() const { return max_; }
  bool exhausted() const { return left_ == 0; }

 private:
  size_t left_;
  size_t max_;
};

struct ExpansionLimits {
  size_t max_line_bytes;
  size_t max_nesting;  // definitions expanded inside one another
};

// What one expansion costs of the budget besides its text: the bookkeeping
// of where its text came from. An empty value is not free.
inline constexpr size_t kExpansionCost = 64;

class Definitions {
 public:
  // `directory_of(file)` is ${_PWD} for a use in `file`.
  Definitions(std::string config_id, std::function<std::string(const std::string&)> directory_of);

  void define(std::shared_ptr<const Definition> definition);
  const std::string& config_id() const { return config_id_; }

  struct Expanded {
    bool changed = false;
    bool failed = false;                // reported; the line is not to be used
    std::vector<PendingLines> pending;  // read next, the last one first
  };
  // Expands every reference to a definition in `line`. References to
  // nothing defined stay as written (scripts use '$' of their own).
  Expanded expand(MappedText& line, const ExpansionLimits& limits, ExpansionBudget& budget,
                  DiagnosticSink& diags) const;

 private:
  struct Value;
  bool lookup(std::string_view name, std::string_view params, const SourceLocation& use,
              Value& value) const;

  std::string config_id_;
  std::function<std::string(const std::string&)> directory_of_;
  std::map<std::string, std::shared_ptr<const Definition>, std::less<>> user_;
};

}  // namespace keepvip::config::detail
