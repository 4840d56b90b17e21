// ChildProcess and its supervisor with real scripts: how a run ends is
// reported, a timeout or stop() ends every process the script started
// (setsid() escapes included), background children of a script that ended
// on its own keep running (keepalived's behaviour), and the script runs as
// its settled account with exactly the capabilities capabilities.h allows.
#include "daemon/scripts/child_process.h"

#include <linux/capability.h>
#include <sys/wait.h>

#include <map>

#include "daemon/scripts/capabilities.h"
#include "script_test_support.h"

namespace keepvip::daemon {
namespace {

using namespace std::chrono_literals;
using testing::as_self;

class ChildProcessTest : public testing::ScriptTest {
 protected:
  void TearDown() override {
    child_.reset();
    ScriptTest::TearDown();
  }

  void spawn(const std::string& command, Usec timeout = Usec{5'000'000},
             ChildProcess::OnRelease on_release = ChildProcess::OnRelease::Stop) {
    ScriptLaunch launch = launch_for(as_self(command));
    launch.timeout = timeout;
    spawn(launch, on_release);
  }
  void spawn(const ScriptLaunch& launch,
             ChildProcess::OnRelease on_release = ChildProcess::OnRelease::Stop) {
    auto child = ChildProcess::spawn(loop_.get(), launch, on_release,
                                     [this](const ExitStatus& s) { status_ = s; });
    ASSERT_TRUE(child.has_value()) << child.error().describe();
    child_ = std::move(*child);
  }
  bool ended(std::chrono::milliseconds limit = 5s) {
    return run_until([&] { return status_.has_value(); }, limit);
  }

  // A script that leaves a grandchild in a session of its own, ignoring
  // SIGTERM, writing its pid to `pid`; then the script itself `then`s.
  std::string escaping_script(const std::string& then) {
    return write_script("escape.sh",
                        "setsid sh -c 'trap \"\" TERM; echo $$ > \"$1\"; exec sleep 60' sh \"$1\" "
                        "&\n" +
                            then);
  }

