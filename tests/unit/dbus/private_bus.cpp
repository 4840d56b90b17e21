#include "private_bus.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace keepvip::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string make_temp_dir() {
  const char* base = getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/kvbus-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return {};
  return buf.data();
}

void drain_fd(int fd, std::string& into) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    into.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

bool PrivateBus::available() {
  const char* path = getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t pos = 0;;) {
    size_t end = dirs.find(':', pos);
    std::string dir = dirs.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (!dir.empty() && access((dir + "/dbus-daemon").c_str(), X_OK) == 0) return true;
    if (end == std::string::npos) return false;
    pos = end + 1;
  }
}

Result<PrivateBus> PrivateBus::start_session() {
  return start("session",
               "<policy context=\"default\">\n"
               "  <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
               "  <allow eavesdrop=\"true\"/>\n"
               "  <allow own=\"*\"/>\n"
               "</policy>\n");
}

Result<PrivateBus> PrivateBus::start(const std::string& type, const std::string& policy_xml) {
  PrivateBus bus;
  bus.dir_ = make_temp_dir();
  if (bus.dir_.empty()) return last_os_error("create a temporary directory");
  std::string config = bus.dir_ + "/bus.conf";
  {
    std::ofstream f(config);
    f << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
         " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
         "<busconfig>\n"
      << "  <type>" << type << "</type>\n"
      << "  <listen>unix:path=" << bus.dir_ << "/socket</listen>\n"
      << "  <auth>EXTERNAL</auth>\n"
      << policy_xml << "</busconfig>\n";
    if (!f) return last_os_error("write " + config);
  }
  if (auto r = bus.spawn(); !r) return unexpected(r.error());
  return bus;
}

Result<> PrivateBus::spawn() {
  std::string config = dir_ + "/bus.conf";
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) < 0) return last_os_error("pipe");
  pid_t pid = fork();
  if (pid < 0) return last_os_error("fork");
  if (pid == 0) {
    dup2(pipefd[1], 3);
    execlp("dbus-daemon", "dbus-daemon", "--nofork", "--nopidfile", "--print-address=3",
           ("--config-file=" + config).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipefd[1]);
  pid_ = pid;
  std::string line;
  struct pollfd p = {pipefd[0], POLLIN, 0};
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  close(pipefd[0]);
  if (line.find('\n') == std::string::npos) return logic_error("dbus-daemon did not start");
  address_ = line.substr(0, line.find('\n'));
  // Drop the guid: a restarted daemon on the same socket (reconnect tests)
  // has a new one, and sd-bus refuses a server whose guid does not match.
  if (auto guid = address_.find(",guid="); guid != std::string::npos) address_.erase(guid);
  return {};
}

Result<> PrivateBus::restart() {
  kill_daemon();
  unlink((dir_ + "/socket").c_str());
  return spawn();
}

PrivateBus::PrivateBus(PrivateBus&& other) noexcept
    : pid_(other.pid_), dir_(std::move(other.dir_)), address_(std::move(other.address_)) {
  other.pid_ = -1;
  other.dir_.clear();
}

void PrivateBus::kill_daemon() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

PrivateBus::~PrivateBus() {
  kill_daemon();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

bool pump_until(sd_event* loop, const std::function<bool()>& done,
                std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    sd_event_run(loop, 10'000);
  }
  return true;
}

void pump_for(sd_event* loop, std::chrono::milliseconds duration) {
  auto deadline = Clock::now() + duration;
  while (Clock::now() < deadline) sd_event_run(loop, 10'000);
}

ProcessResult run_process(sd_event* loop, const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_env,
                          std::chrono::milliseconds limit) {
  ProcessResult result;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC | O_NONBLOCK) < 0 || pipe2(err, O_CLOEXEC | O_NONBLOCK) < 0)
    return result;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (const auto& kv : extra_env) putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  int status = 0;
  bool exited = pump_until(
      loop,
      [&] {
        drain_fd(out[0], result.out);
        drain_fd(err[0], result.err);
        return waitpid(pid, &status, WNOHANG) == pid;
      },
      limit);
  if (!exited) {
    ::kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  drain_fd(out[0], result.out);
  drain_fd(err[0], result.err);
  close(out[0]);
  close(err[0]);
  if (exited && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace keepvip::testing
