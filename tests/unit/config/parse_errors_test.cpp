// Every error the parser promises, with the exact place and keyword it names.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "config/parser.h"
#include "memory_files.h"

namespace keepvip::config {
namespace {

struct ErrorCase {
  const char* name;
  const char* text;
  int line;
  int column;
  const char* keyword;
  const char* message_part;
};

// A valid instance body to wrap single mistakes in.
#define INSTANCE_HEAD "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
#define INSTANCE_VIP "  virtual_ipaddress {\n    192.0.2.10/24\n  }\n"

const ErrorCase kCases[] = {
    {"misspelt keyword suggests the right one", INSTANCE_HEAD INSTANCE_VIP "  priorty 100\n}\n", 7,
     3, "priorty", "did you mean 'priority'?"},
    {"misspelt top-level keyword", "vrrp_instanse VI_1 {\n}\n", 1, 1, "vrrp_instanse",
     "did you mean 'vrrp_instance'?"},
    {"unknown keyword without a close match", INSTANCE_HEAD INSTANCE_VIP "  frobnicate\n}\n", 7, 3,
     "frobnicate", "unknown keyword in vrrp_instance"},
    {"unknown keyword points at the reference", INSTANCE_HEAD INSTANCE_VIP "  frobnicate\n}\n", 7,
     3, "frobnicate", "see keepvip.conf(5)"},
    {"a walkthrough's // note says how comments are written",
     INSTANCE_HEAD INSTANCE_VIP "  //the master\n}\n", 7, 3, "//the", "use '!' or '#'"},
    {"missing closing brace points at the opening one", INSTANCE_HEAD INSTANCE_VIP, 1, 20,
     "vrrp_instance", "missing '}'"},
    {"missing inner brace is found by indentation, with no cascade",
     "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  authentication {\n"
     "    auth_type PASS\n    auth_pass 1111\n  virtual_ipaddress {\n    192.0.2.10/24\n  }\n}\n"
     "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 52\n" INSTANCE_VIP "}\n",
     4, 18, "authentication", "'virtual_ipaddress' at 7:3 is indented like 'authentication'"},
    {"stray closing brace", INSTANCE_HEAD INSTANCE_VIP "}\n}\n", 8, 1, "}", "stray '}'"},
    {"unterminated quote", INSTANCE_HEAD INSTANCE_VIP "  notify_master \"/bin/true master\n}\n", 7,
     17, "notify_master", "unterminated quoted string"},
    {"priority above 255", INSTANCE_HEAD INSTANCE_VIP "  priority 300\n}\n", 7, 12, "priority",
     "expected an integer in 1..255, got '300'"},
    {"priority 0", INSTANCE_HEAD INSTANCE_VIP "  priority 0\n}\n", 7, 12, "priority",
     "expected an integer in 1..255"},
    {"priority not a number", INSTANCE_HEAD INSTANCE_VIP "  priority high\n}\n", 7, 12, "priority",
     "got 'high'"},
    {"vrid above 255",
     "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 256\n" INSTANCE_VIP "}\n", 3, 21,
     "virtual_router_id", "expected an integer in 1..255, got '256'"},
    {"vrid 0", "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 0\n" INSTANCE_VIP "}\n",
     3, 21, "virtual_router_id", "1..255"},
    {"bad address", INSTANCE_HEAD "  virtual_ipaddress {\n    192.0.2.300\n  }\n}\n", 5, 5,
     "virtual_ipaddress", "expected an IPv4 or IPv6 address[/prefix], got '192.0.2.300'"},
    {"IPv4 prefix too long", INSTANCE_HEAD "  virtual_ipaddress {\n    192.0.2.10/33\n  }\n}\n", 5,
     5, "virtual_ipaddress", "prefix length 33 is too long for IPv4 (at most 32)"},
    {"IPv6 prefix too long", INSTANCE_HEAD "  virtual_ipaddress {\n    2001:db8::10/129\n  }\n}\n",
     5, 5, "virtual_ipaddress", "prefix length 129 is too long for IPv6"},
    {"bad unicast peer", INSTANCE_HEAD INSTANCE_VIP "  unicast_peer {\n    192.0.2.\n  }\n}\n", 8,
     5, "unicast_peer", "expected an IPv4 or IPv6 address"},
    {"bad unicast_src_ip", INSTANCE_HEAD INSTANCE_VIP "  unicast_src_ip localhost\n}\n", 7, 18,
     "unicast_src_ip", "got 'localhost'"},
    {"unknown auth_type",
     INSTANCE_HEAD INSTANCE_VIP "  authentication {\n    auth_type ESP\n  }\n}\n", 8, 15,
     "auth_type", "expected PASS or AH, got 'ESP'"},
    {"duplicate VRID and family on one interface",
     INSTANCE_HEAD INSTANCE_VIP
     "}\nvrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 51\n"
     "  virtual_ipaddress {\n    192.0.2.11\n  }\n}\n",
     10, 3, "virtual_router_id", "VRID 51 is already used for IPv4 on eth0 by vrrp_instance VI_1"},
    {"duplicate instance name",
     INSTANCE_HEAD INSTANCE_VIP
     "}\nvrrp_instance VI_1 {\n  interface eth1\n  virtual_router_id 52\n"
     "  virtual_ipaddress {\n    192.0.2.11\n  }\n}\n",
     8, 15, "vrrp_instance",
     "duplicate instance name 'VI_1' (first defined at dir/test.conf:1:15)"},
    {"VRRPv2 advert_int above 255", INSTANCE_HEAD INSTANCE_VIP "  advert_int 256\n}\n", 7, 14,
     "advert_int", "expected 0.01..255 seconds"},
    {"VRRPv2 advert_int 0", INSTANCE_HEAD INSTANCE_VIP "  advert_int 0\n}\n", 7, 14, "advert_int",
     "0.01..255"},
    {"no virtual addresses with VRRPv3", INSTANCE_HEAD "  version 3\n}\n", 1, 15,
     "virtual_ipaddress", "has no virtual addresses; VRRPv3 needs at least one"},
    {"empty virtual_ipaddress block in strict mode",
     "global_defs {\n  vrrp_strict\n}\n" INSTANCE_HEAD "  virtual_ipaddress {\n  }\n}\n", 7, 3,
     "virtual_ipaddress", "strict mode needs at least one"},
    {"VRRPv3 advert_int below a centisecond",
     INSTANCE_HEAD INSTANCE_VIP "  version 3\n  advert_int 0.005\n}\n", 8, 14, "advert_int",
     "0.01..255"},
    {"advert_int not a number", INSTANCE_HEAD INSTANCE_VIP "  advert_int fast\n}\n", 7, 14,
     "advert_int", "expected seconds"},
    {"missing interface", "vrrp_instance VI_1 {\n  virtual_router_id 51\n" INSTANCE_VIP "}\n", 1,
     15, "interface", "has no 'interface'"},
    {"missing virtual_router_id", "vrrp_instance VI_1 {\n  interface eth0\n" INSTANCE_VIP "}\n", 1,
     15, "virtual_router_id", "has no 'virtual_router_id'"},
    {"include file missing", "include missing.conf\n", 1, 1, "include",
     "file not found: 'dir/missing.conf'"},
    {"block keyword without a block", INSTANCE_HEAD "  virtual_ipaddress 192.0.2.10\n}\n", 4, 3,
     "virtual_ipaddress", "expected '{'"},
    {"statement keyword with a block", INSTANCE_HEAD INSTANCE_VIP "  priority 100 {\n  }\n}\n", 7,
     16, "priority", "takes no '{' block"},
    {"keyword without its value", INSTANCE_HEAD INSTANCE_VIP "  priority\n}\n", 7, 3, "priority",
     "expected an integer in 1..255"},
    {"script weight out of range", "vrrp_script chk {\n  script /bin/true\n  weight 254\n}\n", 3,
     10, "weight", "expected an integer in -253..253, got '254'"},
    {"script without a script line", "vrrp_script chk {\n  interval 2\n}\n", 1, 13, "vrrp_script",
     "has no 'script' line"},
    {"notify_script_timeout out of range", "global_defs {\n  notify_script_timeout 0.5\n}\n", 2, 25,
     "notify_script_timeout", "expected seconds in 1s..1000s, got"},
    {"unbalanced quotes in a script", "vrrp_script chk {\n  script \"/bin/check 'open\"\n}\n", 2,
     10, "script", "expected balanced quotes"},
    {"duplicate script",
     "vrrp_script chk {\n  script /bin/true\n}\nvrrp_script chk {\n  script /bin/false\n}\n", 4, 13,
     "vrrp_script", "duplicate vrrp_script 'chk'"},
    {"track weight out of range",
     INSTANCE_HEAD INSTANCE_VIP "  track_interface {\n    eth1 weight 300\n  }\n}\n", 8, 17,
     "track_interface", "expected an integer in -254..254, got '300'"},
    {"unknown VIP option",
     INSTANCE_HEAD "  virtual_ipaddress {\n    192.0.2.10/24 device eth0\n  }\n}\n", 5, 19,
     "virtual_ipaddress", "unknown address option 'device'"},
    {"reference options without reference_ip", INSTANCE_HEAD INSTANCE_VIP "  reference_fall 2\n}\n",
     7, 3, "reference_ip", "need 'reference_ip ADDRESS'"},
    {"bad reference_ip", INSTANCE_HEAD INSTANCE_VIP "  reference_ip gateway\n}\n", 7, 16,
     "reference_ip", "expected an IPv4 or IPv6 address"},
    {"interface name too long",
     "vrrp_instance VI_1 {\n  interface averyveryverylongname\n  virtual_router_id "
     "51\n" INSTANCE_VIP "}\n",
     2, 13, "interface", "1..15 characters"},
    {"interface name with a colon",
     "vrrp_instance VI_1 {\n  interface eth0:1\n  virtual_router_id 51\n" INSTANCE_VIP "}\n", 2, 13,
     "interface", "without '/', ':' or spaces, got 'eth0:1'"},
    {"tracked interface name too long",
     INSTANCE_HEAD INSTANCE_VIP "  track_interface {\n    averyveryverylongname\n  }\n}\n", 8, 5,
     "track_interface", "1..15 characters"},
};

class ParseErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrors, ReportsPlaceKeywordAndExpectation) {
  const ErrorCase& c = GetParam();
  testing::MemoryFiles files;
  auto result = parse_text(c.text, "dir/test.conf", {}, files);
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(result.config.has_value());
  const Diagnostic* error = nullptr;
  std::string all;
  for (const auto& d : result.diagnostics) {
    all += d.to_string() + "\n";
    if (!error && d.severity == Severity::Error) error = &d;
  }
  ASSERT_NE(error, nullptr) << all;
  EXPECT_EQ(error->where.file, "dir/test.conf");
  EXPECT_EQ(error->where.line, c.line) << all;
  EXPECT_EQ(error->where.column, c.column) << all;
  EXPECT_EQ(error->keyword, c.keyword) << all;
  EXPECT_NE(error->message.find(c.message_part), std::string::npos) << all;
  // One mistake, one error: no follow-up errors repeating it.
  EXPECT_EQ(result.error_count(), 1u) << all;
}

std::string case_name(const ::testing::TestParamInfo<ErrorCase>& info) {
  std::string name;
  for (const char* p = info.param.name; *p; ++p)
    name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Config, ParseErrors, ::testing::ValuesIn(kCases), case_name);

// Without indentation there is nothing to read the block's end from: no
// guess, the '{' left open at the end of the input is reported.
TEST(MissingBrace, FlatFileIsNotGuessed) {
  testing::MemoryFiles files;
  auto result = parse_text(
      "vrrp_instance VI_1 {\ninterface eth0\nvirtual_router_id 51\nauthentication {\n"
      "auth_type PASS\nvirtual_ipaddress {\n192.0.2.10/24\n}\n}\n",
      "flat.conf", {}, files);
  EXPECT_FALSE(result.ok());
  std::string all;
  for (const auto& d : result.diagnostics) all += d.to_string() + "\n";
  EXPECT_NE(all.find("flat.conf:1:20: error: vrrp_instance: missing '}'"), std::string::npos)
      << all;
  EXPECT_EQ(all.find("indented like"), std::string::npos) << all;
}

// Two forgotten braces, two errors, each at its own block.
TEST(MissingBrace, EachForgottenBraceIsReportedOnce) {
  testing::MemoryFiles files;
  auto result = parse_text(
      "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  authentication {\n"
      "    auth_type PASS\n  virtual_ipaddress {\n    192.0.2.10/24\n"
      "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 52\n" INSTANCE_VIP "}\n",
      "two.conf", {}, files);
  std::string all;
  for (const auto& d : result.diagnostics) all += d.to_string() + "\n";
  EXPECT_EQ(result.error_count(), 3u) << all;
  EXPECT_NE(all.find("two.conf:4:18: error: authentication: missing '}'"), std::string::npos)
      << all;
  EXPECT_NE(all.find("two.conf:6:21: error: virtual_ipaddress: missing '}'"), std::string::npos)
      << all;
  EXPECT_NE(all.find("two.conf:1:20: error: vrrp_instance: missing '}'"), std::string::npos) << all;
}

TEST(DiagnosticFormat, NamesFileLineColumnKeywordAndExpectation) {
  testing::MemoryFiles files;
  auto result = parse_text(INSTANCE_HEAD INSTANCE_VIP "  priority 300\n}\n", "k.conf", {}, files);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            "k.conf:7:12: error: priority: expected an integer in 1..255, got '300'");
}

