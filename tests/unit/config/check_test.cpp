// keepvipd --check: diagnostics, one summary line, exit status.
#include "config/check.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace keepvip::config {
namespace {

class CheckFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / "keepvip-check-XXXXXX").string();
    int fd = ::mkstemp(path_.data());
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  int check(const std::string& text, std::string& output, const CheckOptions& options = {}) {
    std::ofstream(path_) << text;
    std::ostringstream out;
    int rc = run_check(path_, out, options);
    output = out.str();
    return rc;
  }
  std::string path_;
};

TEST_F(CheckFile, ValidFileSummarisesInstancesScriptsAndWarnings) {
  std::string output;
  int rc = check(R"(
global_defs {
  smtp_alert_checker
}
vrrp_script chk {
  script /bin/true
}
vrrp_instance A {
  interface lo
  virtual_router_id 1
  virtual_ipaddress {
    192.0.2.1
  }
}
vrrp_instance B {
  interface kvnoexist0
  virtual_router_id 2
  virtual_ipaddress {
    192.0.2.2
  }
}
)",
                 output);
  EXPECT_EQ(rc, 0) << output;
  // "lo" exists everywhere; the other interface does not: a warning, not an error.
  EXPECT_NE(output.find(path_ + ":3:3: warning: smtp_alert_checker: accepted, not used by keepvip"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find(path_ + ":16:13: warning: interface: interface 'kvnoexist0' "
                                "does not exist on this host"),
            std::string::npos)
      << output;
  EXPECT_EQ(output.substr(output.rfind('\n', output.size() - 2) + 1),
            path_ + ": OK, 2 instances, 1 script, 2 warnings\n");
}

// What strict mode's no_accept drops surprises users: one line per instance
// that drops, naming its addresses and what to write instead; none for the
// others, and no warning (--strict passes).
TEST_F(CheckFile, InstancesThatDropTrafficToTheirVipsAreNamed) {
  std::string output;
  int rc = check(R"(global_defs {
  vrrp_strict
}
vrrp_instance V2 {
  interface lo
  virtual_router_id 1
  virtual_ipaddress {
    192.0.2.1
    192.0.2.2
  }
}
vrrp_instance V3 {
  interface lo
  version 3
  virtual_router_id 2
  virtual_ipaddress {
    192.0.2.3
  }
}
vrrp_instance ACCEPTS {
  interface lo
  version 3
  accept
  virtual_router_id 3
  virtual_ipaddress {
    192.0.2.4
  }
}
)",
                 output, CheckOptions{std::nullopt, /*strict=*/true});
  EXPECT_EQ(rc, 0) << output;
  EXPECT_EQ(output,
            "note: V2 drops traffic to 192.0.2.1, 192.0.2.2 while MASTER (strict mode; "
            "nftables table keepvip): strict VRRPv2 cannot accept (RFC 3768); use "
            "version 3 and 'accept' to answer it\n"
            "note: V3 drops traffic to 192.0.2.3 while MASTER (strict mode; nftables "
            "table keepvip): add 'accept' to the instance to answer it\n" +
                path_ + ": OK, 3 instances, 0 scripts, 0 warnings\n");
}

TEST_F(CheckFile, InvalidFileCountsErrorsAndFails) {
  std::string output;
  int rc = check(
      "vrrp_instance A {\n  priority 300\n  interface lo\n  virtual_router_id 1\n"
      "  virtual_ipaddress {\n    192.0.2.1\n  }\n  advert_int 256\n}\n",
      output);
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(output, path_ + ":2:12: error: priority: expected an integer in 1..255, got '300'\n" +
                        path_ +
                        ":8:14: error: advert_int: expected 0.01..255 seconds (VRRPv2: whole "
                        "seconds, VRRPv3: up to 40.95), got 256s\n" +
                        path_ + ": 2 errors\n");
}

