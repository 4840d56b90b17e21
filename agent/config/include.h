// Reads a configuration and everything it includes into one token stream,
// each line through keepalived's preprocessor (preprocess.h) first.
// "include PATTERN" may stand at the start of any statement, inside blocks
// too (keepalived treats it as text substitution). A relative PATTERN is
// resolved against the directory of the file that contains the include;
// globs ("conf.d/*.conf", "{a,b}.conf") expand in sorted order. The
// expansion is done line by line, so no file's tokens are held twice.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/file_source.h"
#include "config/lexer.h"

namespace keepvip::config::detail {

// Bounds that keep a hostile or broken configuration from exhausting memory.
// With them, reading the largest configuration allowed costs well under
// 200 MB and a fraction of a second (tests/unit/config/resource_bounds_test.cpp),
// so a reload can parse on the event loop without stalling it past the
// watchdog.
struct SourceLimits {
  size_t max_file_bytes = 1 << 20;   // one file
  size_t max_total_bytes = 4 << 20;  // all files together
  size_t max_files = 256;            // files read, the main one included
  size_t max_include_depth = 8;      // nested includes below the main file
  // Words, braces and line ends in all files together. Every token costs a
  // fixed ~64 bytes plus its text, twice while the syntax tree is built; a
  // real configuration has a few thousand.
  size_t max_tokens = 1 << 19;
  // Files one include pattern may name through {a,b} alternatives: glob
  // expands "{a,b}{c,d}..." into every combination before matching any.
  size_t max_brace_expansion = 256;
  // The preprocessor (preprocess.h): one line after $NAME expansion, the
  // text all expansions and repetitions make together (an expansion costs
  // its length plus 64, a made line its length plus one), the lines ~SEQ,
  // ~LST and multi-line definitions make, and how deep definitions and
  // repetitions may nest.
  size_t max_line_bytes = 1 << 16;
  size_t max_expanded_bytes = 1 << 24;
  size_t max_generated_lines = 1 << 19;
  size_t max_nesting = 32;
};

struct LoadedSource {
  std::vector<Token> tokens;
  std::vector<std::string> files;  // every file read, in reading order
};

// How many patterns "{a,b}{c,{d,e}}" brace expansion makes of `pattern`
// (6 here), saturating at `limit` + 1. Unbalanced braces count as text, as
// glob(3) treats them.
size_t brace_expansion_count(std::string_view pattern, size_t limit);

// `text` is the main file's content, `file_name` its name; `config_id`
// selects the "@ID" lines that apply (preprocess.h).
LoadedSource load_source(std::string_view text, const std::string& file_name,
                         const FileSource& files, DiagnosticSink& diags,
                         const SourceLimits& limits = {}, const std::string& config_id = "");

}  // namespace keepvip::config::detail
