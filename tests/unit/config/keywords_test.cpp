// Each handled keyword lands in the model; keepalived's compatibility rules
// and the "accepted / not handled" warnings behave as documented.
#include <gtest/gtest.h>

#include <string>

#include "config/parser.h"
#include "memory_files.h"

namespace keepvip::config {
namespace {

ParseResult parse(const std::string& text, const HostProbe& probe = {}) {
  testing::MemoryFiles files;
  return parse_text(text, "t.conf", probe, files);
}

std::string dump(const ParseResult& r) {
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  return all;
}

size_t count_warnings(const ParseResult& r, const std::string& keyword) {
  size_t n = 0;
  for (const auto& d : r.diagnostics) n += d.severity == Severity::Warning && d.keyword == keyword;
  return n;
}

const char* kFullInstance = R"(
global_defs {
  router_id node-a
  vrrp_version 2
  script_user keepvip keepvip
  enable_script_security
  notify_script_timeout 12.5
  vrrp_garp_interval 0.001
  vrrp_gna_interval 0.002
  vrrp_garp_master_delay 3
  vrrp_garp_master_repeat 2
  vrrp_garp_master_refresh 60
}
vrrp_script chk_httpd {
  script "/usr/bin/systemctl is-active httpd"
  interval 2
  timeout 1.5
  weight 10 reverse
  rise 3
  fall 4
  user nobody nogroup
  init_fail
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 2
  version 2
  nopreempt
  authentication {
    auth_type PASS
    auth_pass secret
  }
  virtual_ipaddress {
    192.0.2.10/24 dev eth1 label eth1:vip
    192.0.2.11
  }
  virtual_ipaddress_excluded {
    192.0.2.20/32
    2001:db8::20/64
  }
  unicast_src_ip 192.0.2.1
  unicast_peer {
    192.0.2.2
    192.0.2.3
  }
  track_interface {
    eth1
    eth2 weight -30 reverse
  }
  track_script {
    chk_httpd weight 5 noreverse
  }
  track_unit {
    httpd.service weight -50
    haproxy.service
  }
  master_units {
    httpd.service
    php-fpm.service mariadb.service
  }
  notify_master "/etc/keepvip/notify.sh master"
  notify_backup "/etc/keepvip/notify.sh backup"
  notify_fault "/etc/keepvip/notify.sh fault"
  notify_stop "/etc/keepvip/notify.sh stop"
  notify /etc/keepvip/notify-all.sh
  garp_master_delay 1
  garp_master_repeat 3
  garp_master_refresh 30
  reference_ip 192.0.2.254
  reference_interval 0.5
  reference_fall 5
  reference_rise 4
  split_brain_quiet 20
}
)";

TEST(Keywords, EveryHandledKeywordReachesTheModel) {
  auto result = parse(kFullInstance);
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.diagnostics.empty()) << dump(result);
  const Config& c = *result.config;
  EXPECT_EQ(c.global.router_id, "node-a");
  EXPECT_EQ(c.global.vrrp_version, 2);
  EXPECT_EQ(c.global.script_user, "keepvip");
  EXPECT_EQ(c.global.script_group, "keepvip");
  EXPECT_TRUE(c.global.enable_script_security);
  EXPECT_EQ(c.global.notify_script_timeout, Usec{12'500'000});
  EXPECT_EQ(c.global.vrrp_garp_interval, Usec{1000});
  EXPECT_EQ(c.global.vrrp_gna_interval, Usec{2000});
  EXPECT_EQ(c.global.vrrp_garp_master_delay, Usec{3'000'000});
  EXPECT_EQ(c.global.vrrp_garp_master_repeat, 2);
  EXPECT_EQ(c.global.vrrp_garp_master_refresh, Usec{60'000'000});

  const Script& s = c.scripts.at("chk_httpd");
  EXPECT_EQ(s.command, "/usr/bin/systemctl is-active httpd");
  EXPECT_EQ(s.interval, Usec{2'000'000});
  EXPECT_EQ(s.timeout, Usec{1'500'000});
  EXPECT_EQ(s.weight, 10);
  EXPECT_TRUE(s.weight_reverse);
  EXPECT_EQ(s.rise, 3);
  EXPECT_EQ(s.fall, 4);
  EXPECT_EQ(s.user, "nobody");
  EXPECT_EQ(s.group, "nogroup");
  EXPECT_TRUE(s.init_fail);

