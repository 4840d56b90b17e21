#include "netns_lab.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/netlink.h"

namespace keepvip::net::testing {

namespace {

constexpr const char* kPrefix = "kvnet-";

// Deletes kvnet-<pid>-* namespaces whose pid no longer runs.
void remove_stale_namespaces() {
  DIR* dir = ::opendir("/run/netns");
  if (!dir) return;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name.rfind(kPrefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      run("ip netns del " + name);
  }
  ::closedir(dir);
}

}  // namespace

bool run(const std::string& command) {
  std::string quiet = command + " >/dev/null 2>&1";
  return std::system(quiet.c_str()) == 0;
}

std::optional<std::string> netns_unavailable_reason() {
  if (::geteuid() != 0) return "needs root to create network namespaces";
  if (!run("ip -V")) return "needs iproute2 (ip)";
  static bool cleaned = false;
  if (!cleaned) {
    remove_stale_namespaces();
    cleaned = true;
  }
  std::string probe = std::string(kPrefix) + std::to_string(::getpid()) + "-probe";
  if (!run("ip netns add " + probe))
    return "cannot create network namespaces (ip netns add failed)";
  run("ip netns del " + probe);
  return std::nullopt;
}

Netns::Netns(const std::string& tag)
    : name_(std::string(kPrefix) + std::to_string(::getpid()) + "-" + tag) {
  created_ = run("ip netns add " + name_);
  if (!created_) return;
  // No DAD in the lab: link-local and test addresses are usable at once.
  exec("sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0");
  ip("link set lo up");
}

Netns::~Netns() {
  if (created_) run("ip netns del " + name_);
}

bool Netns::ip(const std::string& args) const {
  return run("ip -n " + name_ + " " + args);
}

bool Netns::exec(const std::string& command) const {
  return run("ip netns exec " + name_ + " " + command);
}

void Netns::inside(const std::function<void()>& fn) const {
  UniqueFd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  UniqueFd target(::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC));
  if (!home || !target) throw std::runtime_error("cannot open the namespaces of " + name_);
  if (::setns(target.get(), CLONE_NEWNET) != 0) throw std::runtime_error("cannot enter " + name_);
  struct ComeBack {
    int fd;
    ~ComeBack() {
      // Not coming back would run every later test in the wrong namespace.
      if (::setns(fd, CLONE_NEWNET) != 0) std::abort();
    }
  } come_back{home.get()};
  fn();
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1 && (p.revents & POLLIN);
}

}  // namespace keepvip::net::testing

namespace keepvip::net::testing {

namespace {

// Reads a link's index and its link-local address from inside the namespace,
// waiting for the address (it appears once the link has carrier).
bool read_link(const Netns& ns, const char* ifname, int& ifindex, IpAddress& link_local) {
  bool ok = false;
  ns.inside([&] {
    auto netlink = Netlink::open();
    if (!netlink) return;
    auto index = netlink->interface_index(ifname);
    if (!index) return;
    ifindex = *index;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto address = netlink->primary_address(ifindex, Family::V6)) {
        link_local = *address;
        ok = true;
        return;
      }
      ::usleep(20'000);
    }
  });
  return ok;
}

}  // namespace

TwoHosts::TwoHosts() {
  if (!a.created() || !b.created()) {
    error = "cannot create the namespaces";
    return;
  }
  // Created inside a with its peer sent straight to b: nothing appears in
  // the host's namespace, so parallel test runs cannot collide on names.
  if (!a.ip("link add kva address " + to_string(kMacA) + " type veth peer name kvb address " +
            to_string(kMacB) + " netns " + b.name()) ||
      !a.ip("addr add 192.0.2.1/24 dev kva") || !b.ip("addr add 192.0.2.2/24 dev kvb") ||
      !a.ip("link set kva up") || !b.ip("link set kvb up")) {
    error = "cannot set up the veth pair";
    return;
  }
  if (!read_link(a, "kva", ifindex_a, link_local_a) ||
      !read_link(b, "kvb", ifindex_b, link_local_b)) {
    error = "the veth pair did not get its link-local addresses";
  }
}

}  // namespace keepvip::net::testing

namespace keepvip::net::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/kvnet-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data())) path_ = buffer.data();
}

TempDir::~TempDir() {
  if (!path_.empty()) run("rm -rf '" + path_ + "'");
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log >= 0) {
      ::dup2(log, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
    }
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  pid_ = pid;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  if (::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
  return pid_ > 0;
}

ChildProcess::~ChildProcess() {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 300; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    ::usleep(10'000);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

}  // namespace keepvip::net::testing
