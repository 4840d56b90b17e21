// Shared by the parser tests: parse a text held in memory, and print the
// diagnostics of a result for a failing expectation.
#pragma once

#include <string>

#include "config/parser.h"
#include "memory_files.h"

namespace keepvip::config::testing {

// `text` as the file "t.conf", with configuration id `id`; includes reach `files`.
inline ParseResult parse(const std::string& text, const std::string& id = "main",
                         const MemoryFiles& files = {}) {
  return parse_text(text, "t.conf", ParseOptions{{}, id}, files);
}

inline std::string dump(const ParseResult& r) {
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  return all;
}

}  // namespace keepvip::config::testing
