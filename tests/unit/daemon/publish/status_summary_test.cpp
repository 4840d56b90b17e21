#include "daemon/publish/status_summary.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

ports::InstanceSnapshot snap(std::string name, vrrp::State state) {
  ports::InstanceSnapshot s;
  s.name = std::move(name);
  s.state = state;
  return s;
}

TEST(StatusSummary, OneLinePerAgent) {
  EXPECT_EQ(status_summary({snap("VI_1", vrrp::State::Master), snap("VI_2", vrrp::State::Backup)}),
            "2 instances: VI_1 MASTER, VI_2 BACKUP");
  EXPECT_EQ(status_summary({snap("VI_1", vrrp::State::Fault)}), "1 instance: VI_1 FAULT");
  EXPECT_EQ(status_summary({}), "no instances");
}

TEST(StatusSummary, SplitBrainIsVisible) {
  auto s = snap("VI_1", vrrp::State::Master);
  s.split_brain = true;
  EXPECT_EQ(status_summary({s}), "1 instance: VI_1 MASTER (split brain)");
}

}  // namespace
}  // namespace keepvip::daemon