  ASSERT_EQ(c.instances.size(), 1u);
  const Instance& i = c.instances[0];
  EXPECT_EQ(i.state, InitialState::Backup);
  EXPECT_EQ(i.interface, "eth0");
  EXPECT_EQ(i.vrid, 51);
  EXPECT_EQ(i.priority, 150);
  EXPECT_EQ(i.advert_interval, Usec{2'000'000});
  EXPECT_EQ(i.version, 2);
  EXPECT_FALSE(i.preempt);
  EXPECT_EQ(i.auth_pass, std::optional<std::string>("secret"));
  ASSERT_EQ(i.virtual_addresses.size(), 2u);
  EXPECT_EQ(i.virtual_addresses[0].prefix.to_string(), "192.0.2.10/24");
  EXPECT_EQ(i.virtual_addresses[0].dev, "eth1");
  EXPECT_EQ(i.virtual_addresses[0].label, "eth1:vip");
  EXPECT_EQ(i.virtual_addresses[1].prefix.to_string(), "192.0.2.11/32");
  EXPECT_EQ(i.virtual_addresses[1].where.line, 38);
  ASSERT_EQ(i.excluded_addresses.size(), 2u);
  EXPECT_EQ(i.excluded_addresses[1].prefix.to_string(), "2001:db8::20/64");
  EXPECT_EQ(i.unicast_src_ip, IpAddress::parse("192.0.2.1"));
  ASSERT_EQ(i.unicast_peers.size(), 2u);
  EXPECT_TRUE(i.unicast());
  EXPECT_EQ(i.unicast_peers[1], *IpAddress::parse("192.0.2.3"));
  ASSERT_EQ(i.track_interfaces.size(), 2u);
  EXPECT_EQ(i.track_interfaces[0].name, "eth1");
  EXPECT_FALSE(i.track_interfaces[0].weight.has_value());
  EXPECT_EQ(i.track_interfaces[1].weight, std::optional<int>(-30));
  EXPECT_EQ(i.track_interfaces[1].reverse, std::optional<bool>(true));
  ASSERT_EQ(i.track_scripts.size(), 1u);
  EXPECT_EQ(i.track_scripts[0].name, "chk_httpd");
  EXPECT_EQ(i.track_scripts[0].weight, std::optional<int>(5));
  EXPECT_EQ(i.track_scripts[0].reverse, std::optional<bool>(false));  // noreverse
  ASSERT_EQ(i.track_units.size(), 2u);
  EXPECT_EQ(i.track_units[0].name, "httpd.service");
  EXPECT_EQ(i.track_units[0].weight, std::optional<int>(-50));
  EXPECT_FALSE(i.track_units[0].reverse.has_value());
  EXPECT_EQ(i.master_units,
            (std::vector<std::string>{"httpd.service", "php-fpm.service", "mariadb.service"}));
  EXPECT_EQ(i.notify_master.command, "/etc/keepvip/notify.sh master");
  EXPECT_EQ(i.notify_backup.command, "/etc/keepvip/notify.sh backup");
  EXPECT_EQ(i.notify_fault.command, "/etc/keepvip/notify.sh fault");
  EXPECT_EQ(i.notify_stop.command, "/etc/keepvip/notify.sh stop");
  EXPECT_EQ(i.notify.command, "/etc/keepvip/notify-all.sh");
  EXPECT_EQ(i.garp_master_delay, Usec{1'000'000});
  EXPECT_EQ(i.garp_master_repeat, 3);
  EXPECT_EQ(i.garp_master_refresh, Usec{30'000'000});
  ASSERT_TRUE(i.arbitration.has_value());
  EXPECT_EQ(i.arbitration->reference, *IpAddress::parse("192.0.2.254"));
  EXPECT_EQ(i.arbitration->interval, Usec{500'000});
  EXPECT_EQ(i.arbitration->fall, 5);
  EXPECT_EQ(i.arbitration->rise, 4);
  EXPECT_EQ(i.split_brain_quiet, Usec{20'000'000});
  EXPECT_EQ(c.files, std::vector<std::string>{"t.conf"});
}

const std::string kMinimal = R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 7
  virtual_ipaddress {
    192.0.2.10
  }
}
)";

// keepalived 2.3.3: where the dump signals write.
TEST(Keywords, DumpFilePaths) {
  auto result = parse_text(
      "global_defs {\n  state_dump_file /var/tmp/keepalived.data\n  stats_dump_file stats.txt\n"
      "  json_dump_file /var/tmp/keepalived.json\n}\n",
      "t.conf");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.diagnostics.empty()) << dump(result);
  EXPECT_EQ(result.config->global.state_dump_file, "/var/tmp/keepalived.data");
  EXPECT_EQ(result.config->global.stats_dump_file, "stats.txt");
  EXPECT_EQ(result.config->global.json_dump_file, "/var/tmp/keepalived.json");
}

