#include "daemon/scripts/process_tree.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "common/fd.h"

namespace keepvip::daemon {
namespace {

// Deeper than any real process tree; bounds the walk if /proc changes under it.
constexpr int kMaxDepth = 4096;

struct ProcStat {
  pid_t ppid = 0;
  uint64_t start_time = 0;  // clock ticks since boot: with the pid, one process ever
};

// "/proc/<pid>/stat" into `out` (NUL-terminated).
void stat_path(pid_t pid, char (&out)[32]) {
  char digits[16];
  int n = 0;
  for (auto v = static_cast<uint32_t>(pid); n == 0 || v != 0; v /= 10)
    digits[n++] = static_cast<char>('0' + v % 10);
  const char prefix[] = "/proc/";
  const char suffix[] = "/stat";
  int at = 0;
  for (const char* p = prefix; *p;) out[at++] = *p++;
  while (n > 0) out[at++] = digits[--n];
  for (const char* p = suffix; *p;) out[at++] = *p++;
  out[at] = '\0';
}

// Fields after the command name, which is in parentheses and may hold
// anything (spaces, ')'): the last ')' ends it.
bool read_stat(pid_t pid, ProcStat& stat) {
  char path[32];
  stat_path(pid, path);
  char buffer[1024];
  ssize_t n = 0;
  {
    UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd) return false;
    n = ::read(fd.get(), buffer, sizeof buffer - 1);
  }
  if (n <= 0) return false;
  buffer[n] = '\0';
  const char* p = nullptr;
  for (ssize_t i = n - 1; i >= 0 && !p; --i)
    if (buffer[i] == ')') p = buffer + i + 1;
  if (!p) return false;
  // Field 3 is the state; ppid is field 4, starttime field 22.
  int field = 2;
  uint64_t value = 0;
  bool in_number = false;
  for (;; ++p) {
    char c = *p;
    if (c == ' ' || c == '\0' || c == '\n') {
      if (in_number) {
        if (field == 4) stat.ppid = static_cast<pid_t>(value);
        if (field == 22) {
          stat.start_time = value;
          return true;
        }
      }
      if (c != ' ') return false;
      ++field;
      value = 0;
      in_number = false;
      continue;
    }
    if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<uint64_t>(c - '0');
      in_number = true;
    }
  }
}

bool descends_from(pid_t parent, pid_t ancestor) {
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (parent == ancestor) return true;
    if (parent <= 1) return false;
    ProcStat up;
    if (!read_stat(parent, up)) return false;
    parent = up.ppid;
  }
  return false;
}

// Signals `pid` only if it is still the process read from /proc.
bool signal_same_process(pid_t pid, const ProcStat& seen, pid_t self, int signo) {
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) {
    // Kernels before 5.3: only our own children are safe to signal by pid
    // (their pid cannot be reused before we reap them); the others come to
    // us as orphans and are signalled in a later round.
    return errno == ENOSYS && seen.ppid == self && ::kill(pid, signo) == 0;
  }
  ProcStat now;
  bool same = read_stat(pid, now) && now.start_time == seen.start_time;
  return same && ::syscall(SYS_pidfd_send_signal, pidfd.get(), signo, nullptr, 0) == 0;
}

bool parse_pid(const char* name, pid_t& pid) {
  int64_t value = 0;
  if (*name == '\0') return false;
  for (; *name; ++name) {
    if (*name < '0' || *name > '9') return false;
    value = value * 10 + (*name - '0');
    if (value > INT32_MAX) return false;
  }
  pid = static_cast<pid_t>(value);
  return true;
}

struct DirEntry64 {
  uint64_t inode;
  int64_t offset;
  unsigned short length;
  unsigned char type;
  char name[1];
};

}  // namespace

int signal_descendants(int signo) {
  const pid_t self = ::getpid();
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc) return 0;
  int signalled = 0;
  alignas(8) char buffer[8192];
  for (;;) {
    long n = ::syscall(SYS_getdents64, proc.get(), buffer, sizeof buffer);
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      const auto* entry = reinterpret_cast<const DirEntry64*>(buffer + at);
      at += entry->length;
      pid_t pid = 0;
      if (!parse_pid(entry->name, pid) || pid == self) continue;
      ProcStat stat;
      if (!read_stat(pid, stat) || !descends_from(stat.ppid, self)) continue;
      if (signal_same_process(pid, stat, self, signo)) ++signalled;
    }
  }
  return signalled;
}

bool reap_children(pid_t main, int* main_status, bool* main_reaped) {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      if (pid == main) {
        *main_status = status;
        *main_reaped = true;
      }
      continue;
    }
    return pid < 0 && errno == ECHILD;
  }
}

}  // namespace keepvip::daemon
