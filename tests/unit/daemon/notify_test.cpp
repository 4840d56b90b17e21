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

namespace keepvip::daemon {
namespace {

using Argvs = std::vector<std::vector<std::string>>;

Argvs argvs(const std::vector<NotifyCommand>& commands) {
  Argvs out;
  for (const auto& c : commands) out.push_back(c.argv);
  return out;
}

config::Instance seed_instance() {
  config::Instance i;
  i.name = "VI_1";
  i.notify_master = "/scripts/notify.sh master 192.168.222.250";
  i.notify_backup = "/scripts/notify.sh backup 192.168.222.250";
  return i;
}

TEST(NotifyCommands, SeedScriptsRunAsWritten) {
  auto master = notify_commands(seed_instance(), NotifyState::Master, 100);
  ASSERT_TRUE(master.has_value());
  EXPECT_EQ(argvs(*master), (Argvs{{"/scripts/notify.sh", "master", "192.168.222.250"}}));
  auto backup = notify_commands(seed_instance(), NotifyState::Backup, 100);
  ASSERT_TRUE(backup.has_value());
  EXPECT_EQ(argvs(*backup), (Argvs{{"/scripts/notify.sh", "backup", "192.168.222.250"}}));
}

TEST(NotifyCommands, NothingConfiguredForAStateRunsNothing) {
  auto fault = notify_commands(seed_instance(), NotifyState::Fault, 100);
  ASSERT_TRUE(fault.has_value());
  EXPECT_TRUE(fault->empty());
}

TEST(NotifyCommands, GenericNotifyGetsKeepalivedArguments) {
  auto i = seed_instance();
  i.notify = "/usr/local/bin/on-change --quiet";
  i.notify_stop = "/bin/stop-it";
  auto stop = notify_commands(i, NotifyState::Stop, 90);
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(argvs(*stop),
            (Argvs{{"/bin/stop-it"},
                   {"/usr/local/bin/on-change", "--quiet", "INSTANCE", "VI_1", "STOP", "90"}}));
  auto master = notify_commands(i, NotifyState::Master, 150);
  ASSERT_TRUE(master.has_value());
  ASSERT_EQ(master->size(), 2u);
  EXPECT_EQ((*master)[1].argv, (std::vector<std::string>{"/usr/local/bin/on-change", "--quiet",
                                                         "INSTANCE", "VI_1", "MASTER", "150"}));
}

TEST(NotifyCommands, EachScriptCarriesItsOwnUser) {
  auto i = seed_instance();
  i.notify_master_as = {"nobody", "nogroup"};
  i.notify = "/usr/local/bin/on-change";
  auto master = notify_commands(i, NotifyState::Master, 150);
  ASSERT_TRUE(master.has_value());
  ASSERT_EQ(master->size(), 2u);
  EXPECT_EQ((*master)[0].run_as, (config::RunAs{"nobody", "nogroup"}));
  EXPECT_EQ((*master)[1].run_as, config::RunAs{}) << "notify has none: script_user";
}

TEST(NotifyCommands, BadQuotingIsReported) {
  auto i = seed_instance();
  i.notify_master = "/bin/x \"open";
  EXPECT_FALSE(notify_commands(i, NotifyState::Master, 100).has_value());
}

// Waits (bounded) for a notify script to leave its file behind.
bool wait_for_file(sd_event* loop, const std::string& path, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (::access(path.c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline)
    sd_event_run(loop, 10'000);
  return ::access(path.c_str(), F_OK) == 0;
}

TEST(NotifyRunner, ScriptRunsAsTheUserItNames) {
  if (::geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  auto nobody = resolve_credentials("nobody", "");
  if (!nobody) GTEST_SKIP() << "no user 'nobody' here";
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
  i.notify_master = "/bin/sh -c 'id -u > " + dir + "/master'";
  i.notify_master_as = {"nobody", ""};
  i.notify_backup = "/bin/sh -c 'id -u > " + dir + "/backup'";
  i.notify_backup_as = {"kv-no-such-user", ""};
  NotifyRunner runner(loop->get(), std::nullopt);

  runner.notify(i, NotifyState::Master, 100);
  ASSERT_TRUE(wait_for_file(loop->get(), dir + "/master", std::chrono::seconds(3)));
  std::string uid;
  for (int tries = 0; tries < 100 && uid.empty(); ++tries) {  // written after it was created
    sd_event_run(loop->get(), 10'000);
    std::getline(std::ifstream(dir + "/master") >> std::ws, uid);
  }
  EXPECT_EQ(uid, std::to_string(nobody->uid));

  // A user that does not exist: the script is not run at all (not as root).
  runner.notify(i, NotifyState::Backup, 100);
  EXPECT_FALSE(wait_for_file(loop->get(), dir + "/backup", std::chrono::milliseconds(300)));
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace keepvip::daemon