TEST(Keywords, DefaultsWhenLeftOut) {
  auto result = parse(kMinimal);
  ASSERT_TRUE(result.ok()) << dump(result);
  const Instance& i = result.config->instances[0];
  EXPECT_EQ(i.state, InitialState::Backup);
  EXPECT_EQ(i.priority, 100);
  EXPECT_EQ(i.version, 2);
  EXPECT_EQ(i.advert_interval, Usec{1'000'000});
  EXPECT_TRUE(i.preempt);
  EXPECT_FALSE(i.auth_pass.has_value());
  EXPECT_FALSE(i.arbitration.has_value());
  EXPECT_EQ(i.garp_master_delay, Usec{5'000'000});
  EXPECT_EQ(i.garp_master_repeat, 5);
  EXPECT_EQ(i.split_brain_quiet, Usec{10'000'000});
  EXPECT_EQ(result.config->global.notify_script_timeout, Usec{60'000'000});
  EXPECT_EQ(result.config->global.script_group, "");
}

TEST(Keywords, GlobalGarpSettingsAreInstanceDefaults) {
  auto result =
      parse(std::string("global_defs {\n vrrp_garp_master_delay 2\n vrrp_garp_master_repeat 9\n"
                        " vrrp_garp_master_refresh 7\n}\n") +
            kMinimal);
  ASSERT_TRUE(result.ok()) << dump(result);
  const Instance& i = result.config->instances[0];
  EXPECT_EQ(i.garp_master_delay, Usec{2'000'000});
  EXPECT_EQ(i.garp_master_repeat, 9);
  EXPECT_EQ(i.garp_master_refresh, Usec{7'000'000});
}

