// keepvipctl as users run it: a child process talking to a BusService on a
// private bus. Output and exit codes are the contract (scripts, zabbix,
// ExecReload depend on them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bus_fixture.h"
#include "keepvipctl/status_table.h"

#ifndef KEEPVIPCTL_PATH
#error "KEEPVIPCTL_PATH must name the keepvipctl binary"
#endif

namespace keepvip::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ports::InstanceSnapshot vi1() {
  ports::InstanceSnapshot s;
  s.name = "VI_1";
  s.state = vrrp::State::Master;
  s.priority = 150;
  s.effective_priority = 90;
  s.vrid = 51;
  s.version = 2;
  s.interface = "eth0";
  s.virtual_addresses = {"192.0.2.10/24", "192.0.2.11/24"};
  s.master_address = IpAddress::parse("192.0.2.1");
  return s;
}

class KeepvipctlTest : public BusFixture {
 protected:
  ProcessResult ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {KEEPVIPCTL_PATH, "--user"});
    return run_process(loop_.get(), args);
  }
};

TEST_F(KeepvipctlTest, StatusPrintsOneRowPerInstance) {
  auto second = vi1();
  second.name = "VI_6";
  second.state = vrrp::State::Backup;
  second.vrid = 61;
  second.version = 3;
  second.interface = "eth1";
  second.virtual_addresses = {"2001:db8::10/64"};
  second.master_address.reset();
  second.split_brain = true;
  second.evidence.resize(2);
  service_->instances_reset({vi1(), second});

  auto r = ctl({"status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines;
  for (size_t pos = 0, nl; (nl = r.out.find('\n', pos)) != std::string::npos; pos = nl + 1)
    lines.push_back(r.out.substr(pos, nl - pos));
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_THAT(lines[0], HasSubstr("INSTANCE"));
  EXPECT_THAT(lines[0], HasSubstr("SPLIT-BRAIN"));
  EXPECT_THAT(lines[1], HasSubstr("VI_1"));
  EXPECT_THAT(lines[1], HasSubstr("MASTER"));
  EXPECT_THAT(lines[1], HasSubstr("150/90"));
  EXPECT_THAT(lines[1], HasSubstr("51 v2"));
  EXPECT_THAT(lines[1], HasSubstr("192.0.2.10/24,192.0.2.11/24"));
  EXPECT_THAT(lines[1], HasSubstr("192.0.2.1 "));
  EXPECT_THAT(lines[1], ::testing::EndsWith("no"));
  EXPECT_THAT(lines[2], HasSubstr("VI_6"));
  EXPECT_THAT(lines[2], HasSubstr("BACKUP"));
  EXPECT_THAT(lines[2], HasSubstr("2001:db8::10/64"));
  EXPECT_THAT(lines[2], ::testing::EndsWith("YES (2)"));
  // Columns line up: the state column starts at the same offset everywhere.
  EXPECT_EQ(lines[1].find("MASTER"), lines[0].find("STATE"));
  EXPECT_EQ(lines[2].find("BACKUP"), lines[0].find("STATE"));
}

TEST_F(KeepvipctlTest, CheckSplitBrainPrintsExactlyZeroOrOne) {
  service_->instances_reset({vi1()});
  auto r = ctl({"check", "split-brain"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n");

  auto split = vi1();
  split.split_brain = true;
  service_->instance_updated(split);
  r = ctl({"check", "split-brain"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
}

TEST_F(KeepvipctlTest, SplitBrainListsTheEvidence) {
  auto calm = vi1();
  calm.name = "VI_2";
  auto split = vi1();
  split.split_brain = true;
  vrrp::SplitBrainEvidence vrid;
  vrid.kind = vrrp::EvidenceKind::VridMismatch;
  vrid.source = *IpAddress::parse("192.0.2.13");
  vrid.vrid = 52;
  vrid.priority = 50;
  vrid.first_seen_usec = 1'700'000'000'000'000;
  vrid.last_seen_usec = 1'700'000'009'000'000;
  vrrp::SplitBrainEvidence claim;
  claim.kind = vrrp::EvidenceKind::ArpConflict;
  claim.source = *IpAddress::parse("192.0.2.10");
  claim.mac = "02:6b:76:00:00:03";
  claim.vrid = 51;
  claim.first_seen_usec = claim.last_seen_usec = 1'700'000'001'000'000;
  split.evidence = {vrid, claim};
  service_->instances_reset({split, calm});

  auto r = ctl({"split-brain"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("VI_1 (MASTER, VRID 51 on eth0): SPLIT BRAIN\n"));
  EXPECT_THAT(r.out, HasSubstr("  vrid-mismatch from 192.0.2.13, VRID 52 priority 50\n"));
  EXPECT_THAT(r.out, HasSubstr("  arp-conflict: 192.0.2.10 claimed by 02:6b:76:00:00:03\n"));
  EXPECT_THAT(r.out, HasSubstr("    first seen 20"));  // a local date, 2023-11-...
  EXPECT_THAT(r.out, HasSubstr("VI_2 (MASTER, VRID 51 on eth0): no split brain\n"));
}

TEST_F(KeepvipctlTest, MethodsCarryTheirArguments) {
  service_->instances_reset({vi1()});
  EXPECT_EQ(ctl({"reload"}).exit_code, 0);
  EXPECT_EQ(ctl({"resign", "VI_1", "--hold", "1.5"}).exit_code, 0);
  EXPECT_EQ(ctl({"resign", "VI_1"}).exit_code, 0);
  EXPECT_EQ(ctl({"set-fault", "VI_1", "--reason", "disk full"}).exit_code, 0);
  EXPECT_EQ(ctl({"clear-fault", "VI_1"}).exit_code, 0);
  EXPECT_THAT(control_.requests, ElementsAre("reload", "resign VI_1 1500000", "resign VI_1 0",
                                             "set_fault VI_1 1 disk full", "set_fault VI_1 0 "));
}

TEST_F(KeepvipctlTest, SetFaultByUnitNamesTheInstances) {
  service_->instances_reset({vi1()});
  control_.tracking = {"VI_1"};
  auto r = ctl({"set-fault-by-unit", "httpd.service", "--reason", "httpd.service failed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "httpd.service counted as down by: VI_1\n");
  control_.tracking.clear();
  r = ctl({"set-fault-by-unit", "other.service"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("No instance tracks unit 'other.service'"));
  EXPECT_THAT(control_.requests, ElementsAre("unit_failed httpd.service httpd.service failed",
                                             "unit_failed other.service other.service failed"));
}

TEST_F(KeepvipctlTest, RefusalsExitOneWithTheReason) {
  service_->instances_reset({vi1()});
  auto r = ctl({"resign", "VI_9"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("VI_9"));
  EXPECT_THAT(r.err, HasSubstr("org.keepvip1.Error.NoSuchInstance"));

  control_.next_result = logic_error("keepvip.conf:7: virtual_router_id must be 1..255");
  r = ctl({"reload"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("keepvip.conf:7: virtual_router_id must be 1..255"));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST_F(KeepvipctlTest, UsageErrorsExitTwo) {
  EXPECT_EQ(ctl({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(ctl({"resign"}).exit_code, 2);
  EXPECT_EQ(ctl({"check", "split"}).exit_code, 2);
  EXPECT_EQ(ctl({"resign", "VI_1", "--hold", "-1"}).exit_code, 2);
  EXPECT_EQ(ctl({"--bogus", "status"}).exit_code, 2);
  EXPECT_TRUE(control_.requests.empty());
  auto help = ctl({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("check split-brain"));
  EXPECT_THAT(help.out, HasSubstr("split-brain  "));
}

TEST_F(KeepvipctlTest, AgentNotRunningExitsThreeAndPrintsNothing) {
  service_.reset();
  auto r = ctl({"check", "split-brain"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.out, IsEmpty()) << "monitoring must not read a 0 when the agent is down";
  EXPECT_THAT(r.err, HasSubstr("not running"));
}

TEST(StatusTable, EmptyShowsOnlyTheHeader) {
  std::string out = ctl::render_status_table({});
  EXPECT_EQ(out.find("INSTANCE"), 0u);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
}

}  // namespace
}  // namespace keepvip::testing
