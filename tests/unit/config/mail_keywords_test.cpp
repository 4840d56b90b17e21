// The mail settings of global_defs and vrrp_instance: read as keepalived
// reads them, checked, errors at file:line:column.
#include <gtest/gtest.h>

#include <string>

#include "config/parser.h"
#include "memory_files.h"

namespace keepvip::config {
namespace {

const std::string kInstance = R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 7
  virtual_ipaddress {
    192.0.2.10
  }
}
)";

ParseResult parse(const std::string& text) {
  testing::MemoryFiles files;
  return parse_text(text, "t.conf", {}, files);
}

std::string dump(const ParseResult& r) {
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  return all;
}

TEST(MailKeywords, ReadsEverySetting) {
  auto result = parse(R"(
global_defs {
  notification_email {
    ops@example.org
    a@example.org b@example.org
  }
  notification_email_from keepvip@example.org
  smtp_server 2001:db8::25 2525
  smtp_helo_name lb1.example.org
  smtp_connect_timeout 7
  smtp_alert
  smtp_alert_vrrp off
  no_email_faults
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 7
  smtp_alert yes
  virtual_ipaddress {
    192.0.2.10
  }
}
)");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.diagnostics.empty()) << dump(result);
  const Mail& m = result.config->global.mail;
  EXPECT_EQ(m.to, (std::vector<std::string>{"ops@example.org", "a@example.org", "b@example.org"}));
  EXPECT_EQ(m.from, "keepvip@example.org");
  EXPECT_EQ(m.server, "2001:db8::25");
  EXPECT_EQ(m.port, 2525);
  EXPECT_EQ(m.helo_name, "lb1.example.org");
  EXPECT_EQ(m.connect_timeout, Usec{7'000'000});
  EXPECT_EQ(m.alert, std::optional<bool>(true));
  EXPECT_EQ(m.alert_vrrp, std::optional<bool>(false));
  EXPECT_TRUE(m.no_email_faults);
  EXPECT_TRUE(m.enabled());
  EXPECT_EQ(result.config->instances[0].smtp_alert, std::optional<bool>(true));
}

TEST(MailKeywords, DefaultsAsKeepalived) {
  auto result = parse(R"(
global_defs {
  smtp_server 192.0.2.25
}
)" + kInstance);
  ASSERT_TRUE(result.ok()) << dump(result);
  const Mail& m = result.config->global.mail;
  EXPECT_EQ(m.port, 25);
  EXPECT_EQ(m.connect_timeout, Usec{30'000'000});
  EXPECT_FALSE(m.alert.has_value());
  EXPECT_FALSE(m.alert_vrrp.has_value());
  EXPECT_FALSE(m.enabled());  // nobody to mail
  EXPECT_FALSE(result.config->instances[0].smtp_alert.has_value());
}

TEST(MailKeywords, HostNameServerIsAccepted) {
  auto result = parse("global_defs {\n  smtp_server mail.example.org\n}\n" + kInstance);
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->global.mail.server, "mail.example.org");
}

struct BadMail {
  const char* line;
  const char* where;  // t.conf:LINE:COLUMN of the diagnostic
  const char* expected;
};

class MailKeywordErrors : public ::testing::TestWithParam<BadMail> {};

TEST_P(MailKeywordErrors, NameTheTokenAndWhatWasExpected) {
  const BadMail& bad = GetParam();
  auto result = parse(std::string("global_defs {\n") + bad.line + "\n}\n" + kInstance);
  ASSERT_FALSE(result.ok()) << dump(result);
  const std::string all = dump(result);
  EXPECT_NE(all.find(std::string("t.conf:") + bad.where + ": error: "), std::string::npos) << all;
  EXPECT_NE(all.find(bad.expected), std::string::npos) << all;
}

INSTANTIATE_TEST_SUITE_P(
    Global, MailKeywordErrors,
    ::testing::Values(
        BadMail{"  smtp_server 192.0.2.300", "2:15",
                "expected an IPv4 or IPv6 address or a host name, got '192.0.2.300'"},
        BadMail{"  smtp_server 2001:db8::zz", "2:15", "expected an IPv4 or IPv6 address"},
        BadMail{"  smtp_server -mail.example.org", "2:15", "expected an IPv4 or IPv6 address"},
        BadMail{"  smtp_server 192.0.2.25 70000", "2:26", "port: "},
        BadMail{"  smtp_server", "2:3", "expected an IPv4 or IPv6 address or a host name"},
        BadMail{"  smtp_connect_timeout 5000", "2:24", "expected an integer in 0..4294"},
        BadMail{"  smtp_alert maybe", "2:14", "expected true, false, on, off, yes or no"},
        BadMail{"  smtp_alert_vrrp 1", "2:19", "expected true, false, on, off, yes or no"},
        BadMail{"  notification_email_from <a@example.org>", "2:27",
                "expected a mail address without '<', '>' or ','"},
        BadMail{"  notification_email {\n    ops@example.org,root\n  }", "3:5",
                "expected a mail address without '<', '>' or ','"}));

TEST(MailKeywords, ZeroTimeoutWarnsAndUsesOneSecondAsKeepalived) {
  auto result = parse("global_defs {\n  smtp_connect_timeout 0\n}\n" + kInstance);
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->global.mail.connect_timeout, Usec{1'000'000});
  EXPECT_NE(dump(result).find("t.conf:2:24: warning: smtp_connect_timeout: smtp_connect_timeout "
                              "must be greater than 0, setting to 1"),
            std::string::npos)
      << dump(result);
}

TEST(MailKeywords, EmptyRecipientBlockWarns) {
  auto result = parse("global_defs {\n  notification_email {\n  }\n}\n" + kInstance);
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_NE(dump(result).find("t.conf:2:3: warning: notification_email: empty"), std::string::npos)
      << dump(result);
}

TEST(MailKeywords, InstanceSwitchRejectsOtherWords) {
  auto result = parse(R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 7
  smtp_alert sometimes
  virtual_ipaddress {
    192.0.2.10
  }
}
)");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(dump(result).find("t.conf:5:14: error: smtp_alert: expected true, false, on, off"),
            std::string::npos)
      << dump(result);
}

}  // namespace
}  // namespace keepvip::config
