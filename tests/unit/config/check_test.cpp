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
  smtp_server 192.0.2.25
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
  EXPECT_NE(output.find(path_ + ":3:3: warning: smtp_server: accepted, not used by keepvip"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find(path_ + ":16:13: warning: interface: interface 'kvnoexist0' "
                                "does not exist on this host"),
            std::string::npos)
      << output;
  EXPECT_EQ(output.substr(output.rfind('\n', output.size() - 2) + 1),
            path_ + ": OK, 2 instances, 1 script, 2 warnings\n");
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
