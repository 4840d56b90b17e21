#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "common/fd.h"

namespace keepvip {
namespace {

// A name nobody can guess in advance, so no one can plant a symlink there
// (O_EXCL refuses one anyway; this keeps a planted one from blocking us).
std::string temp_name_for(const std::string& path) {
  uint64_t random = 0;
  if (::getrandom(&random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
    random = static_cast<uint64_t>(getpid()) << 32 ^ static_cast<uint64_t>(time(nullptr));
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%016llx", static_cast<unsigned long long>(random));
  return path + suffix + ".tmp";
}

Result<> write_all(int fd, std::string_view content, const std::string& name) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_os_error("write " + name);
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Result<> write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
  std::string temp = temp_name_for(path);
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd) return last_os_error("create " + temp);
  auto fail = [&](Unexpected<Error> error) -> Result<> {
    ::unlink(temp.c_str());
    return error;
  };
  // The umask may have taken bits away; the mode is what was asked for.
  if (::fchmod(fd.get(), mode) != 0) return fail(last_os_error("chmod " + temp));
  if (auto r = write_all(fd.get(), content, temp); !r) return fail(unexpected(r.error()));
  // Without it a crash right after the rename can leave an empty file behind
  // the new name, and --release would then find no record.
  if (::fsync(fd.get()) != 0) return fail(last_os_error("fsync " + temp));
  if (::close(fd.release()) != 0) return fail(last_os_error("close " + temp));
  // rename() replaces whatever is at `path`, a symlink included, and never
  // follows it.
  if (::rename(temp.c_str(), path.c_str()) != 0)
    return fail(last_os_error("rename " + temp + " to " + path));
  return {};
}

}  // namespace keepvip
