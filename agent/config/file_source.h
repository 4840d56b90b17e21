// How the parser reaches files: reading the main file and its includes, and
// expanding include globs. Tests and the fuzzer pass an in-memory source; the
// daemon uses system_files().
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"

namespace keepvip::config {

class FileSource {
 public:
  virtual ~FileSource() = default;
  // The whole content of a regular file; fails on anything larger than max_bytes.
  virtual Result<std::string> read(const std::string& path, size_t max_bytes) const = 0;
  // Existing paths matching a glob pattern (with {a,b} braces), sorted; empty
  // when nothing matches.
  virtual Result<std::vector<std::string>> glob(const std::string& pattern) const = 0;
  // A stable name for `path` (symlinks resolved) used to detect include loops.
  virtual std::string canonical(const std::string& path) const = 0;
};

// The real file system.
const FileSource& system_files();

}  // namespace keepvip::config
