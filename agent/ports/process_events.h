// What vrrp_track_process hears from the kernel, as a port: the running
// processes once (a scan) and then their exec, exit, fork and rename
// events. The composition root gives the BPF source
// (agent/procwatch/bpf_process_events.h); unit tests give a fake.
// Process ids are as keepvipd's pid namespace numbers them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace keepvip::ports {

struct ProcessEvent {
  enum class Kind { Exec, Exit, Fork, Rename };
  Kind kind = Kind::Exec;
  int32_t pid = 0;
  int32_t parent = 0;   // Fork: the parent process
  std::string comm;     // the name (/proc/PID/comm); Rename: the new one
  std::string cmdline;  // Exec: argv as /proc/PID/cmdline has it (NUL after each), bounded
};

struct RunningProcess {
  int32_t pid = 0;
  std::string comm;
  std::string cmdline;
};

// What the kernel side saw and passed on (the filter's effect), and what it
// had no room for.
struct ProcessEventCounters {
  uint64_t exec_seen = 0, exec_sent = 0;
  uint64_t exit_seen = 0, exit_sent = 0;
  uint64_t fork_seen = 0, fork_sent = 0;
  uint64_t rename_seen = 0, rename_sent = 0;
  uint64_t lost = 0;
};

class ProcessEvents {
 public:
  virtual ~ProcessEvents() = default;
  // The names whose processes matter: comm values and argv[0] values. Only
  // events of processes that have (or had, or descend from one that had)
  // one of them are passed on.
  virtual Result<> watch_names(const std::vector<std::string>& names) = 0;
  // Every process running now (zombies left out).
  virtual Result<std::vector<RunningProcess>> scan() = 0;
  // Readable when events wait.
  virtual int fd() const = 0;
  // Takes up to `max` waiting events, oldest first.
  virtual std::vector<ProcessEvent> take(size_t max) = 0;
  virtual ProcessEventCounters counters() const = 0;
};

}  // namespace keepvip::ports
