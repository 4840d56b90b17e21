// The agent's runtime directory and the files in it besides `state`
// (state_file.h):
//   keepvipd.pid  the running agent's pid, so `keepvipd --stats` can ask it
//                 for counters and `--release` can refuse to act behind a
//                 live agent's back;
//   stats, keepalived.data, keepalived.stats, keepalived.json  what the
//                 agent writes on SIGUSR1/SIGUSR2/SIGRTMIN+2 (dump_files.h,
//                 keepalived_dumps.h).
//
// The directory is trusted: `--release` removes the addresses and stops the
// units its state file names, as root. So a directory that someone else could
// have written into is refused (a symlink, another owner, group- or
// other-writable), files are never opened through a symlink, and every file
// is replaced atomically (common/atomic_file.h), so a reader never sees half a
// file and nobody can plant a link at the temp name.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace keepvip::daemon {

std::string pid_file_path(const std::string& runtime_dir);
std::string stats_file_path(const std::string& runtime_dir);

// Creates the directory (mode 0750) when it does not exist, then checks it
// as check_runtime_dir() does.
Result<> prepare_runtime_dir(const std::string& runtime_dir);
// Fails, saying why, unless `runtime_dir` is a real directory (not a
// symlink) owned by our effective uid and writable by nobody else.
Result<> check_runtime_dir(const std::string& runtime_dir);

// The content of a regular file owned by our effective uid, opened without
// following a symlink; at most `max_bytes`.
Result<std::string> read_own_file(const std::string& path, size_t max_bytes);

Result<> write_pid_file(const std::string& runtime_dir);
void remove_pid_file(const std::string& runtime_dir);

// The runtime directory as this agent's own while it runs: prepared, no other
// keepvipd running for it, our pid file written; the pid file goes (if still
// ours) when the claim does.
class RuntimeDirClaim {
 public:
  static Result<RuntimeDirClaim> claim(const std::string& runtime_dir);
  RuntimeDirClaim(RuntimeDirClaim&& other) noexcept : dir_(std::exchange(other.dir_, {})) {}
  RuntimeDirClaim& operator=(RuntimeDirClaim&&) = delete;
  RuntimeDirClaim(const RuntimeDirClaim&) = delete;
  ~RuntimeDirClaim();

 private:
  explicit RuntimeDirClaim(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;  // empty: moved from
};
// The pid of a keepvipd still running for this runtime directory, if any.
std::optional<pid_t> running_agent(const std::string& runtime_dir);

}  // namespace keepvip::daemon
