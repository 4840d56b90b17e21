// ScriptRunner with tiny real scripts in a temp dir on a real sd-event loop:
// rise/fall counting, timeouts ending the script's whole process tree,
// arguments passed without a shell.
#include "daemon/scripts/script_runner.h"

#include "script_test_support.h"

namespace keepvip::daemon {
namespace {

using namespace std::chrono_literals;
using testing::as_self;

class ScriptRunnerTest : public testing::ScriptTest {
 protected:
  void TearDown() override {
    runner_.reset();
    ScriptTest::TearDown();
  }

  void start(config::Script script) {
    auto runner = ScriptRunner::create(
        loop_.get(), script, [this](const std::string&, bool up) { verdicts_.push_back(up); });
    ASSERT_TRUE(runner.has_value()) << runner.error().describe();
    runner_ = std::move(*runner);
  }

  config::Script script(const std::string& command, int rise, int fall, bool init_fail = false) {
    config::Script s;
    s.name = "chk";
    s.command = command;
    s.resolved = as_self(command);
    s.interval = Usec{50'000};
    // Far above the interval: a loaded CI machine must not turn slow runs
    // into timeouts (the timeout test sets its own).
    s.timeout = Usec{5'000'000};
    s.rise = rise;
    s.fall = fall;
    s.init_fail = init_fail;
    return s;
  }

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
  EXPECT_EQ(read("args"), dir_ + "/args\ntwo words\n$HOME\n");
}

TEST_F(ScriptRunnerTest, TimeoutEndsTheWholeTreeAndCountsAsFailure) {
  // The script starts a grandchild in a session of its own (out of reach of
  // a process-group kill) that ignores SIGTERM; the timeout must take it too.
  std::string path =
      write_script("hang.sh",
                   "setsid sh -c 'trap \"\" TERM; echo $$ > \"$1\"; exec sleep 30' sh \"$1\" &\n"
                   "sleep 30");
  auto s = script(path + " " + dir_ + "/pid", 1, 1);
  s.interval = Usec{10'000'000};
  s.timeout = Usec{300'000};
  auto started = std::chrono::steady_clock::now();
  start(s);
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(run_until([&] { return !verdicts_.empty(); }));
  // The timeout, the SIGTERM grace (the grandchild ignores SIGTERM), slack.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 300ms + 2s + 1500ms);
  EXPECT_EQ(verdicts_, std::vector<bool>{false});
  EXPECT_TRUE(wait_gone(grandchild, 1s)) << "grandchild " << grandchild << " survived the timeout";
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
