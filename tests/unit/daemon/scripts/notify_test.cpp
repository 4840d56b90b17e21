// Notify scripts: keepalived's calling conventions (pure), then NotifyRunner
// with real scripts: one instance's transitions in order, a bounded queue,
// the timeout ending a script's whole tree, the settled account.
#include "daemon/scripts/notify.h"

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

// notify_deleted's script, then `notify` with DELETED (vrrp_notify.c).
TEST(NotifyCommands, DeletedRunsNotifyDeletedsScriptThenNotify) {
  auto i = seed_instance();
  i.notify = settled("/usr/local/bin/on-change");
  i.notify_deleted = true;
  i.notify_deleted_script = settled("/bin/gone VI_1");
  EXPECT_EQ(argvs(notify_commands(i, NotifyState::Deleted, 100)),
            (Argvs{{"/bin/gone", "VI_1"},
                   {"/usr/local/bin/on-change", "INSTANCE", "VI_1", "DELETED", "100"}}));
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
  std::vector<std::string> log_lines() {
    std::vector<std::string> lines;
    std::istringstream in(read("log"));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  config::Instance instance_;
  std::unique_ptr<NotifyRunner> runner_;
  int scripts_ = 0;
};

// keepalived starts every notify script at once: a quick BACKUP script
// could finish before a slow MASTER one. Here BACKUP waits.
TEST_F(NotifyRunnerTest, ATransitionsScriptsWaitForThoseOfTheOneBefore) {
  set(&config::Instance::notify_master,
      "echo start MASTER >> \"$1/log\"; sleep 0.3; echo end MASTER >> \"$1/log\"");
  set(&config::Instance::notify_backup, "echo start BACKUP >> \"$1/log\"");
  runner_->notify(instance_, NotifyState::Master, 100);
  runner_->notify(instance_, NotifyState::Backup, 100);
  ASSERT_TRUE(run_until([&] { return log_lines().size() == 3; }));
  EXPECT_EQ(log_lines(), (std::vector<std::string>{"start MASTER", "end MASTER", "start BACKUP"}));
  ASSERT_TRUE(run_until([&] { return runner_->idle(); }));
}

// MASTER_RX_LOWER_PRI runs notify_master_rx_lower_pri, in the instance's
// lane; the FIFO hears every event, the priority ones without a script.
TEST_F(NotifyRunnerTest, EventsReachTheListenerAndRunTheLowerPriorityScript) {
  std::vector<std::string> heard;
  runner_->on_notify([&](const std::string& instance, std::string_view what, uint8_t priority) {
    heard.push_back(instance + " " + std::string(what) + " " + std::to_string(priority));
  });
  set(&config::Instance::notify_master,
      "echo start MASTER >> \"$1/log\"; sleep 0.2; echo end MASTER >> \"$1/log\"");
  set(&config::Instance::notify_master_rx_lower_pri, "echo lower >> \"$1/log\"");
  runner_->notify(instance_, NotifyState::Master, 100);
  runner_->notify(instance_, InstanceEvent::MasterRxLowerPri, 100);
  runner_->notify(instance_, InstanceEvent::MasterPriority, 90);
  runner_->restate(instance_, NotifyState::Master, 90);
  EXPECT_EQ(heard, (std::vector<std::string>{"VI_1 MASTER 100", "VI_1 MASTER_RX_LOWER_PRI 100",
                                             "VI_1 MASTER_PRIORITY 90", "VI_1 MASTER 90"}));
  ASSERT_TRUE(run_until([&] { return log_lines().size() == 3; }));
  EXPECT_EQ(log_lines(), (std::vector<std::string>{"start MASTER", "end MASTER", "lower"}));
  ASSERT_TRUE(run_until([&] { return runner_->idle(); }));
}

// The state's own script and `notify` run side by side, as in keepalived,
// but never more than those two per instance.
TEST_F(NotifyRunnerTest, AtMostTheTwoScriptsOfOneTransitionRunAtOnce) {
  std::string body =
      "touch \"$1/running.$$\"; ls \"$1\" | grep -c running >> \"$1/log\"; sleep 0.1; "
      "rm \"$1/running.$$\"";
  set(&config::Instance::notify_master, body);
  set(&config::Instance::notify_backup, body);
  set(&config::Instance::notify, body);
  for (int i = 0; i < 3; ++i) {
    runner_->notify(instance_, NotifyState::Master, 100);
    runner_->notify(instance_, NotifyState::Backup, 100);
  }
  ASSERT_TRUE(run_until([&] { return runner_->idle(); }, 10s));
  auto counts = log_lines();
  ASSERT_EQ(counts.size(), 12u);
  for (const auto& count : counts) EXPECT_LE(std::stoi(count), 2);
}

TEST_F(NotifyRunnerTest, AFlappingInstanceSkipsItsOldestWaitingTransitions) {
  // The first transition holds the lane until the test lets it go.
  set(&config::Instance::notify_master,
      "while [ ! -e \"$1/go\" ]; do sleep 0.02; done; echo MASTER >> \"$1/log\"");
  runner_->notify(instance_, NotifyState::Master, 100);
  set(&config::Instance::notify_master, "echo MASTER >> \"$1/log\"");
  set(&config::Instance::notify_backup, "echo BACKUP >> \"$1/log\"");
  const size_t queued = NotifyRunner::kMaxWaitingTransitions + 3;
  for (size_t i = 0; i < queued; ++i)
    runner_->notify(instance_, i % 2 ? NotifyState::Master : NotifyState::Backup, 100);
  std::ofstream(dir_ + "/go") << "";
  ASSERT_TRUE(run_until([&] { return runner_->idle(); }, 10s));
  // The held one, then the latest kMaxWaitingTransitions: the last state's
  // script still runs last.
  std::vector<std::string> expected{"MASTER"};
  for (size_t i = queued - NotifyRunner::kMaxWaitingTransitions; i < queued; ++i)
    expected.push_back(i % 2 ? "MASTER" : "BACKUP");
  EXPECT_EQ(log_lines(), expected);
}

TEST_F(NotifyRunnerTest, ATimeoutEndsTheScriptsTreeAndTheNextTransitionRuns) {
  runner_->set_timeout(Usec{300'000});
  set(&config::Instance::notify_master,
      "setsid sh -c 'trap \"\" TERM; echo $$ > \"$1/pid\"; exec sleep 60' sh \"$1\" & sleep 60");
  set(&config::Instance::notify_backup, "echo BACKUP >> \"$1/log\"");
  runner_->notify(instance_, NotifyState::Master, 100);
  runner_->notify(instance_, NotifyState::Backup, 100);
  pid_t grandchild = read_pid("pid");
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(run_until([&] { return runner_->idle(); }, 6s));
  EXPECT_TRUE(testing::gone(grandchild)) << "grandchild " << grandchild << " survived";
  EXPECT_EQ(log_lines(), std::vector<std::string>{"BACKUP"});
}

TEST_F(NotifyRunnerTest, TellsWhenEverythingHasDrained) {
  set(&config::Instance::notify_stop, "sleep 0.1");
  bool drained = false;
  runner_->on_idle([&] { drained = true; });
  runner_->notify(instance_, NotifyState::Stop, 0);
  EXPECT_FALSE(runner_->idle());
  ASSERT_TRUE(run_until([&] { return drained; }));
  EXPECT_TRUE(runner_->idle());
}

TEST_F(NotifyRunnerTest, AScriptRunsAsItsSettledUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  set(&config::Instance::notify_master, "id -u > \"$1/uid\"");
  instance_.notify_master.resolved->uid = 65534;
  instance_.notify_master.resolved->gid = 65534;
  runner_->notify(instance_, NotifyState::Master, 100);
  ASSERT_TRUE(run_until([&] { return runner_->idle(); }));
  EXPECT_EQ(read("uid"), "65534\n");
}

}  // namespace
}  // namespace keepvip::daemon
