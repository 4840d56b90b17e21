// Lines the preprocessor makes instead of reading them: keepalived's
// "~SEQ(VAR, START, STEP, END) TEXT" and "~LST(VAR, A, B, ...) TEXT" repeat
// TEXT with VAR defined to each value in turn, and a multi-line definition
// expanded at the end of a line gives its remaining lines.
#pragma once

#include <memory>
#include <optional>

#include "config/definitions.h"
#include "config/diagnostics.h"
#include "config/mapped_text.h"

namespace keepvip::config::detail {

class LineSource {
 public:
  virtual ~LineSource() = default;
  // The next line, after defining what it uses; nullopt when done.
  virtual std::optional<MappedText> next(Definitions& definitions) = 0;
};

// `line` starts with "~SEQ" or "~LST" (comments removed). Reports what is
// wrong with it and returns null then.
std::unique_ptr<LineSource> parse_repetition(const MappedText& line, Definitions& definitions,
                                             const ExpansionLimits& limits, ExpansionBudget& budget,
                                             DiagnosticSink& diags);

std::unique_ptr<LineSource> remaining_lines(PendingLines pending);

}  // namespace keepvip::config::detail
