#include "config/program_check.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <vector>

#include "common/fd.h"

namespace keepvip::config {
namespace {

constexpr int kMaxSymlinks = 40;  // the kernel's MAXSYMLINKS

struct Entry {
  std::string path;
  struct stat st;
};

// A path followed the way the kernel resolves it.
struct Walk {
  std::vector<Entry> entries;  // "/", then every entry met, links and their targets included
  std::string resolved;        // the path reached, without symbolic links
  std::string error;           // "" = resolved
  int errnum = 0;
};

std::deque<std::string> components(std::string_view path) {
  std::deque<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  if (parts.empty()) return "/";
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out;
}

std::string user_name(uid_t uid) {
  const struct passwd* pw = ::getpwuid(uid);
  return "uid " + std::to_string(uid) + (pw ? " (" + std::string(pw->pw_name) + ")" : "");
}

// The permission bits that apply to `as` (root may search any directory and
// run any file with an execute bit, as keepalived's is_executable() says).
bool allowed(const struct stat& st, const Account& as, mode_t user_bit, mode_t group_bit,
             mode_t other_bit) {
  if (as.uid == 0) return (st.st_mode & (user_bit | group_bit | other_bit)) != 0;
  if (as.uid == st.st_uid) return (st.st_mode & user_bit) != 0;
  if (as.gid == st.st_gid) return (st.st_mode & group_bit) != 0;
  return (st.st_mode & other_bit) != 0;
}
bool can_search(const struct stat& st, const Account& as) {
  return as.uid == 0 || allowed(st, as, S_IXUSR, S_IXGRP, S_IXOTH);
}
bool can_execute(const struct stat& st, const Account& as) {
  return allowed(st, as, S_IXUSR, S_IXGRP, S_IXOTH);
}

Walk fail(Walk w, int errnum, std::string what) {
  w.errnum = errnum;
  w.error = std::move(what);
  return w;
}

Walk walk(const std::string& absolute, const Account& as) {
  Walk w;
  struct stat st;
  if (::lstat("/", &st) != 0)
    return fail(std::move(w), errno, "/: " + std::string(strerror(errno)));
  w.entries.push_back({"/", st});
  struct stat directory = st;  // the entry reached so far
  bool in_directory = true;
  std::vector<std::string> done;
  std::deque<std::string> todo = components(absolute);
  int links = 0;
  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    if (name == ".") continue;
    if (!in_directory) return fail(std::move(w), ENOTDIR, join(done) + " is not a directory");
    if (!can_search(directory, as))
      return fail(std::move(w), EACCES, join(done) + " is not searchable by " + as.user);
    if (name == "..") {
      if (!done.empty()) done.pop_back();
      if (::lstat(join(done).c_str(), &directory) != 0)
        return fail(std::move(w), errno, join(done) + ": " + strerror(errno));
      continue;
    }
    done.push_back(name);
    std::string here = join(done);
    done.pop_back();
    if (::lstat(here.c_str(), &st) != 0)
      return fail(std::move(w), errno, here + ": " + strerror(errno));
    w.entries.push_back({here, st});
    if (S_ISLNK(st.st_mode)) {
      if (++links > kMaxSymlinks) return fail(std::move(w), ELOOP, here + ": " + strerror(ELOOP));
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlink(here.c_str(), target.data(), target.size());
      if (n < 0) return fail(std::move(w), errno, here + ": " + strerror(errno));
      target.resize(static_cast<size_t>(n));
      if (target.starts_with('/')) {
        done.clear();
        if (::lstat("/", &directory) != 0)
          return fail(std::move(w), errno, "/: " + std::string(strerror(errno)));
      }
      auto more = components(target);
      todo.insert(todo.begin(), more.begin(), more.end());
      continue;
    }
    done.push_back(name);
    in_directory = S_ISDIR(st.st_mode);
    directory = st;
  }
  w.resolved = join(done);
  return w;
}

// keepalived's check_security() test for one entry.
std::optional<std::string> unsafe_entry(const Entry& e) {
  const struct stat& st = e.st;
  if (st.st_uid != 0) return e.path + " is owned by " + user_name(st.st_uid);
  // With the sticky bit only an entry's owner may replace it; a symbolic
  // link's own mode means nothing.
  bool guarded = S_ISREG(st.st_mode) || (S_ISDIR(st.st_mode) && !(st.st_mode & S_ISVTX));
  if (guarded && st.st_gid != 0 && (st.st_mode & S_IWGRP))
    return e.path + " is writable by group gid " + std::to_string(st.st_gid);
  if (guarded && (st.st_mode & S_IWOTH)) return e.path + " is writable by every user";
  return std::nullopt;
}

bool runs_as_root(const struct stat& st, const Account& as) {
  bool setuid_root = st.st_uid == 0 && (st.st_mode & S_ISUID) && (st.st_mode & S_IXUSR);
  bool setgid_root = st.st_gid == 0 && (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP);
  return as.uid == 0 || as.gid == 0 || setuid_root || setgid_root;
}

std::string absolute(const std::string& path, const std::string& cwd) {
  return path.starts_with('/') ? path : cwd + "/" + path;
}

}  // namespace

