#include "daemon/notify.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>

#include "config/command_line.h"

namespace keepvip::daemon {
namespace {

using Argvs = std::vector<std::vector<std::string>>;

Argvs argvs(const std::vector<NotifyCommand>& commands) {
  Argvs out;
  for (const auto& c : commands) out.push_back(c.argv);
  return out;
}

// Settled to run as the test process itself, as settle_scripts.h would.
config::NotifyScript settled(const std::string& command) {
  config::NotifyScript script;
  script.command = command;
  auto argv = config::split_command_line(command);
  script.resolved = config::ResolvedScript{*argv, "self", ::geteuid(), ::getegid()};
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
  ASSERT_TRUE(master[0].run_as.has_value());
  EXPECT_EQ(master[0].run_as->uid, 65534u);
  EXPECT_EQ(master[0].run_as->gid, 65533u);
  EXPECT_FALSE(master[1].run_as.has_value()) << "keepvipd's own account: no switch";
}

// A script the configuration never checked against the host never runs.
TEST(NotifyCommands, AnUnsettledScriptIsLeftOut) {
  auto i = seed_instance();
  i.notify_master.resolved.reset();
  EXPECT_TRUE(notify_commands(i, NotifyState::Master, 100).empty());
}

// Waits (bounded) for a notify script to leave its file behind.
bool wait_for_file(sd_event* loop, const std::string& path, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (::access(path.c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline)
    sd_event_run(loop, 10'000);
  return ::access(path.c_str(), F_OK) == 0;
}

TEST(NotifyRunner, ScriptRunsAsItsSettledAccount) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  char dir_template[] = "/tmp/kvnotify.XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  // sd-event child sources need SIGCHLD blocked before the first fork.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &set, nullptr), 0);
  auto loop = new_event_loop();
  ASSERT_TRUE(loop.has_value());

  config::Instance i;
  i.name = "VI_1";
  i.notify_master = settled("/bin/sh -c 'id -u > " + dir + "/master'");
  i.notify_master.resolved->uid = 65534;
  i.notify_master.resolved->gid = 65534;
  i.notify_backup.command = "/bin/sh -c 'id -u > " + dir + "/backup'";
  NotifyRunner runner(loop->get());

  runner.notify(i, NotifyState::Master, 100);
  ASSERT_TRUE(wait_for_file(loop->get(), dir + "/master", std::chrono::seconds(3)));
  std::string uid;
  for (int tries = 0; tries < 100 && uid.empty(); ++tries) {  // written after it was created
    sd_event_run(loop->get(), 10'000);
    std::getline(std::ifstream(dir + "/master") >> std::ws, uid);
  }
  EXPECT_EQ(uid, "65534");

  // A script the configuration did not settle is not run at all.
  runner.notify(i, NotifyState::Backup, 100);
  EXPECT_FALSE(wait_for_file(loop->get(), dir + "/backup", std::chrono::milliseconds(300)));
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace keepvip::daemon