// Scripts are judged on this host: a script_user that does not exist fails
// the check, naming it, rather than leaving scripts to run as root.
TEST_F(CheckFile, AScriptUserThatDoesNotExistFails) {
  std::string output;
  int rc = check(
      "global_defs {\n  script_user kv-no-such-user\n}\n"
      "vrrp_instance A {\n  interface lo\n  virtual_router_id 1\n"
      "  virtual_ipaddress {\n    192.0.2.1\n  }\n  notify_master /bin/true\n}\n",
      output);
  EXPECT_EQ(rc, 1) << output;
  EXPECT_NE(output.find(path_ + ":2:15: error: script_user: user 'kv-no-such-user' does not exist"),
            std::string::npos)
      << output;
}

// enable_script_security: a root script in a directory anyone may write is
// named with its line and the reason, and left out; the file is still usable.
TEST_F(CheckFile, AnUnsafeScriptIsNamedWithWhy) {
  if (::geteuid() != 0) GTEST_SKIP() << "judged as root would judge it";
  char dir_template[] = "/tmp/keepvip-check-scripts-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  const std::string script = dir + "/check.sh";
  std::ofstream(script) << "#!/bin/sh\nexit 0\n";
  ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
  std::string output;
  int rc = check(
      "global_defs {\n  script_user root\n  enable_script_security\n}\n"
      "vrrp_script chk {\n  script \"" +
          script +
          " --quick\"\n}\n"
          "vrrp_instance A {\n  interface lo\n  virtual_router_id 1\n"
          "  virtual_ipaddress {\n    192.0.2.1\n  }\n"
          "  track_script {\n    chk\n  }\n}\n",
      output);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(rc, 0) << output;
  EXPECT_NE(output.find(path_ +
                        ":6:10: warning: script: vrrp_script chk disabled: unsafe "
                        "permissions found for script '" +
                        script + "': " + dir +
                        " is writable by every user, and it runs as root; "
                        "enable_script_security refuses such a script; instances tracking it "
                        "elect without it, as in keepalived"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find(path_ + ": OK, 1 instance, 0 scripts"), std::string::npos) << output;
}

const char* kWarnsOnly =
    "global_defs {\n  enable_snmp_vrrp\n}\n"
    "vrrp_instance A {\n  interface lo\n  virtual_router_id 1\n"
    "  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n";

TEST_F(CheckFile, StrictFailsOnWarningsForCiPipelines) {
  std::string output;
  EXPECT_EQ(check(kWarnsOnly, output), 0) << output;
  EXPECT_EQ(check(kWarnsOnly, output, {std::nullopt, /*strict=*/true}), 1) << output;
  EXPECT_NE(output.find(path_ + ":2:3: warning: enable_snmp_vrrp:"), std::string::npos) << output;
  EXPECT_EQ(output.substr(output.rfind('\n', output.size() - 2) + 1),
            path_ + ": 1 warning (--strict)\n");
}

TEST_F(CheckFile, StrictPassesACleanFile) {
  std::string output;
  std::string clean = kWarnsOnly;
  clean.erase(0, clean.find("vrrp_instance"));
  EXPECT_EQ(check(clean, output, {std::nullopt, true}), 0) << output;
  EXPECT_NE(output.find("OK, 1 instance, 0 scripts, 0 warnings"), std::string::npos) << output;
}

TEST_F(CheckFile, ConfigIdSelectsTheConditionalLines) {
  std::string text =
      "vrrp_instance A {\n  interface lo\n  virtual_router_id 1\n  @a priority 100\n"
      "  @b priority 300\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n";
  std::string output;
  EXPECT_EQ(check(text, output, {"a", false}), 0) << output;
  EXPECT_EQ(check(text, output, {"b", false}), 1) << output;
  EXPECT_NE(output.find(":5:15: error: priority:"), std::string::npos) << output;
}

TEST(Check, MissingFileFails) {
  std::ostringstream out;
  EXPECT_EQ(run_check("/nonexistent/keepvip.conf", out), 1);
  EXPECT_NE(out.str().find("/nonexistent/keepvip.conf: 1 error"), std::string::npos);
}

}  // namespace
}  // namespace keepvip::config