bool starts_as_executable(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) return true;
  char head[4] = {};
  ssize_t n = ::read(fd.get(), head, sizeof head);
  if (n < 0) return true;
  std::string_view start(head, static_cast<size_t>(n));
  return start.starts_with("#!") || start == std::string_view(
                                                 "\x7f"
                                                 "ELF",
                                                 4);
}

ProgramReport inspect_program(const std::string& first_word, const Account& as,
                              std::string_view search_path, const std::string& cwd) {
  ProgramReport report;
  if (first_word.empty()) {
    report.unusable = "empty command";
    return report;
  }
  std::string program;
  std::optional<Walk> chosen;
  struct stat st;
  if (first_word.find('/') == std::string::npos) {
    // execvp()'s search: an empty PATH entry is the current directory.
    bool denied = false;
    size_t start = 0;
    while (!chosen && start <= search_path.size()) {
      size_t colon = search_path.find(':', start);
      if (colon == std::string_view::npos) colon = search_path.size();
      std::string dir(search_path.substr(start, colon - start));
      start = colon + 1;
      std::string candidate = absolute(dir.empty() ? cwd : dir, cwd) + "/" + first_word;
      Walk w = walk(candidate, as);
      if (!w.error.empty()) {
        denied |= w.errnum == EACCES;
        continue;
      }
      if (::lstat(w.resolved.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !can_execute(st, as)) {
        denied = true;
        continue;
      }
      program = candidate;
      chosen = std::move(w);
    }
    if (!chosen) {
      report.unusable =
          denied ? "no '" + first_word + "' in PATH that " + as.user + " may run"
                 : "'" + first_word + "' is not in PATH (" + std::string(search_path) + ")";
      return report;
    }
    report.found_in_path = true;
  } else {
    program = absolute(first_word, cwd);
    Walk w = walk(program, as);
    if (!w.error.empty()) {
      report.unusable = "cannot be reached: " + w.error;
      return report;
    }
    chosen = std::move(w);
    if (::lstat(chosen->resolved.c_str(), &st) != 0) {
      report.unusable = chosen->resolved + ": " + strerror(errno);
      return report;
    }
  }
  if (!S_ISREG(st.st_mode)) {
    report.unusable = chosen->resolved + " is not a regular file";
    return report;
  }
  if (!can_execute(st, as)) {
    report.unusable = program + " is not executable by " + as.user + " (uid:gid " +
                      std::to_string(as.uid) + ":" + std::to_string(as.gid) + ")";
    return report;
  }
  report.program = program;
  report.needs_shell = !starts_as_executable(chosen->resolved);
  report.runs_as_root = runs_as_root(st, as);
  if (report.runs_as_root) {
    for (const auto& entry : chosen->entries) {
      if (auto why = unsafe_entry(entry)) {
        report.unsafe = *why;
        break;
      }
    }
  }
  return report;
}

}  // namespace keepvip::config
