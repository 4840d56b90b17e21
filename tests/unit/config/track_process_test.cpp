// vrrp_track_process and track_process, read as keepalived 2.2.8 reads them
// (vrrp_parser.c, vrrp_track.c).
#include <gtest/gtest.h>

#include <string>

#include "config/parser.h"
#include "parse_helpers.h"

namespace keepvip::config {
namespace {

using testing::dump;
using testing::parse;

std::string with_instance(const std::string& definitions, const std::string& tracks) {
  return definitions +
         "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
         " virtual_ipaddress {\n  192.0.2.10\n }\n track_process {\n" +
         tracks + " }\n}\n";
}

TEST(TrackProcess, DefaultsAsKeepalived) {
  auto r = parse(with_instance("vrrp_track_process p {\n process nginx\n}\n", "  p\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  const TrackedProcess& p = r.config->processes.at("p");
  EXPECT_EQ(p.process, "nginx");
  EXPECT_FALSE(p.full_command);
  EXPECT_EQ(p.param_match, ParamMatch::None);
  EXPECT_EQ(p.weight, 0);  // the code's default, whatever keepalived's man page says
  EXPECT_EQ(p.quorum, 1u);
  EXPECT_EQ(p.quorum_max, 0xffffffffU);
  ASSERT_EQ(r.config->instances[0].track_processes.size(), 1u);
  EXPECT_EQ(r.config->instances[0].track_processes[0].name, "p");
}

TEST(TrackProcess, ParametersImplyExactFullCommand) {
  auto r = parse(with_instance(
      "vrrp_track_process p {\n process /usr/bin/sleep 100 \"a b\"\n weight -20 reverse\n"
      " quorum 2\n quorum_max 3\n delay 1.5\n}\n",
      "  p weight 10 noreverse\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  const TrackedProcess& p = r.config->processes.at("p");
  EXPECT_EQ(p.process, "/usr/bin/sleep");
  EXPECT_EQ(p.params, (std::vector<std::string>{"100", "a b"}));
  EXPECT_EQ(p.param_match, ParamMatch::Exact);
  EXPECT_TRUE(p.full_command);
  EXPECT_EQ(p.weight, -20);
  EXPECT_TRUE(p.weight_reverse);
  EXPECT_EQ(p.quorum, 2u);
  EXPECT_EQ(p.quorum_max, 3u);
  EXPECT_EQ(p.fork_delay, Usec{1'500'000});
  EXPECT_EQ(p.terminate_delay, Usec{1'500'000});
  const Track& t = r.config->instances[0].track_processes[0];
  EXPECT_EQ(t.weight, 10);
  EXPECT_EQ(t.reverse, false);
}

TEST(TrackProcess, ParamMatchKindsAndDelays) {
  auto r = parse(with_instance(
      "vrrp_track_process a {\n param_match partial\n process /bin/x 1\n fork_delay 2\n}\n"
      "vrrp_track_process b {\n process /bin/y\n param_match initial\n terminate_delay 3\n}\n"
      "vrrp_track_process c {\n process /bin/z\n param_match\n}\n",
      "  a\n  b\n  c\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->processes.at("a").param_match, ParamMatch::Partial);
  EXPECT_EQ(r.config->processes.at("a").fork_delay, Usec{2'000'000});
  EXPECT_EQ(r.config->processes.at("a").terminate_delay, Usec{0});
  EXPECT_EQ(r.config->processes.at("b").param_match, ParamMatch::Initial);
  EXPECT_TRUE(r.config->processes.at("b").full_command);
  EXPECT_EQ(r.config->processes.at("b").terminate_delay, Usec{3'000'000});
  EXPECT_EQ(r.config->processes.at("c").param_match, ParamMatch::Exact);
}

TEST(TrackProcess, QuorumMaxZeroMeansNoneMayRun) {
  auto r =
      parse(with_instance("vrrp_track_process p {\n process bad\n quorum_max 0\n}\n", "  p\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->processes.at("p").quorum, 0u);
  EXPECT_EQ(r.config->processes.at("p").quorum_max, 0u);
}

struct Bad {
  const char* body;
  const char* where;
  const char* says;
};

TEST(TrackProcess, BadValuesAreErrorsAtTheirToken) {
  const Bad rows[] = {
      {" process x\n quorum_max 2\n quorum 3\n", "t.conf:4:9", "greater than quorum_max"},
      {" process x\n quorum 3\n quorum_max 2\n", "t.conf:4:13", "less than quorum"},
      {" process x\n weight 300\n", "t.conf:3:9", "-254"},
      {" process x\n weight 5 backwards\n", "t.conf:3:11", "reverse"},
      {" process x\n param_match some\n", "t.conf:3:14", "initial"},
      {" process x\n delay 0\n", "t.conf:3:8", ""},
      {" process x\n process y\n", "t.conf:3:10", "already set"},
      {" weight 5\n", "t.conf:1:20", "process name not specified"},
  };
  for (const Bad& row : rows) {
    SCOPED_TRACE(row.body);
    auto r = parse("vrrp_track_process p {\n" + std::string(row.body) + "}\n");
    ASSERT_FALSE(r.ok()) << dump(r);
    EXPECT_EQ(r.diagnostics[0].where.to_string(), row.where) << dump(r);
    EXPECT_NE(r.diagnostics[0].message.find(row.says), std::string::npos) << dump(r);
  }
}

TEST(TrackProcess, UnknownReferenceIsIgnoredWithAWarning) {
  auto r = parse(with_instance("", "  nosuch\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("track process nosuch not found"), std::string::npos);
  EXPECT_TRUE(r.config->instances[0].track_processes.empty());
}

TEST(TrackProcess, ANameLongerThanAProcessNameCanBeWarnsWithoutFullCommand) {
  auto r = parse(
      with_instance("vrrp_track_process p {\n process a-very-long-process-name\n}\n", "  p\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("full_command"), std::string::npos);
}

}  // namespace
}  // namespace keepvip::config