TEST(Keywords, GlobalDefsAfterInstancesStillApplies) {
  auto result = parse(std::string(kMinimal) + "global_defs {\n vrrp_version 3\n}\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances[0].version, 3);
}

TEST(Keywords, Ipv6InstanceIsVrrpV3WithFractionalAdvert) {
  auto result = parse(R"(
vrrp_instance V6 {
  interface eth0
  virtual_router_id 9
  advert_int 0.25
  virtual_ipaddress {
    fe80::1/64
    2001:db8::10/64
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  const Instance& i = result.config->instances[0];
  EXPECT_EQ(i.version, 3);
  EXPECT_EQ(i.family(), Family::V6);
  EXPECT_EQ(i.advert_interval, Usec{250'000});
  EXPECT_EQ(i.virtual_addresses[0].prefix.prefix_len, 64);
}

TEST(Keywords, ExplicitVersion2OnIpv6BecomesVersion3WithAWarning) {
  auto result = parse(R"(
vrrp_instance V6 {
  interface eth0
  virtual_router_id 9
  version 2
  virtual_ipaddress {
    fe80::10/64
    2001:db8::10/64
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances[0].version, 3);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].keyword, "version");
  EXPECT_EQ(result.diagnostics[0].where.line, 5);
}

TEST(Keywords, SameVridOnOtherFamilyOrInterfaceIsFine) {
  auto result = parse(R"(
vrrp_instance A {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
}
vrrp_instance B {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    2001:db8::10
  }
}
vrrp_instance C {
  interface eth1
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.11
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances.size(), 3u);
}

TEST(Keywords, UnicastInstancesShareAVridUnlessTheyShareAPeer) {
  auto unicast = [](const std::string& name, const std::string& vip, const std::string& peer) {
    return "vrrp_instance " + name + " {\n interface eth0\n virtual_router_id 51\n" +
           " virtual_ipaddress {\n  " + vip + "\n }\n unicast_peer {\n  " + peer + "\n }\n}\n";
  };
  // Multicast and unicast are separate VRID spaces; unicast to other peers too.
  auto fine =
      parse(std::string(kMinimal).replace(kMinimal.find("7"), 1, "51") +
            unicast("U1", "192.0.2.20", "192.0.2.2") + unicast("U2", "192.0.2.21", "192.0.2.3"));
  EXPECT_TRUE(fine.ok()) << dump(fine);
  auto clash =
      parse(unicast("U1", "192.0.2.20", "192.0.2.2") + unicast("U2", "192.0.2.21", "192.0.2.2"));
  EXPECT_FALSE(clash.ok());
  ASSERT_EQ(clash.diagnostics.size(), 1u) << dump(clash);
  EXPECT_EQ(clash.diagnostics[0].where.line, 13);
  EXPECT_EQ(clash.diagnostics[0].keyword, "virtual_router_id");
}

TEST(Keywords, NopreemptWithStateMasterIsClearedWithAWarning) {
  auto result = parse(R"(
vrrp_instance VI_1 {
  state MASTER
  priority 100
  nopreempt
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.config->instances[0].preempt);
  ASSERT_EQ(result.diagnostics.size(), 1u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].severity, Severity::Warning);
  EXPECT_EQ(result.diagnostics[0].keyword, "nopreempt");
  EXPECT_EQ(result.diagnostics[0].where.line, 5);
}

TEST(Keywords, AddressOwnerWeightsWarnWhereTheyAreWritten) {
  auto result = parse(R"(
vrrp_script chk {
  script "/bin/true"
  weight -60
}
vrrp_script plain {
  script "/bin/true"
}
vrrp_instance VI_1 {
  priority 255
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
  track_script {
    chk
    plain
  }
  track_interface {
    eth1 weight -10
    eth2
  }
  track_unit {
    httpd.service weight -20
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances[0].track_scripts.size(), 2u) << "kept, only reported";
  std::vector<int> lines;
  for (const auto& d : result.diagnostics)
    if (d.message.find("has no effect: priority 255") != std::string::npos)
      lines.push_back(d.where.line);
  EXPECT_EQ(lines, (std::vector<int>{17, 21, 25})) << dump(result);  // chk, eth1, httpd
}

TEST(Keywords, Priority255WithStateBackupWarns) {
  auto result = parse(R"(
vrrp_instance VI_1 {
  state BACKUP
  priority 255
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  ASSERT_EQ(result.diagnostics.size(), 1u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].keyword, "priority");
  EXPECT_EQ(result.diagnostics[0].where.line, 4);
  EXPECT_EQ(result.diagnostics[0].where.column, 3);
}

TEST(Keywords, StateMasterWithoutPriorityIsTheAddressOwnerAsInKeepalived) {
  auto result = parse(R"(
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances[0].priority, 255);
}

TEST(Keywords, PreemptAfterNopreemptWins) {
  std::string text = kMinimal;
  text.insert(text.find("  interface"), "  nopreempt\n  preempt\n");
  auto result = parse(text);
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.config->instances[0].preempt);
}

TEST(Keywords, PreemptDelayIsKept) {
  auto result = parse(R"(
vrrp_instance VI_1 {
  state BACKUP
  preempt_delay 2.5
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances[0].preempt_delay, Usec{2'500'000});
}

TEST(Keywords, UnusedKeepalivedKeywordsWarnOncePerKeyword) {
  auto result = parse(std::string(R"(
global_defs {
  notification_email {
    admin@example.org
  }
  notification_email_from keepalived@example.org
  smtp_server 192.0.2.25
  smtp_connect_timeout 30
  smtp_alert_checker
  enable_snmp_vrrp
  enable_snmp_vrrp
}
vrrp_instance VI_2 {
  use_vmac
  interface eth0
  virtual_router_id 52
  virtual_ipaddress {
    192.0.2.12 brd 192.0.2.255 scope global
  }
}
)") + kMinimal);
  ASSERT_TRUE(result.ok()) << dump(result);
  // Mail is sent; mail about real servers waits for LVS.
  EXPECT_EQ(count_warnings(result, "notification_email"), 0u) << dump(result);
  EXPECT_EQ(count_warnings(result, "smtp_server"), 0u);
  EXPECT_EQ(count_warnings(result, "smtp_alert_checker"), 1u);
  EXPECT_EQ(count_warnings(result, "enable_snmp_vrrp"), 1u);
  EXPECT_EQ(count_warnings(result, "use_vmac"), 1u);
  EXPECT_EQ(count_warnings(result, "virtual_ipaddress"), 2u);  // brd and scope, once each
  EXPECT_EQ(result.diagnostics.size(), 5u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].message.find("accepted, not used by keepvip"), 0u);
}

TEST(Keywords, UnhandledBlocksAreSkippedAndReportedOncePerKind) {
  auto result = parse(std::string(R"(
virtual_server 192.0.2.100 80 {
  real_server 192.0.2.101 80 {
    TCP_CHECK {
      connect_timeout 3
    }
  }
}
virtual_server 192.0.2.100 443 {
  real_server 192.0.2.101 443 {
    SSL_GET {
      url {
        path /
      }
    }
  }
}
vrrp_sync_group G1 {
  group {
    VI_1
  }
}
static_ipaddress {
  192.0.2.50/24 dev eth0
}
)") + kMinimal);
  ASSERT_TRUE(result.ok()) << dump(result);
  ASSERT_EQ(result.diagnostics.size(), 3u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].keyword, "virtual_server");
  EXPECT_EQ(result.diagnostics[0].where.line, 2);
  EXPECT_NE(result.diagnostics[0].message.find("not handled by keepvip"), std::string::npos);
  EXPECT_EQ(result.diagnostics[1].keyword, "vrrp_sync_group");
  EXPECT_EQ(result.diagnostics[2].keyword, "static_ipaddress");
}

TEST(Keywords, UndefinedTrackScriptIsDroppedWithAWarningAtTheReference) {
  auto result = parse(R"(
vrrp_script known {
  script /bin/true
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
  track_script {
    known
    unknown weight 4
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& tracks = result.config->instances[0].track_scripts;
  ASSERT_EQ(tracks.size(), 1u);
  EXPECT_EQ(tracks[0].name, "known");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].where.line, 13);
  EXPECT_EQ(result.diagnostics[0].where.column, 5);
}

TEST(Keywords, HostProbeIsAskedAboutEveryInterfaceAndOnlyWarns) {
  std::vector<std::string> asked;
  HostProbe probe{[&](const std::string& name) {
    asked.push_back(name);
    return name == "eth0";
  }};
  auto result = parse(R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10 dev eth9
  }
  track_interface {
    eth8
  }
})",
                      probe);
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(asked, (std::vector<std::string>{"eth0", "eth8", "eth9"}));
  ASSERT_EQ(result.diagnostics.size(), 2u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].keyword, "virtual_ipaddress");  // line 6 before line 9
  EXPECT_EQ(result.diagnostics[1].keyword, "track_interface");
}

TEST(Keywords, McastSrcIpSetsTheAdvertSourceAsKeepalivedDoes) {
  auto result = parse(R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  mcast_src_ip 192.0.2.5
  virtual_ipaddress {
    192.0.2.10
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.diagnostics.empty()) << dump(result);
  const auto& i = result.config->instances[0];
  EXPECT_EQ(i.unicast_src_ip, IpAddress::parse("192.0.2.5"));
  EXPECT_FALSE(i.unicast()) << "still multicast";
}

TEST(Keywords, FirstIpv6VipNotLinkLocalWarnsOrFailsInStrictMode) {
  const char* instance = R"(
vrrp_instance V6 {
  interface eth0
  virtual_router_id 9
  virtual_ipaddress {
    2001:db8::10/64
  }
})";
  auto lax = parse(instance);
  ASSERT_TRUE(lax.ok()) << dump(lax);
  ASSERT_EQ(lax.diagnostics.size(), 1u) << dump(lax);
  EXPECT_EQ(lax.diagnostics[0].where.line, 6);
  EXPECT_NE(lax.diagnostics[0].message.find("not link-local"), std::string::npos);

  auto strict = parse(std::string("global_defs {\n  vrrp_strict\n}") + instance);
  EXPECT_FALSE(strict.ok()) << dump(strict);
}

TEST(Keywords, StrictModeRefusesUnicastPeers) {
  auto result = parse(R"(global_defs {
  vrrp_strict
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  unicast_peer {
    192.0.2.2
  }
  virtual_ipaddress {
    192.0.2.10
  }
})");
  EXPECT_FALSE(result.ok());
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics.back().keyword, "unicast_peer");
  EXPECT_EQ(result.diagnostics.back().where.line, 7);
}

TEST(Keywords, VipsBeyondOneAdvertMoveToExcludedAsKeepalivedDoes) {
  std::string text =
      "vrrp_instance V6 {\n interface eth0\n virtual_router_id 9\n virtual_ipaddress {\n";
  text += "  fe80::1\n";
  for (int n = 1; n <= 99; ++n) text += "  2001:db8::" + std::to_string(n) + "\n";
  text += " }\n}\n";
  auto result = parse(text);
  ASSERT_TRUE(result.ok()) << dump(result);
  const auto& i = result.config->instances[0];
  // (1500 - 14 Ethernet - 40 IPv6 - 8 VRRP) / 16 = 89 addresses per advert.
  EXPECT_EQ(i.virtual_addresses.size(), 89u);
  EXPECT_EQ(i.excluded_addresses.size(), 11u);
  EXPECT_EQ(i.excluded_addresses.front().prefix.address, *IpAddress::parse("2001:db8::89"));
  ASSERT_EQ(result.diagnostics.size(), 1u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].where.line, 5 + 89);
}

TEST(Keywords, LongAuthPassWarnsAndIsKept) {
  auto result = parse(R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  authentication {
    auth_type PASS
    auth_pass 0123456789
  }
  virtual_ipaddress {
    192.0.2.10
  }
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances[0].auth_pass, std::optional<std::string>("0123456789"));
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].keyword, "auth_pass");
}

TEST(Keywords, CommandsAreTheFirstArgumentAsInKeepalived) {
  auto result = parse(R"(
vrrp_script chk {
  script /usr/local/bin/check 80
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    192.0.2.10
  }
  notify_master /etc/keepvip/notify.sh master
  notify_backup "/etc/keepvip/notify.sh backup 'two words'" nobody nogroup
  notify "/etc/keepvip/notify-all.sh" keepvip
})");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->scripts.at("chk").command, "/usr/local/bin/check");
  const Instance& i = result.config->instances[0];
  EXPECT_EQ(i.notify_master.command, "/etc/keepvip/notify.sh");
  EXPECT_EQ(i.notify_backup.command, "/etc/keepvip/notify.sh backup 'two words'");
  // The words after the command say who runs it, as in keepalived.
  EXPECT_EQ(i.notify_master.run_as, (RunAs{"master", ""}));
  EXPECT_EQ(i.notify_backup.run_as, (RunAs{"nobody", "nogroup"}));
  EXPECT_EQ(i.notify.run_as, (RunAs{"keepvip", ""}));
  EXPECT_EQ(i.notify_fault.run_as, RunAs{});
  ASSERT_EQ(result.diagnostics.size(), 2u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].where.to_string(), "t.conf:3:31");
  EXPECT_EQ(result.diagnostics[0].keyword, "script");
  // An unquoted state word is most likely meant as an argument: say how it is read.
  EXPECT_EQ(result.diagnostics[1].where.to_string(), "t.conf:11:40");
  EXPECT_NE(result.diagnostics[1].message.find("'master' is read as the user"), std::string::npos);
}

