// Reads a configuration and everything it includes into one token stream.
// "include PATTERN" may stand at the start of any statement, inside blocks
// too (keepalived treats it as text substitution). A relative PATTERN is
// resolved against the directory of the file that contains the include;
// globs ("conf.d/*.conf", "{a,b}.conf") expand in sorted order.
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
struct SourceLimits {
  size_t max_file_bytes = 1 << 20;   // one file
  size_t max_total_bytes = 4 << 20;  // all files together
  size_t max_files = 256;            // files read, the main one included
  size_t max_include_depth = 8;      // nested includes below the main file
};

struct LoadedSource {
  std::vector<Token> tokens;
  std::vector<std::string> files;  // every file read, in reading order
};

// `text` is the main file's content, `file_name` its name.
LoadedSource load_source(std::string_view text, const std::string& file_name,
                         const FileSource& files, DiagnosticSink& diags,
                         const SourceLimits& limits = {});

}  // namespace keepvip::config::detail
