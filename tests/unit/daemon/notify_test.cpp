#include "daemon/notify.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

using Argvs = std::vector<std::vector<std::string>>;

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
  EXPECT_EQ(*master, (Argvs{{"/scripts/notify.sh", "master", "192.168.222.250"}}));
  auto backup = notify_commands(seed_instance(), NotifyState::Backup, 100);
  ASSERT_TRUE(backup.has_value());
  EXPECT_EQ(*backup, (Argvs{{"/scripts/notify.sh", "backup", "192.168.222.250"}}));
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
  EXPECT_EQ(*stop,
            (Argvs{{"/bin/stop-it"},
                   {"/usr/local/bin/on-change", "--quiet", "INSTANCE", "VI_1", "STOP", "90"}}));
  auto master = notify_commands(i, NotifyState::Master, 150);
  ASSERT_TRUE(master.has_value());
  ASSERT_EQ(master->size(), 2u);
  EXPECT_EQ((*master)[1], (std::vector<std::string>{"/usr/local/bin/on-change", "--quiet",
                                                    "INSTANCE", "VI_1", "MASTER", "150"}));
}

TEST(NotifyCommands, BadQuotingIsReported) {
  auto i = seed_instance();
  i.notify_master = "/bin/x \"open";
  EXPECT_FALSE(notify_commands(i, NotifyState::Master, 100).has_value());
}

}  // namespace
}  // namespace keepvip::daemon
