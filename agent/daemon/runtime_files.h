// The agent's files in its runtime directory besides `state` (state_file.h):
//   keepvipd.pid  the running agent's pid, so `keepvipd --stats` can ask it
//                 for counters and `--release` can refuse to act behind a
//                 live agent's back;
//   stats         counters written by the agent on SIGUSR1.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/result.h"

namespace keepvip::daemon {

std::string pid_file_path(const std::string& runtime_dir);
std::string stats_file_path(const std::string& runtime_dir);

Result<> write_pid_file(const std::string& runtime_dir);
void remove_pid_file(const std::string& runtime_dir);
// The pid of a keepvipd still running for this runtime directory, if any.
std::optional<pid_t> running_agent(const std::string& runtime_dir);

}  // namespace keepvip::daemon