TEST(DiagnosticOrder, ErrorsComeInFileOrderAcrossPhases) {
  // The missing interface (found at validation) sits on line 1; the bad
  // priority (found while reading) on line 6: line 1 comes first.
  testing::MemoryFiles files;
  auto result = parse_text("vrrp_instance VI_1 {\n  virtual_router_id 51\n" INSTANCE_VIP
                           "  priority 300\n}\n",
                           "k.conf", {}, files);
  ASSERT_EQ(result.diagnostics.size(), 2u);
  EXPECT_EQ(result.diagnostics[0].keyword, "interface");
  EXPECT_EQ(result.diagnostics[1].keyword, "priority");
}

TEST(DiagnosticLimits, AFloodOfMistakesIsCappedButStillAnError) {
  testing::MemoryFiles files;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "}\n";
  auto result = parse_text(text, "k.conf", {}, files);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1001u);
  EXPECT_EQ(result.diagnostics[999].where.line, 1000);
  EXPECT_EQ(result.diagnostics.back().severity, Severity::Error);
  EXPECT_EQ(result.diagnostics.back().message, "2000 more diagnostics not shown");
}

TEST(DiagnosticLimits, ControlCharactersInUserTextAreNotPrinted) {
  testing::MemoryFiles files;
  auto result = parse_text("bad\x1b[31mword\n", "k.conf", {}, files);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].keyword, "bad?[31mword");
}

}  // namespace
}  // namespace keepvip::config
