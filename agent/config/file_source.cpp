#include "config/file_source.h"

#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

#include "common/fd.h"
#include "common/read_file.h"

namespace keepvip::config {
namespace {

// Owns a glob_t filled by ::glob.
class GlobResult {
 public:
  GlobResult() = default;
  GlobResult(const GlobResult&) = delete;
  GlobResult& operator=(const GlobResult&) = delete;
  ~GlobResult() { ::globfree(&g_); }
  glob_t* get() { return &g_; }

 private:
  glob_t g_{};
};

class SystemFileSource final : public FileSource {
 public:
  Result<std::string> read(const std::string& path, size_t max_bytes) const override {
    // O_NONBLOCK: opening a FIFO named by an include must not hang the parser.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd) return last_os_error("open " + path);
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0) return last_os_error("stat " + path);
    if (!S_ISREG(st.st_mode)) return os_error(EINVAL, path + " is not a regular file");
    if (static_cast<size_t>(st.st_size) > max_bytes) {
      return os_error(EFBIG, path + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    return read_to_end(fd.get(), path, max_bytes);
  }

  Result<std::vector<std::string>> glob(const std::string& pattern) const override {
    GlobResult g;
    int rc = ::glob(pattern.c_str(), GLOB_BRACE, nullptr, g.get());
    if (rc == GLOB_NOMATCH) return std::vector<std::string>{};
    if (rc != 0) return os_error(rc == GLOB_NOSPACE ? ENOMEM : EIO, "glob " + pattern);
    std::vector<std::string> paths;
    for (size_t i = 0; i < g.get()->gl_pathc; ++i) paths.emplace_back(g.get()->gl_pathv[i]);
    return paths;
  }

  std::string canonical(const std::string& path) const override {
    std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                         &std::free);
    return resolved ? std::string(resolved.get()) : path;
  }
};

}  // namespace

const FileSource& system_files() {
  static const SystemFileSource source;
  return source;
}

}  // namespace keepvip::config