  std::unique_ptr<ChildProcess> child_;
  std::optional<ExitStatus> status_;
};

TEST_F(ChildProcessTest, ExitCodeIsReported) {
  spawn(write_script("three.sh", "exit 3"));
  ASSERT_TRUE(ended());
  EXPECT_EQ(status_->end, ExitStatus::End::Exited);
  EXPECT_EQ(status_->exit_code, 3);
  EXPECT_FALSE(status_->success());
}

TEST_F(ChildProcessTest, DeathBySignalIsReported) {
  spawn(write_script("kill.sh", "kill -KILL $$"));
  ASSERT_TRUE(ended());
  EXPECT_EQ(status_->end, ExitStatus::End::Killed);
  EXPECT_EQ(status_->signal, SIGKILL);
}

TEST_F(ChildProcessTest, AProgramThatCannotRunIsNotStarted) {
  std::string path = write_script("not-executable.sh", "exit 0");
  chmod(path.c_str(), 0644);
  spawn(path);
  ASSERT_TRUE(ended());
  EXPECT_EQ(status_->end, ExitStatus::End::NotStarted);
  EXPECT_EQ(status_->error, EACCES);
  EXPECT_EQ(status_->describe(), "not started: exec: Permission denied");
}

// The case: a grandchild that called setsid() outlives the script's
// main process; a process-group kill misses it, the supervisor does not.
TEST_F(ChildProcessTest, TimeoutEndsAGrandchildThatCalledSetsid) {
  auto started = std::chrono::steady_clock::now();
  spawn(escaping_script("sleep 60") + " " + dir_ + "/pid", Usec{300'000});
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(ended(5s));
  EXPECT_EQ(status_->end, ExitStatus::End::TimedOut);
  // The timeout, then keepalived's 2 s SIGTERM grace before SIGKILL (the
  // grandchild ignores SIGTERM), then slack for a loaded machine.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms + 2s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 300ms + 2s + 1500ms);
  EXPECT_TRUE(wait_gone(grandchild, 1s)) << "grandchild " << grandchild << " survived";
}

TEST_F(ChildProcessTest, TimeoutReachesAGrandchildOfAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  ScriptLaunch launch = launch_for(as_self(escaping_script("sleep 60") + " " + dir_ + "/pid"));
  launch.uid = 65534;  // nobody
  launch.gid = 65534;
  launch.timeout = Usec{300'000};
  spawn(launch);
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(ended(5s));
  EXPECT_EQ(status_->end, ExitStatus::End::TimedOut);
  EXPECT_TRUE(wait_gone(grandchild, 1s)) << "grandchild " << grandchild << " survived";
}

TEST_F(ChildProcessTest, StopEndsTheWholeTree) {
  spawn(escaping_script("sleep 60") + " " + dir_ + "/pid");
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  child_->stop();
  ASSERT_TRUE(ended(5s));
  EXPECT_EQ(status_->end, ExitStatus::End::Stopped);
  EXPECT_TRUE(wait_gone(grandchild, 1s));
}

// keepalived: a script that ends on its own may leave a daemon running.
TEST_F(ChildProcessTest, BackgroundChildrenOfAScriptThatEndedKeepRunning) {
  spawn(escaping_script("exit 0") + " " + dir_ + "/pid", Usec{300'000});
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(ended());
  EXPECT_TRUE(status_->success());
  run_for(600ms);  // past the timeout: it no longer applies
  EXPECT_FALSE(testing::gone(grandchild));
}

TEST_F(ChildProcessTest, AReleasedScriptIsStillReaped) {
  spawn(write_script("short.sh", "sleep 0.2"), Usec{5'000'000},
        ChildProcess::OnRelease::LeaveRunning);
  pid_t supervisor = child_->pid();
  child_.reset();
  // sd-event reaps it once it ends: not even a zombie is left.
  ASSERT_TRUE(run_until([&] { return ::kill(supervisor, 0) != 0; }, 3s));
}

TEST_F(ChildProcessTest, ReleasingWithStopEndsTheTree) {
  spawn(escaping_script("sleep 60") + " " + dir_ + "/pid");
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  pid_t supervisor = child_->pid();
  child_.reset();
  ASSERT_TRUE(run_until([&] { return ::kill(supervisor, 0) != 0; }, 5s));
  EXPECT_TRUE(testing::gone(grandchild));
}

// keepalived's scripts die with it (PR_SET_PDEATHSIG); a vrrp_script's
// whole tree goes when keepvipd is killed.
TEST_F(ChildProcessTest, AScriptThatEndsWithTheAgentGoesWhenTheAgentIsKilled) {
  ScriptLaunch launch = launch_for(as_self(escaping_script("sleep 60") + " " + dir_ + "/pid"));
  launch.timeout = Usec{60'000'000};
  launch.ends_with_agent = true;
  pid_t agent = ::fork();
  ASSERT_GE(agent, 0);
  if (agent == 0) {
    // A stand-in for keepvipd: starts the script, then waits to be killed.
    auto loop = new_event_loop();
    if (!loop) ::_exit(1);
    auto child = ChildProcess::spawn(loop->get(), launch, ChildProcess::OnRelease::Stop, {});
    if (!child) ::_exit(1);
    ::sleep(60);
    ::_exit(0);
  }
  strays_.push_back(agent);
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  ::kill(agent, SIGKILL);
  ::waitpid(agent, nullptr, 0);
  // SIGTERM at once, SIGKILL after the 2 s grace (it ignores SIGTERM).
  EXPECT_TRUE(wait_gone(grandchild, 4s)) << "grandchild " << grandchild << " survived";
}

// /proc/<script>/status as the script itself saw it.
std::map<std::string, std::string> capability_lines(const std::string& text) {
  std::map<std::string, std::string> sets;
  std::istringstream in(text);
  std::string name, value;
  while (in >> name >> value) sets[name] = value;
  return sets;
}

std::string hex(uint64_t mask) {
  char text[17];
  snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(mask));
  return text;
}

class ScriptCapabilities : public ChildProcessTest {
 protected:
  // The script reads its own status with a shell builtin: no other process
  // (with capabilities of its own) comes between.
  std::string report_script() {
    return write_script(
        "caps.sh",
        "while IFS= read -r line; do case \"$line\" in Cap*) echo \"$line\";; esac; "
        "done < /proc/$$/status > \"$1\"");
  }
};

TEST_F(ScriptCapabilities, ARootScriptKeepsNetAdminAndNetRawOnly) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const uint64_t net = capability_bit(CAP_NET_ADMIN) | capability_bit(CAP_NET_RAW);
  ASSERT_EQ(own_permitted_capabilities() & net, net) << "the test needs both to see them kept";
  spawn(report_script() + " " + dir_ + "/caps");
  ASSERT_TRUE(ended());
  ASSERT_TRUE(status_->success()) << status_->describe();
  auto sets = capability_lines(read("caps"));
  EXPECT_EQ(sets["CapInh:"], hex(0));
  EXPECT_EQ(sets["CapPrm:"], hex(net));
  EXPECT_EQ(sets["CapEff:"], hex(net));
  EXPECT_EQ(sets["CapBnd:"], hex(net));
  EXPECT_EQ(sets["CapAmb:"], hex(0));
}

TEST_F(ScriptCapabilities, AnotherUsersScriptHasNoneAndCannotRegainMore) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  const uint64_t net = capability_bit(CAP_NET_ADMIN) | capability_bit(CAP_NET_RAW);
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  ScriptLaunch launch = launch_for(as_self(report_script() + " " + dir_ + "/caps"));
  launch.uid = 65534;
  launch.gid = 65534;
  launch.timeout = Usec{5'000'000};
  spawn(launch);
  ASSERT_TRUE(ended());
  ASSERT_TRUE(status_->success()) << status_->describe();
  auto sets = capability_lines(read("caps"));
  EXPECT_EQ(sets["CapInh:"], hex(0));
  EXPECT_EQ(sets["CapPrm:"], hex(0));
  EXPECT_EQ(sets["CapEff:"], hex(0));
  EXPECT_EQ(sets["CapBnd:"], hex(own_permitted_capabilities() & net));
  EXPECT_EQ(sets["CapAmb:"], hex(0));
}

TEST_F(ChildProcessTest, RunsAsTheSettledAccountWithItsGroupOnly) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  ScriptLaunch launch = launch_for(
      as_self(write_script("id.sh", "id -u > \"$1\"; id -G >> \"$1\"") + " " + dir_ + "/id"));
  launch.uid = 65534;
  launch.gid = 65533;
  launch.timeout = Usec{5'000'000};
  spawn(launch);
  ASSERT_TRUE(ended());
  ASSERT_TRUE(status_->success()) << status_->describe();
  EXPECT_EQ(read("id"), "65534\n65533\n");
}

}  // namespace
}  // namespace keepvip::daemon
