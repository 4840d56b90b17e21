// Notify scripts: keepalived's calling conventions (pure), then NotifyRunner
// with real scripts: the timeout ending a script's whole tree, the settled
// account.
#include "daemon/notify.h"

#include "script_test_support.h"

namespace keepvip::daemon {
namespace {

using namespace std::chrono_literals;
using testing::as_self;
using Argvs = std::vector<std::vector<std::string>>;

Argvs argvs(const std::vector<ScriptLaunch>& launches) {
  Argvs out;
  for (const auto& l : launches) out.push_back(l.argv);
  return out;
}

config::NotifyScript settled(const std::string& command) {
  config::NotifyScript script;
  script.command = command;
  script.resolved = as_self(command);
  return script;
}

config::Instance seed_instance() {
  config::Instance i;
  i.name = "VI_1";
  i.notify_master = settled("/scripts/notify.sh master 192.168.222.250");
  i.notify_backup = settled("/scripts/notify.sh backup 192.168.222.250");
  return i;
}

TEST(NotifyCommands, SeedScriptsRunAsWritten) {
  EXPECT_EQ(argvs(notify_commands(seed_instance(), NotifyState::Master, 100)),
            (Argvs{{"/scripts/notify.sh", "master", "192.168.222.250"}}));
  EXPECT_EQ(argvs(notify_commands(seed_instance(), NotifyState::Backup, 100)),
            (Argvs{{"/scripts/notify.sh", "backup", "192.168.222.250"}}));
}

TEST(NotifyCommands, NothingConfiguredForAStateRunsNothing) {
  EXPECT_TRUE(notify_commands(seed_instance(), NotifyState::Fault, 100).empty());
}

TEST(NotifyCommands, GenericNotifyGetsKeepalivedArguments) {
  auto i = seed_instance();
  i.notify = settled("/usr/local/bin/on-change --quiet");
  i.notify_stop = settled("/bin/stop-it");
  EXPECT_EQ(argvs(notify_commands(i, NotifyState::Stop, 90)),
            (Argvs{{"/bin/stop-it"},
                   {"/usr/local/bin/on-change", "--quiet", "INSTANCE", "VI_1", "STOP", "90"}}));
  auto master = notify_commands(i, NotifyState::Master, 150);
  ASSERT_EQ(master.size(), 2u);
  EXPECT_EQ(master[1].argv, (std::vector<std::string>{"/usr/local/bin/on-change", "--quiet",
                                                      "INSTANCE", "VI_1", "MASTER", "150"}));
}

TEST(NotifyCommands, EachScriptRunsAsItsSettledAccount) {
  auto i = seed_instance();
  i.notify_master.resolved->uid = 65534;
  i.notify_master.resolved->gid = 65533;
  i.notify = settled("/usr/local/bin/on-change");
  auto master = notify_commands(i, NotifyState::Master, 150);
  ASSERT_EQ(master.size(), 2u);
  EXPECT_EQ(master[0].uid, 65534u);
  EXPECT_EQ(master[0].gid, 65533u);
  EXPECT_EQ(master[1].uid, ::geteuid());
}

// A script the configuration never checked against the host never runs.
TEST(NotifyCommands, AnUnsettledScriptIsLeftOut) {
  auto i = seed_instance();
  i.notify_master.resolved.reset();
  EXPECT_TRUE(notify_commands(i, NotifyState::Master, 100).empty());
}

class NotifyRunnerTest : public testing::ScriptTest {
 protected:
  void SetUp() override {
    ScriptTest::SetUp();
    instance_.name = "VI_1";
    runner_ = std::make_unique<NotifyRunner>(loop_.get(), Usec{5'000'000});
  }
  void TearDown() override {
    runner_.reset();
    ScriptTest::TearDown();
  }
  // notify_<state> appends "<what> <STATE>" lines to `log`.
  void set(config::NotifyScript config::Instance::*field, const std::string& body) {
    std::string path = write_script("notify" + std::to_string(++scripts_) + ".sh", body);
    instance_.*field = settled(path + " " + dir_);
  }

  config::Instance instance_;
  std::unique_ptr<NotifyRunner> runner_;
  int scripts_ = 0;
};

TEST_F(NotifyRunnerTest, ATimeoutEndsTheScriptsWholeTree) {
  runner_->set_timeout(Usec{300'000});
  set(&config::Instance::notify_master,
      "setsid sh -c 'trap \"\" TERM; echo $$ > \"$1/pid\"; exec sleep 60' sh \"$1\" & sleep 60");
  runner_->notify(instance_, NotifyState::Master, 100);
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  // The timeout, then the SIGTERM grace (it ignores SIGTERM), then slack.
  EXPECT_TRUE(run_until([&] { return testing::gone(grandchild); }, 4s))
      << "grandchild " << grandchild << " survived";
}

TEST_F(NotifyRunnerTest, AScriptRunsAsItsSettledUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  set(&config::Instance::notify_master, "id -u > \"$1/uid\"");
  instance_.notify_master.resolved->uid = 65534;
  instance_.notify_master.resolved->gid = 65534;
  runner_->notify(instance_, NotifyState::Master, 100);
  ASSERT_TRUE(run_until([&] { return read("uid") == "65534\n"; })) << read("uid");
}

}  // namespace
}  // namespace keepvip::daemon
