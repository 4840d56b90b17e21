// The configurations of the walkthrough users start from (the seed document),
// with its "//" commentary removed, load as written.
#include <gtest/gtest.h>

#include <string>

#include "config/parser.h"

namespace keepvip::config {
namespace {

std::string seed(const std::string& name) {
  return std::string(KEEPVIP_CONFIG_SEED_DIR) + "/" + name;
}

struct Expected {
  Severity severity;
  int line;
  std::string keyword;
  std::string message_part;
};

void expect_diagnostics(const ParseResult& result, const std::vector<Expected>& expected) {
  ASSERT_EQ(result.diagnostics.size(), expected.size()) << [&] {
    std::string all;
    for (const auto& d : result.diagnostics) all += d.to_string() + "\n";
    return all;
  }();
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& d = result.diagnostics[i];
    SCOPED_TRACE(d.to_string());
    EXPECT_EQ(d.severity, expected[i].severity);
    EXPECT_EQ(d.where.line, expected[i].line);
    EXPECT_EQ(d.keyword, expected[i].keyword);
    EXPECT_NE(d.message.find(expected[i].message_part), std::string::npos);
  }
}

TEST(SeedConfig, DefaultConfigLoadsWithStrictModeAdjustments) {
  auto result = parse_file(seed("default.conf"));
  ASSERT_TRUE(result.ok());
  const Config& c = *result.config;
  EXPECT_EQ(c.global.router_id, "LVS_DEVEL");
  EXPECT_TRUE(c.global.vrrp_strict);
  EXPECT_TRUE(c.global.vrrp_skip_check_adv_addr);
  EXPECT_EQ(c.global.vrrp_garp_interval, Usec{0});
  EXPECT_EQ(c.global.vrrp_gna_interval, Usec{0});
  ASSERT_EQ(c.instances.size(), 1u);
  const Instance& vi = c.instances[0];
  EXPECT_EQ(vi.name, "VI_1");
  EXPECT_EQ(vi.interface, "eth0");
  EXPECT_EQ(vi.vrid, 51);
  EXPECT_EQ(vi.priority, 100);
  EXPECT_EQ(vi.version, 2);
  EXPECT_EQ(vi.advert_interval, Usec{1'000'000});
  // keepalived in strict mode: MASTER needs priority 255 -> BACKUP; no auth.
  EXPECT_EQ(vi.state, InitialState::Backup);
  EXPECT_FALSE(vi.auth_pass.has_value());
  EXPECT_FALSE(vi.preempt);  // nopreempt stays: the instance now starts as BACKUP
  ASSERT_EQ(vi.virtual_addresses.size(), 1u);
  EXPECT_EQ(vi.virtual_addresses[0].prefix.to_string(), "192.168.200.16/32");
  EXPECT_EQ(vi.family(), Family::V4);
  expect_diagnostics(result,
                     {
                         {Severity::Warning, 20, "state", "starting as BACKUP"},
                         {Severity::Warning, 26, "authentication", "strict mode"},
                         {Severity::Warning, 35, "virtual_server", "not handled by keepvip"},
                     });
  // The skipped block names what it contained.
  EXPECT_NE(result.diagnostics[2].message.find("real_server HTTP_GET url"), std::string::npos);
  // The seed's mail settings are read, not ignored.
  const Mail& mail = result.config->global.mail;
  EXPECT_EQ(mail.to, (std::vector<std::string>{"acassen@firewall.loc", "failover@firewall.loc",
                                               "sysadmin@firewall.loc"}));
  EXPECT_EQ(mail.from, "Alexandre.Cassen@firewall.loc");
  EXPECT_EQ(mail.server, "192.168.200.1");
  EXPECT_EQ(mail.connect_timeout, Usec{30'000'000});
}

void expect_seed_instance(const Instance& vi) {
  EXPECT_EQ(vi.name, "VI_1");
  EXPECT_EQ(vi.state, InitialState::Master);
  EXPECT_EQ(vi.interface, "ens33");
  EXPECT_EQ(vi.vrid, 51);
  EXPECT_EQ(vi.priority, 100);
  EXPECT_EQ(vi.advert_interval, Usec{1'000'000});
  EXPECT_TRUE(vi.preempt);
  EXPECT_EQ(vi.auth_pass, std::optional<std::string>("wjy123"));
  ASSERT_EQ(vi.virtual_addresses.size(), 1u);
  EXPECT_EQ(vi.virtual_addresses[0].prefix.to_string(), "192.168.222.250/32");
  EXPECT_TRUE(vi.virtual_addresses[0].dev.empty());
}

TEST(SeedConfig, MasterAndBackupConfigsLoad) {
  for (const char* name : {"master.conf", "backup.conf"}) {
    SCOPED_TRACE(name);
    auto result = parse_file(seed(name));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config->global.router_id, "lb01");
    ASSERT_EQ(result.config->instances.size(), 1u);
    expect_seed_instance(result.config->instances[0]);
    expect_diagnostics(result, {{Severity::Warning, 22, "virtual_server", "not handled"}});
  }
}

TEST(SeedConfig, MasterWithScriptLoadsDespiteUndefinedTrackScript) {
  auto result = parse_file(seed("master_script.conf"));
  ASSERT_TRUE(result.ok());
  const Config& c = *result.config;
  ASSERT_EQ(c.scripts.size(), 1u);
  const Script& s = c.scripts.at("httpd_check");
  EXPECT_EQ(s.command, "/scripts/check_apache.sh");
  EXPECT_EQ(s.interval, Usec{1'000'000});
  EXPECT_EQ(s.weight, -20);
  EXPECT_EQ(s.where.line, 7);
  ASSERT_EQ(c.instances.size(), 1u);
  const Instance& vi = c.instances[0];
  expect_seed_instance(vi);
  // The seed tracks "nginx_check" but defines "httpd_check": ignored, as keepalived does.
  EXPECT_TRUE(vi.track_scripts.empty());
  EXPECT_EQ(vi.notify_master.command, "/scripts/notify.sh master 192.168.222.250");
  EXPECT_EQ(vi.notify_backup.command, "/scripts/notify.sh backup 192.168.222.250");
  expect_diagnostics(
      result, {
                  {Severity::Warning, 27, "track_script", "no vrrp_script named 'nginx_check'"},
                  {Severity::Warning, 33, "virtual_server", "not handled"},
              });
  EXPECT_EQ(result.diagnostics[0].where.column, 9);
}

TEST(SeedConfig, BackupWithNotifyLoads) {
  auto result = parse_file(seed("backup_notify.conf"));
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.config->instances.size(), 1u);
  const Instance& vi = result.config->instances[0];
  expect_seed_instance(vi);
  EXPECT_EQ(vi.notify_master.command, "/scripts/notify.sh master 192.168.222.250");
  EXPECT_EQ(vi.notify_backup.command, "/scripts/notify.sh backup 192.168.222.250");
  expect_diagnostics(result, {{Severity::Warning, 24, "virtual_server", "not handled"}});
}

TEST(SeedConfig, MissingInterfaceOnTheHostIsAWarning) {
  HostProbe probe{[](const std::string& name) { return name == "eth0"; }};
  auto result = parse_file(seed("master.conf"), probe);
  ASSERT_TRUE(result.ok());
  expect_diagnostics(result, {
                                 {Severity::Warning, 9, "interface",
                                  "interface 'ens33' does not exist on this host"},
                                 {Severity::Warning, 22, "virtual_server", "not handled"},
                             });
}

}  // namespace
}  // namespace keepvip::config
