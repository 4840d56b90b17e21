// Network namespaces for privileged tests, owned RAII-style: each Netns is
// created in its constructor and deleted in its destructor, so a failing
// assertion still cleans up. Names are kvnet-<pid>-<tag>; namespaces left
// behind by a crashed run (their pid is gone) are removed at the next start.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/fd.h"
#include "common/ip_address.h"
#include "net/mac_address.h"

namespace keepvip::net::testing {

// Why privileged tests cannot run here, or nullopt when they can.
std::optional<std::string> netns_unavailable_reason();

class Netns {
 public:
  explicit Netns(const std::string& tag);
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  const std::string& name() const { return name_; }
  bool created() const { return created_; }
  // Runs `ip -n <name> <args>`; true on exit status 0.
  bool ip(const std::string& args) const;
  // Runs `ip netns exec <name> <command>`; true on exit status 0.
  bool exec(const std::string& command) const;
  // Runs fn with this thread inside the namespace; sockets opened by fn stay
  // in it. The thread is back in its own namespace afterwards.
  void inside(const std::function<void()>& fn) const;

 private:
  std::string name_;
  bool created_ = false;
};

// Two hosts on one wire: namespaces "a" and "b", veth kva (in a) <-> kvb
// (in b), fixed MACs, 192.0.2.1/24 and 192.0.2.2/24, both up, with their
// IPv6 link-local addresses usable. `error` says what failed, if anything.
struct TwoHosts {
  static constexpr MacAddress kMacA{0x02, 0, 0, 0, 0, 0x0a};
  static constexpr MacAddress kMacB{0x02, 0, 0, 0, 0, 0x0b};

  Netns a{"a"};
  Netns b{"b"};
  std::string error;  // empty when the lab is ready
  int ifindex_a = 0;
  int ifindex_b = 0;
  IpAddress link_local_a;
  IpAddress link_local_b;

  TwoHosts();
};

// A directory under $TMPDIR (or /tmp), removed with its contents at the end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A child running `argv`, stdout and stderr to `log_path`. The destructor
// sends SIGTERM, waits up to 3 s, then SIGKILLs: nothing outlives the test.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  bool started() const { return pid_ > 0; }
  bool running();  // false once it has exited

 private:
  int pid_ = -1;
};

// Runs a shell command (output discarded); true on exit status 0.
bool run(const std::string& command);

// Waits until fd is readable; false after `timeout`.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

}  // namespace keepvip::net::testing
