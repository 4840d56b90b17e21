// When an instance's state change is mailed: keepalived's
// vrrp_smtp_notifier rules, on a fake sender.
#include "daemon/mail/mail_alerts.h"

#include <gtest/gtest.h>

#include <vector>

namespace keepvip::daemon {
namespace {

class RecordingSender : public ports::MailSender {
 public:
  void send(ports::OutgoingMail mail) override { sent.push_back(std::move(mail)); }
  std::vector<ports::OutgoingMail> sent;
};

class MailAlertsTest : public ::testing::Test {
 protected:
  MailAlertsTest() {
    global_.mail.to = {"ops@example.org"};
    global_.mail.server = "192.0.2.25";
    global_.mail.alert = true;
    instance_.name = "VI_1";
  }
  std::vector<std::string> subjects() const {
    std::vector<std::string> all;
    for (const auto& m : sender_.sent) all.push_back(m.subject);
    return all;
  }
  RecordingSender sender_;
  MailAlerts alerts_{&sender_, {"lb1", "root"}, [] { return std::time_t{0}; }};
  config::Global global_;
  config::Instance instance_;
};

TEST_F(MailAlertsTest, EachNewStateIsMailedOnce) {
  alerts_.on_state(global_, instance_, NotifyState::Backup);
  alerts_.on_state(global_, instance_, NotifyState::Master);
  alerts_.on_state(global_, instance_, NotifyState::Master);  // not twice in a row
  alerts_.on_state(global_, instance_, NotifyState::Backup);
  EXPECT_EQ(subjects(), (std::vector<std::string>{
                            "[lb1] VRRP Instance VI_1 - Entering BACKUP state",
                            "[lb1] VRRP Instance VI_1 - Entering MASTER state",
                            "[lb1] VRRP Instance VI_1 - Entering BACKUP state",
                        }));
  EXPECT_EQ(sender_.sent[0].from, "root@lb1");
  EXPECT_EQ(sender_.sent[0].to, global_.mail.to);
}

TEST_F(MailAlertsTest, RouterIdNamesTheSenderWhenSet) {
  global_.router_id = "LVS_DEVEL";
  alerts_.on_state(global_, instance_, NotifyState::Master);
  EXPECT_EQ(subjects(),
            (std::vector<std::string>{"[LVS_DEVEL] VRRP Instance VI_1 - Entering MASTER state"}));
}

TEST_F(MailAlertsTest, StopIsMailedAndForgetsTheLastState) {
  alerts_.on_state(global_, instance_, NotifyState::Master);
  alerts_.on_state(global_, instance_, NotifyState::Stop);
  alerts_.on_state(global_, instance_, NotifyState::Master);  // started again
  EXPECT_EQ(subjects(), (std::vector<std::string>{
                            "[lb1] VRRP Instance VI_1 - Entering MASTER state",
                            "[lb1] VRRP Instance VI_1 - Stopping",
                            "[lb1] VRRP Instance VI_1 - Entering MASTER state",
                        }));
}

TEST_F(MailAlertsTest, InstanceSwitchOffSendsNothing) {
  instance_.smtp_alert = false;
  alerts_.on_state(global_, instance_, NotifyState::Master);
  alerts_.on_state(global_, instance_, NotifyState::Stop);
  EXPECT_TRUE(sender_.sent.empty());
}

TEST_F(MailAlertsTest, UnmailedFaultDoesNotHideTheNextState) {
  global_.mail.no_email_faults = true;
  alerts_.on_state(global_, instance_, NotifyState::Backup);
  alerts_.on_state(global_, instance_, NotifyState::Fault);
  alerts_.on_state(global_, instance_, NotifyState::Backup);  // still BACKUP as last mailed
  alerts_.on_state(global_, instance_, NotifyState::Master);
  EXPECT_EQ(subjects(), (std::vector<std::string>{
                            "[lb1] VRRP Instance VI_1 - Entering BACKUP state",
                            "[lb1] VRRP Instance VI_1 - Entering MASTER state",
                        }));
}

TEST_F(MailAlertsTest, NoSenderIsHarmless) {
  MailAlerts without{nullptr, {"lb1", "root"}};
  without.on_state(global_, instance_, NotifyState::Master);
  SUCCEED();
}

}  // namespace
}  // namespace keepvip::daemon