TEST(Keywords, BracesMayBeGluedOrOnTheirOwnLine) {
  auto result = parse(
      "vrrp_instance VI_1\n{\n interface eth0\n virtual_router_id 51\n"
      " virtual_ipaddress{192.0.2.10}\n authentication { auth_type PASS\n auth_pass x }\n}\n");
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_TRUE(result.diagnostics.empty()) << dump(result);
  const Instance& i = result.config->instances[0];
  ASSERT_EQ(i.virtual_addresses.size(), 1u);
  EXPECT_EQ(i.virtual_addresses[0].prefix.to_string(), "192.0.2.10/32");
  EXPECT_EQ(i.auth_pass, std::optional<std::string>("x"));
}

TEST(Keywords, TwoAddressesOnOneLineAreAnError) {
  // keepalived reads one address per line; the rest of the line are options.
  auto result = parse(
      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
      " virtual_ipaddress {\n  192.0.2.10 192.0.2.11\n }\n}\n");
  EXPECT_FALSE(result.ok());
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].where.column, 14);
}

// keepalived 2.2.8: check_unicast_src (instance) and vrrp_check_unicast_src
// (global) accept adverts only from unicast_peer sources.
TEST(Keywords, CheckUnicastSrcIsHandled) {
  auto r = parse(R"(
global_defs {
  vrrp_check_unicast_src
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  unicast_peer {
    192.0.2.2
  }
  check_unicast_src
  virtual_ipaddress {
    192.0.2.10/24
  }
}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.config->global.vrrp_check_unicast_src);
  EXPECT_TRUE(r.config->instances.at(0).check_unicast_src);
  EXPECT_EQ(r.diagnostics.size(), 0u) << dump(r);
}

// keepalived: "A unicast keyword has been specified without any unicast
// peers. Defaulting to multicast."
TEST(Keywords, CheckUnicastSrcWithoutPeersWarns) {
  auto r = parse(R"(
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  check_unicast_src
  virtual_ipaddress {
    192.0.2.10/24
  }
}
)");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(count_warnings(r, "check_unicast_src"), 1u) << dump(r);
  EXPECT_NE(dump(r).find("t.conf:5:3: warning: check_unicast_src: no unicast_peer"),
            std::string::npos)
      << dump(r);
}

}  // namespace
}  // namespace keepvip::config
