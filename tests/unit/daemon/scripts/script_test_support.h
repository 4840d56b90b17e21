// Real scripts on a real sd-event loop, for the tests of ChildProcess,
// ScriptRunner and NotifyRunner: a temporary directory the scripts write
// into, SIGCHLD blocked (sd-event child sources need it before the first
// fork), loop runs bounded in time, and every process a test learns about
// killed at the end, even when the test failed half-way.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "config/command_line.h"
#include "config/config.h"
#include "daemon/loop/event_loop.h"

namespace keepvip::daemon::testing {

using namespace std::chrono_literals;

// A script settled to run as the test process itself.
inline config::ResolvedScript as_self(const std::string& command) {
  auto argv = config::split_command_line(command);
  EXPECT_TRUE(argv.has_value()) << command;
  return config::ResolvedScript{argv ? *argv : std::vector<std::string>{}, "self", ::geteuid(),
                                ::getegid()};
}

// Dead, or a zombie nobody reaped yet: either way the kill reached it.
inline bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, comm, state;
  if (!(stat >> pid_field >> comm >> state)) return true;
  return state == "Z" || state == "X";
}

class ScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    char dir_template[] = "/tmp/keepvip-script-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    auto loop = new_event_loop();
    ASSERT_TRUE(loop.has_value());
    loop_ = std::move(*loop);
  }
  void TearDown() override {
    for (pid_t pid : strays_) ::kill(pid, SIGKILL);
    std::filesystem::remove_all(dir_);
  }

  // A /bin/sh script in the test directory, executable by everyone.
  std::string write_script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }

  // Runs the loop until `done` or the limit; returns done().
  template <typename F>
  bool run_until(F done, std::chrono::milliseconds limit = 5s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline)
      sd_event_run(loop_.get(), 10'000);
    return done();
  }
  // Runs the loop for `d`, whatever happens.
  void run_for(std::chrono::milliseconds d) {
    run_until([] { return false; }, d);
  }

  std::string read(const std::string& file) {
    std::ifstream in(dir_ + "/" + file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  int count_lines(const std::string& file) {
    std::ifstream in(dir_ + "/" + file);
    int n = 0;
    std::string line;
    while (std::getline(in, line)) ++n;
    return n;
  }
  // The pid a script wrote into `file` (waits for it, bounded); 0 if none.
  // It is killed at the end of the test whatever happens.
  pid_t read_pid(const std::string& file) {
    pid_t pid = 0;
    run_until([&] {
      std::ifstream in(dir_ + "/" + file);
      return static_cast<bool>(in >> pid) && pid > 0;
    });
    if (pid > 0) strays_.push_back(pid);
    return pid;
  }
  // Waits (without the loop: the process is not ours) until `pid` is gone.
  static bool wait_gone(pid_t pid, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!gone(pid) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
    return gone(pid);
  }

  std::string dir_;
  EventPtr loop_;
  std::vector<pid_t> strays_;
};

}  // namespace keepvip::daemon::testing
