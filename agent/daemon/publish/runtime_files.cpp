#include "daemon/publish/runtime_files.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>

#include "common/atomic_file.h"
#include "common/fd.h"
#include "common/read_file.h"
#include "daemon/publish/dump_files.h"

namespace keepvip::daemon {
namespace {

std::string describe_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

std::string pid_file_path(const std::string& runtime_dir) {
  return runtime_dir + "/keepvipd.pid";
}
std::string stats_file_path(const std::string& runtime_dir) {
  return runtime_dir + "/" + kStatsFile;
}

Result<> prepare_runtime_dir(const std::string& runtime_dir) {
  if (::mkdir(runtime_dir.c_str(), 0750) != 0 && errno != EEXIST)
    return last_os_error("create runtime directory " + runtime_dir);
  return check_runtime_dir(runtime_dir);
}

Result<> check_runtime_dir(const std::string& runtime_dir) {
  UniqueFd dir(::open(runtime_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) {
    if (errno == ELOOP || errno == ENOTDIR)
      return os_error(errno, "runtime directory " + runtime_dir +
                                 " is a symlink or not a directory: refusing to use it");
    return last_os_error("open runtime directory " + runtime_dir);
  }
  struct stat st {};
  if (::fstat(dir.get(), &st) != 0) return last_os_error("stat " + runtime_dir);
  if (st.st_uid != ::geteuid())
    return os_error(EPERM, "runtime directory " + runtime_dir + " is owned by uid " +
                               std::to_string(st.st_uid) + ", not by keepvipd's uid " +
                               std::to_string(::geteuid()) + ": refusing to use it");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return os_error(EPERM, "runtime directory " + runtime_dir + " has mode " +
                               describe_mode(st.st_mode) +
                               ", writable by others: refusing to use it (chmod go-w)");
  return {};
}

Result<std::string> read_own_file(const std::string& path, size_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    if (errno == ELOOP) return os_error(ELOOP, path + " is a symlink: not read");
    return last_os_error("open " + path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return last_os_error("stat " + path);
  if (!S_ISREG(st.st_mode)) return os_error(EINVAL, path + " is not a regular file: not read");
  if (st.st_uid != ::geteuid())
    return os_error(EPERM, path + " is owned by uid " + std::to_string(st.st_uid) +
                               ", not by keepvipd's: not read");
  if (static_cast<size_t>(st.st_size) > max_bytes)
    return os_error(EFBIG, path + " is larger than " + std::to_string(max_bytes) + " bytes");
  return read_to_end(fd.get(), path, max_bytes);
}

Result<> write_pid_file(const std::string& runtime_dir) {
  return write_file_atomically(pid_file_path(runtime_dir), std::to_string(getpid()) + "\n", 0644);
}

void remove_pid_file(const std::string& runtime_dir) {
  // Only our own: a newer agent may have taken the directory over.
  auto pid = running_agent(runtime_dir);
  if (pid && *pid == getpid()) ::unlink(pid_file_path(runtime_dir).c_str());
}

Result<RuntimeDirClaim> RuntimeDirClaim::claim(const std::string& runtime_dir) {
  if (auto r = prepare_runtime_dir(runtime_dir); !r) return unexpected(r.error());
  if (auto pid = running_agent(runtime_dir))
    return logic_error("another keepvipd (pid " + std::to_string(*pid) + ") uses " + runtime_dir +
                       "; give each agent its own --runtime-dir");
  if (auto r = write_pid_file(runtime_dir); !r) return unexpected(r.error());
  return RuntimeDirClaim(runtime_dir);
}

RuntimeDirClaim::~RuntimeDirClaim() {
  if (!dir_.empty()) remove_pid_file(dir_);
}

std::optional<pid_t> running_agent(const std::string& runtime_dir) {
  auto text = read_own_file(pid_file_path(runtime_dir), 64);
  if (!text) return std::nullopt;
  pid_t pid = 0;
  for (char c : *text) {
    if (c == '\n') break;
    if (c < '0' || c > '9' || pid > 4'000'000) return std::nullopt;
    pid = pid * 10 + (c - '0');
  }
  if (pid <= 0) return std::nullopt;
  if (kill(pid, 0) != 0 && errno != EPERM) return std::nullopt;
  // A recycled pid belongs to some other program: check the name.
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  if (!std::getline(comm, name) || name != "keepvipd") return std::nullopt;
  // A killed agent not yet reaped by its parent is a zombie: not running.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z')
    return std::nullopt;
  return pid;
}

}  // namespace keepvip::daemon
