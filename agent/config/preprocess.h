// keepalived's preprocessor, applied to each line before it is split into
// words, in keepalived's order:
//   1. the comment is removed;
//   2. "@ID rest" keeps `rest` only when ID is the configuration id, "@^ID
//      rest" only when it is not (keepvipd -i / --config-id; by default the
//      host name up to its first '.', as keepalived);
//   3. "$NAME=VALUE" defines NAME (a trailing '\' continues VALUE on the
//      next line);
//   4. "~SEQ(...) TEXT" and "~LST(...) TEXT" repeat TEXT (sequence.h);
//   5. "$NAME" / "${NAME}" are expanded (definitions.h), and 2-5 run again
//      on the result.
// A line without '@', '$' or '~' and outside a definition passes through
// untouched. Every limit is reported at the line that crossed it.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config/definitions.h"
#include "config/diagnostics.h"
#include "config/file_source.h"
#include "config/include.h"
#include "config/lexer.h"

namespace keepvip::config::detail {

class Preprocessor {
 public:
  using Emit = std::function<void(const LineRef&)>;

  Preprocessor(std::string config_id, const FileSource& files, DiagnosticSink& diags,
               const SourceLimits& limits);
  ~Preprocessor();

  // One line of `file` as read (without its '\n'): calls `emit` for each
  // line that results, in order. `emit` may read included files, which
  // feed their lines here in turn.
  void feed(std::string_view raw, const FileName& file, int line_no, const Emit& emit);

  // A limit was crossed: nothing more is read.
  bool stopped() const { return stopped_; }

 private:
  class Repeater;
  void handle(MappedText line, bool continued, Repeater& repeater, const Emit& emit);
  bool keep_conditional(MappedText& line);
  bool start_definition(const MappedText& line, bool continued);
  void continue_definition(MappedText line, bool continued);
  void finish_definition();

  Definitions definitions_;
  DiagnosticSink& diags_;
  const SourceLimits& limits_;
  ExpansionBudget budget_;
  size_t generated_lines_ = 0;
  std::shared_ptr<Definition> open_definition_;  // a multi-line one, lines still to come
  bool stopped_ = false;
};

// keepalived's default configuration id: the node name up to its first '.'.
std::string default_config_id();

}  // namespace keepvip::config::detail
