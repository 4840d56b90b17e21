// ScriptRunner with tiny real scripts in a temp dir on a real sd-event loop:
// rise/fall counting, timeouts killing the whole process group, arguments
// passed without a shell.
#include "daemon/script_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "config/command_line.h"

namespace keepvip::daemon {
namespace {

using namespace std::chrono_literals;

class ScriptRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // sd-event child sources need SIGCHLD blocked before the first fork.
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
    runner_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string write_script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }

  void start(config::Script script) {
    auto runner = ScriptRunner::create(
        loop_.get(), script, [this](const std::string&, bool up) { verdicts_.push_back(up); });
    ASSERT_TRUE(runner.has_value()) << runner.error().describe();
    runner_ = std::move(*runner);
  }

  // Runs the loop until `done` or the deadline; returns done().
  template <typename F>
  bool run_until(F done, std::chrono::milliseconds limit = 5s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline)
      sd_event_run(loop_.get(), 10'000);
    return done();
  }

  int count_lines(const std::string& file) {
    std::ifstream in(dir_ + "/" + file);
    int n = 0;
    std::string line;
    while (std::getline(in, line)) ++n;
    return n;
  }

  config::Script script(const std::string& command, int rise, int fall, bool init_fail = false) {
    config::Script s;
    s.name = "chk";
    s.command = command;
    // Settled to run as the test process itself, as settle_scripts.h would.
    s.resolved = config::ResolvedScript{*config::split_command_line(command), "self", ::geteuid(),
                                        ::getegid()};
    s.interval = Usec{50'000};
    // Far above the interval: a loaded CI machine must not turn slow runs
    // into timeouts (the timeout test sets its own).
    s.timeout = Usec{5'000'000};
    s.rise = rise;
    s.fall = fall;
    s.init_fail = init_fail;
    return s;
  }

  std::string dir_;
  EventPtr loop_;
  std::unique_ptr<ScriptRunner> runner_;
  std::vector<bool> verdicts_;
};

TEST_F(ScriptRunnerTest, FallNeedsThatManyFailedRuns) {
  std::string path = write_script("fail.sh", "echo run >> \"$1\"; exit 1");
  start(script(path + " " + dir_ + "/runs", 1, 3));
  EXPECT_TRUE(runner_->up());
  ASSERT_TRUE(run_until([&] { return !verdicts_.empty(); }));
  EXPECT_EQ(verdicts_, std::vector<bool>{false});
  EXPECT_FALSE(runner_->up());
  EXPECT_EQ(count_lines("runs"), 3);
}

TEST_F(ScriptRunnerTest, RiseNeedsThatManyGoodRunsAfterInitFail) {
  std::string path = write_script("ok.sh", "echo run >> \"$1\"; exit 0");
  start(script(path + " " + dir_ + "/runs", 3, 1, /*init_fail=*/true));
  EXPECT_FALSE(runner_->up());
  ASSERT_TRUE(run_until([&] { return !verdicts_.empty(); }));
  EXPECT_EQ(verdicts_, std::vector<bool>{true});
  EXPECT_EQ(count_lines("runs"), 3);
}

TEST_F(ScriptRunnerTest, ArgumentsArriveWithoutAShell) {
  std::string path = write_script("args.sh", "printf '%s\\n' \"$@\" > \"$1\"; exit 1");
  start(script(path + " " + dir_ + "/args 'two words' '$HOME'", 1, 1));
  ASSERT_TRUE(run_until([&] { return !verdicts_.empty(); }));
  std::ifstream in(dir_ + "/args");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), dir_ + "/args\ntwo words\n$HOME\n");
}

TEST_F(ScriptRunnerTest, TimeoutKillsTheProcessGroupAndCountsAsFailure) {
  // The script leaves a grandchild behind; the timeout must take it too.
  std::string path = write_script("hang.sh", "sleep 30 & echo $! > \"$1\"; wait");
  auto s = script(path + " " + dir_ + "/pid", 1, 1);
  s.interval = Usec{2'000'000};
  s.timeout = Usec{100'000};
  auto started = std::chrono::steady_clock::now();
  start(s);
  ASSERT_TRUE(run_until([&] { return !verdicts_.empty(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
  EXPECT_EQ(verdicts_, std::vector<bool>{false});
  std::ifstream in(dir_ + "/pid");
  pid_t grandchild = 0;
  in >> grandchild;
  ASSERT_GT(grandchild, 0);
  // The grandchild was re-parented, so it may linger as a zombie until its
  // new parent reaps it: dead or zombie both mean the kill reached it.
  auto dead = [](pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, comm, state;
    if (!(stat >> pid_field >> comm >> state)) return true;
    return state == "Z" || state == "X";
  };
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = dead(grandchild);
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(gone) << "grandchild " << grandchild << " survived the timeout";
}

TEST_F(ScriptRunnerTest, MissingProgramCountsAsFailure) {
  start(script(dir_ + "/does-not-exist", 1, 1));
  ASSERT_TRUE(run_until([&] { return !verdicts_.empty(); }));
  EXPECT_FALSE(runner_->up());
}

TEST_F(ScriptRunnerTest, AnUnsettledScriptIsRefused) {
  auto s = script("/bin/true", 1, 1);
  s.resolved.reset();
  EXPECT_FALSE(ScriptRunner::create(loop_.get(), s, {}).has_value());
}

}  // namespace
}  // namespace keepvip::daemon
