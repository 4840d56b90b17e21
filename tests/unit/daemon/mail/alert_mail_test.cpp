// keepalived 2.2.8's mail alerts for VRRP instances (vrrp_notify.c,
// smtp.c): subjects, bodies, the message text and the defaults.
#include "daemon/mail/alert_mail.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace keepvip::daemon {
namespace {

config::Global mailing_global() {
  config::Global g;
  g.router_id = "LVS_DEVEL";
  g.mail.to = {"ops@example.org", "noc@example.org"};
  g.mail.server = "192.0.2.25";
  return g;
}

struct Case {
  NotifyState state;
  const char* subject;
  const char* body;
};

TEST(AlertMail, SubjectAndBodyPerStateAsKeepalived) {
  const config::Global g = mailing_global();
  for (const Case& c : {
           Case{NotifyState::Master, "[LVS_DEVEL] VRRP Instance VI_1 - Entering MASTER state",
                "=> VRRP Instance is now owning VRRP VIPs <="},
           Case{NotifyState::Backup, "[LVS_DEVEL] VRRP Instance VI_1 - Entering BACKUP state",
                "=> VRRP Instance is no longer owning VRRP VIPs <="},
           Case{NotifyState::Fault, "[LVS_DEVEL] VRRP Instance VI_1 - Entering FAULT state",
                "=> VRRP Instance is no longer owning VRRP VIPs <="},
           Case{NotifyState::Stop, "[LVS_DEVEL] VRRP Instance VI_1 - Stopping",
                "=> VRRP Instance stopping <="},
           Case{NotifyState::Deleted, "[LVS_DEVEL] VRRP Instance VI_1 - Deleted",
                "=> VRRP Deleted at reload <="},
       }) {
    auto alert = instance_alert(g, "LVS_DEVEL", "VI_1", c.state);
    ASSERT_TRUE(alert.has_value()) << to_string(c.state);
    EXPECT_EQ(alert->subject, c.subject);
    EXPECT_EQ(alert->body, c.body);
  }
}

TEST(AlertMail, NoEmailFaultsSilencesOnlyFault) {
  config::Global g = mailing_global();
  g.mail.no_email_faults = true;
  EXPECT_FALSE(instance_alert(g, "r", "VI_1", NotifyState::Fault).has_value());
  EXPECT_TRUE(instance_alert(g, "r", "VI_1", NotifyState::Master).has_value());
}

TEST(AlertMail, SwitchSettlesInstanceThenVrrpThenGlobal) {
  config::Global g = mailing_global();
  config::Instance i;
  EXPECT_FALSE(sends_mail(g, i));  // nothing asks for mail
  g.mail.alert = true;
  EXPECT_TRUE(sends_mail(g, i));
  g.mail.alert_vrrp = false;
  EXPECT_FALSE(sends_mail(g, i));  // smtp_alert_vrrp before smtp_alert
  i.smtp_alert = true;
  EXPECT_TRUE(sends_mail(g, i));  // the instance's own before both
  g.mail.to.clear();
  EXPECT_FALSE(sends_mail(g, i));  // nobody to mail
  g = mailing_global();
  g.mail.server.clear();
  EXPECT_FALSE(sends_mail(g, i));  // nowhere to send it
}

class AlertText : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    if (tz) saved_ = tz;
    had_ = tz != nullptr;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (had_)
      setenv("TZ", saved_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  std::string saved_;
  bool had_ = false;
};

TEST_F(AlertText, HeadersBodyAndTrailingLineAsKeepalived) {
  const config::Global g = mailing_global();
  Alert alert{"[LVS_DEVEL] VRRP Instance VI_1 - Entering MASTER state",
              "=> VRRP Instance is now owning VRRP VIPs <="};
  // Mon, 01 Mar 2021 09:44:08 +0000, the example in keepalived's smtp.c.
  const std::time_t when = 1614591848;
  EXPECT_EQ(alert_text(g.mail, "keepalived@example.org", alert, when),
            "Date: Mon, 01 Mar 2021 09:44:08 +0000\r\n"
            "From: keepalived@example.org\r\n"
            "Subject: [LVS_DEVEL] VRRP Instance VI_1 - Entering MASTER state\r\n"
            "X-Mailer: Keepalived\r\n"
            "To: ops@example.org, noc@example.org\r\n"
            "\r\n"
            "=> VRRP Instance is now owning VRRP VIPs <=\r\n"
            "\r\n");
}

TEST_F(AlertText, EnvelopeDefaultsToUserAtHostAndHostAsHeloName) {
  config::Global g = mailing_global();
  g.mail.port = 2525;
  g.mail.connect_timeout = Usec{5'000'000};
  Alert alert{"s", "b"};
  auto mail = outgoing_mail(g.mail, "lb1", "root", alert, 0);
  EXPECT_EQ(mail.server, "192.0.2.25");
  EXPECT_EQ(mail.port, 2525);
  EXPECT_EQ(mail.from, "root@lb1");
  EXPECT_EQ(mail.helo_name, "lb1");
  EXPECT_EQ(mail.to, g.mail.to);
  EXPECT_EQ(mail.timeout, Usec{5'000'000});
  EXPECT_EQ(mail.subject, "s");
  EXPECT_NE(mail.text.find("\r\nFrom: root@lb1\r\n"), std::string::npos);

  g.mail.from = "keepalived@example.org";
  g.mail.helo_name = "mx-client.example.org";
  mail = outgoing_mail(g.mail, "lb1", "root", alert, 0);
  EXPECT_EQ(mail.from, "keepalived@example.org");
  EXPECT_EQ(mail.helo_name, "mx-client.example.org");
}

}  // namespace
}  // namespace keepvip::daemon
