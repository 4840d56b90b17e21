// An in-memory FileSource for parser tests: files are a map from path to
// content; glob understands '*' within one path component, which is all the
// tests need.
#pragma once

#include <fnmatch.h>

#include <cerrno>
#include <map>
#include <string>
#include <vector>

#include "config/file_source.h"

namespace keepvip::config::testing {

class MemoryFiles final : public FileSource {
 public:
  void add(const std::string& path, std::string content) { files_[path] = std::move(content); }

  Result<std::string> read(const std::string& path, size_t max_bytes) const override {
    auto found = files_.find(path);
    if (found == files_.end()) return os_error(ENOENT, "open " + path);
    if (found->second.size() > max_bytes) return os_error(EFBIG, path + " is too large");
    return found->second;
  }

  Result<std::vector<std::string>> glob(const std::string& pattern) const override {
    std::vector<std::string> out;
    for (const auto& [path, content] : files_) {
      if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) out.push_back(path);
    }
    return out;
  }

  std::string canonical(const std::string& path) const override { return path; }

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace keepvip::config::testing
