// keepalived 2.2.8's dump layouts (vrrp_data.c, vrrp_print.c, vrrp_json.c),
// line for line where keepvip has the value.
#include "daemon/publish/keepalived_dumps.h"

#include <gtest/gtest.h>

#include "config/parser.h"

namespace keepvip::daemon {
namespace {

const char* kConfig =
    "global_defs {\n  router_id LVS_1\n}\n"
    "vrrp_script chk_httpd {\n  script \"/usr/bin/true\"\n  interval 2\n  weight -20\n}\n"
    "vrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n"
    "  priority 150\n  advert_int 1\n  authentication {\n    auth_type PASS\n"
    "    auth_pass 1111\n  }\n  virtual_ipaddress {\n    192.0.2.100/24\n  }\n"
    "  track_script {\n    chk_httpd\n  }\n}\n";

class KeepalivedDumps : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = config::parse_text(kConfig, "keepalived.conf");
    ASSERT_TRUE(parsed.ok());
    config_ = std::move(*parsed.config);
    ports::InstanceSnapshot s;
    s.name = "VI_1";
    s.state = vrrp::State::Master;
    s.priority = 150;
    s.effective_priority = 150;
    s.vrid = 51;
    s.interface = "eth0";
    s.version = 2;
    s.last_transition_usec = 1'764'763'200'123'456;
    s.counters.adverts_received = 7;
    s.counters.adverts_sent = 40;
    s.counters.became_master = 2;
    s.counters.released_master = 1;
    s.counters.priority_zero_sent = 1;
    s.counters.drops[proto::DropReason::BadTtl] = 3;
    s.counters.drops[proto::DropReason::AuthMismatch] = 4;
    s.counters.drops[proto::DropReason::Truncated] = 1;
    s.counters.drops[proto::DropReason::Oversized] = 1;
    view_.global = &config_.global;
    view_.instances.push_back({s, &config_.instances[0], *IpAddress::parse("192.0.2.11"), true});
    view_.scripts.push_back({&config_.scripts.at("chk_httpd"), true, {"VI_1"}});
  }
  config::Config config_;
  DumpView view_;
};

TEST_F(KeepalivedDumps, StatsAreKeepalivedsLayout) {
  EXPECT_EQ(keepalived_stats(view_),
            "VRRP Instance: VI_1\n"
            "  Advertisements:\n"
            "    Received: 7\n"
            "    Sent: 40\n"
            "  Became master: 2\n"
            "  Released master: 1\n"
            "  Packet Errors:\n"
            "    Length: 2\n"
            "    TTL: 3\n"
            "    Invalid Type: 0\n"
            "    Advertisement Interval: 0\n"
            "    Address List: 0\n"
            "  Authentication Errors:\n"
            "    Invalid Type: 0\n"
            "    Type Mismatch: 0\n"
            "    Failure: 4\n"
            "  Priority Zero:\n"
            "    Received: 0\n"
            "    Sent: 1\n");
}

TEST_F(KeepalivedDumps, DataHasTheLinesExportersRead) {
  std::string data = keepalived_data(view_);
  for (const char* expected :
       {"------< VRRP Topology >------\n VRRP Instance = VI_1\n   VRRP Version = 2\n",
        "\n   State = MASTER\n", "\n   Wantstate = MASTER\n", "\n   Interface = eth0\n",
        "\n   Using src_ip = 192.0.2.11\n", "\n   Gratuitous ARP delay = 5\n",
        "\n   Gratuitous ARP refresh = 0\n   Gratuitous ARP refresh repeat = 1\n"
        "   Gratuitous ARP lower priority delay = 5\n"
        "   Gratuitous ARP lower priority repeat = 5\n",
        "\n Gratuitous ARP refresh repeat = 1\n Gratuitous ARP lower priority delay = 5\n"
        " Gratuitous ARP lower priority repeat = 5\n",
        "\n   Down timer adverts = 3\n   Send advert after receive lower priority advert = true\n"
        "   Send advert after receive higher priority advert = false\n   Virtual Router ID = 51\n",
        "\n   Priority = 150\n", "\n   Advert interval = 1 sec\n",
        "\n   Authentication type = SIMPLE_PASSWORD\n",
        "\n   Virtual IP (1):\n     192.0.2.100/24 dev eth0 scope global set\n",
        "\n   Tracked scripts :\n     chk_httpd weight -20\n",
        "------< VRRP Scripts >------\n VRRP Script = chk_httpd\n", "\n   Interval = 2 sec\n",
        "\n   Weight = -20\n", "\n   Status = GOOD\n",
        "\n   VRRP instances :\n     VI_1\n   State = idle\n"}) {
    EXPECT_NE(data.find(expected), std::string::npos) << "no\n" << expected << "\nin\n" << data;
  }
  EXPECT_NE(data.find("   Last transition = 1764763200.123456 ("), std::string::npos) << data;
}

// keepalived prints the accept mode of each instance (vrrp_data.c, "Accept
// = enabled"; vrrp_json.c, "accept") and says when strict mode applies.
TEST_F(KeepalivedDumps, AcceptModeAndStrictModeAreShownAsKeepalivedShowsThem) {
  std::string data = keepalived_data(view_);
  EXPECT_NE(data.find("\n   Advert interval = 1 sec\n   Accept = enabled\n   Preempt = enabled\n"),
            std::string::npos)
      << data;
  EXPECT_EQ(data.find("Enforcing strict VRRP compliance"), std::string::npos) << data;
  std::string json = keepalived_json(view_);
  EXPECT_NE(json.find("\"strict_mode\":0,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"accept\":1,\"nopreempt\":false,"), std::string::npos) << json;

  config_.instances[0].accept = false;
  config_.instances[0].strict = true;
  data = keepalived_data(view_);
  EXPECT_NE(data.find("\n   Accept = disabled\n"), std::string::npos) << data;
  EXPECT_NE(data.find("\n   Enforcing strict VRRP compliance\n   Using src_ip = 192.0.2.11\n"),
            std::string::npos)
      << data;
  json = keepalived_json(view_);
  EXPECT_NE(json.find("\"strict_mode\":1,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"accept\":0,"), std::string::npos) << json;
}

// keepalived 2.2.8's vrrp_data.c lines for the group, the checksum form, the
// unicast TTL and the peers' TTL ranges.
TEST(KeepalivedDumpWire, GroupChecksumTtlAndPeersAsKeepalived) {
  auto parsed = config::parse_text(
      "global_defs {\n  vrrp_mcast_group4 224.0.0.117\n  v3_checksum_as_v2\n}\n"
      "vrrp_instance M {\n  interface eth0\n  virtual_router_id 51\n  version 3\n"
      "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n"
      "vrrp_instance U {\n  interface eth0\n  virtual_router_id 52\n  unicast_ttl 10\n"
      "  unicast_peer {\n    192.0.2.2 min_ttl 250 max_ttl 254\n    192.0.2.3\n  }\n"
      "  virtual_ipaddress {\n    192.0.2.101/24\n  }\n}\n"
      "vrrp_instance F {\n  interface eth0\n  virtual_router_id 53\n  unicast_fault_no_peer\n"
      "  virtual_ipaddress {\n    2001:db8::10/64\n  }\n}\n",
      "keepalived.conf");
  ASSERT_TRUE(parsed.ok());
  const config::Config& c = *parsed.config;
  DumpView view;
  view.global = &c.global;
  for (size_t i = 0; i < c.instances.size(); ++i) {
    ports::InstanceSnapshot s;
    s.name = c.instances[i].name;
    s.version = c.instances[i].version;
    s.interface = "eth0";
    view.instances.push_back({s, &c.instances[i], *IpAddress::parse("192.0.2.11"), true, 2});
  }
  std::string data = keepalived_data(view);
  for (const char* expected :
       {" Use VRRPv2 checksum for VRRPv3 IPv4 = yes\n", "\n   Multicast address 224.0.0.117\n",
        "\n   VRRPv3 uses VRRPv2 checksum = enabled\n",
        "\n   Unicast TTL = 10\n   Check unicast src : yes\n   Unicast Peer :\n"
        "     192.0.2.2 min_ttl 250 max_ttl 254\n     192.0.2.3 min_ttl 0 max_ttl 255\n",
        "\n   Flags:\n     Unicast config option specified but using multicast\n"
        "     If unicast go to fault state if no peers\n",
        "\n   Number of config faults = 1\n", "\n   Multicast address ff02::12, ifindex 2\n"}) {
    EXPECT_NE(data.find(expected), std::string::npos) << "no\n" << expected << "\nin\n" << data;
  }
}

TEST(KeepalivedDumpRoutes, RoutesAndRulesAsKeepalivedWritesThem) {
  auto parsed = config::parse_text(
      "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
      "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n"
      "  virtual_routes {\n    198.51.100.0/24 via 192.0.2.254 dev eth0 table 100 metric 5\n"
      "    blackhole 2001:db8:5::/48\n  }\n"
      "  virtual_rules {\n    from 198.51.100.0/24 fwmark 16/255 table 100 priority 100\n"
      "    inet6 priority 7 type unreachable no_track\n  }\n}\n"
      "static_routes {\n  default via 192.0.2.1 onlink\n}\n"
      "static_rules {\n  not to 203.0.113.0/24 priority 9 goto 20\n}\n",
      "keepalived.conf");
  ASSERT_TRUE(parsed.ok());
  const config::Config& config = *parsed.config;
  DumpView view;
  view.static_routes = &config.static_routes;
  view.static_rules = &config.static_rules;
  ports::InstanceSnapshot s;
  s.name = "VI_1";
  s.interface = "eth0";
  view.instances.push_back({s, &config.instances[0], *IpAddress::parse("192.0.2.11"), true});
  std::string data = keepalived_data(view);
  for (const char* expected :
       {"------< Static Routes >------\n"
        "     prepend 0.0.0.0/0 via inet 192.0.2.1 onlink no_track\n"
        "------< Static Rules >------\n"
        "     not from all to 203.0.113.0/24 priority 9 tos 0x0 protocol 18 goto 20\n"
        "------< VRRP Topology >------\n",
        "   Virtual Routes :\n"
        "     prepend 198.51.100.0/24 via inet 192.0.2.254 dev eth0 table 100 proto 18 metric 5\n"
        "     prepend blackhole 2001:db8:5::/48 no_track\n"
        "   Virtual Rules :\n"
        "     from 198.51.100.0/24 priority 100 tos 0x0 fwmark 0x10/0xff protocol 18 lookup 100\n"
        "     inet6 from all priority 7 tos 0x0 type unreachable no_track\n"}) {
    EXPECT_NE(data.find(expected), std::string::npos) << "no\n" << expected << "\nin\n" << data;
  }
}

TEST(KeepalivedDumpProcesses, TrackProcessLinesAsKeepalived) {
  auto parsed = config::parse_text(
      "vrrp_track_process web {\n  process /usr/sbin/nginx -g x\n  param_match partial\n"
      "  quorum 2\n  quorum_max 4\n  weight -10 reverse\n  terminate_delay 0.5\n}\n"
      "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
      "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n  track_process {\n    web weight 5\n"
      "  }\n}\n",
      "keepalived.conf");
  ASSERT_TRUE(parsed.ok());
  const config::Config& c = *parsed.config;
  DumpView view;
  view.instances.push_back({{}, &c.instances[0], *IpAddress::parse("192.0.2.11"), true});
  view.instances[0].snapshot.name = "VI_1";
  view.processes.push_back({&c.processes.at("web"), 3, true, false, true, {{"VI_1", 5, true}}});
  const std::string data = keepalived_data(view);
  for (const char* expected :
       {"\n   Tracked processes :\n     web, weight 5 reverse\n",
        "------< VRRP Track processes >------\n VRRP Track process = web\n"
        "   Process = /usr/sbin/nginx\n   Parameters = -g x\n   Param match = partial\n"
        "   Min processes = 2\n   Max processes = 4\n   Current processes = 3\n"
        "   Have quorum = true\n   Weight = -10 reverse\n   Terminate delay = 0.500000s\n"
        "   Fork delay = 0.000000s\n   Fork delay timer not running\n"
        "   Terminate delay timer running\n   Full command = true\n"
        "   Tracking instances :\n     VI_1, weight 5 reverse\n"}) {
    EXPECT_NE(data.find(expected), std::string::npos) << "no\n" << expected << "\nin\n" << data;
  }
}

TEST(KeepalivedDumpGlobals, StartupDelayAndLowerPriorityGarpsAsKeepalivedPrintsThem) {
  auto parsed = config::parse_text(
      "global_defs {\n  vrrp_garp_master_repeat 3\n  vrrp_startup_delay 2.5\n}\n", "t.conf");
  ASSERT_TRUE(parsed.ok());
  DumpView view;
  view.global = &parsed.config->global;
  const std::string data = keepalived_data(view);
  EXPECT_NE(data.find(" Gratuitous ARP repeat = 3\n Gratuitous ARP refresh timer = 0\n"
                      " Gratuitous ARP refresh repeat = 1\n"
                      " Gratuitous ARP lower priority delay = 5\n"
                      " Gratuitous ARP lower priority repeat = 3\n vrrp_startup_delay = 2.5\n"),
            std::string::npos)
      << data;
}

TEST_F(KeepalivedDumps, JsonIsOneObjectOfDataAndStatsPerInstance) {
  std::string json = keepalived_json(view_);
  EXPECT_EQ(json.rfind("[{\"data\":{\"iname\":\"VI_1\",", 0), 0u) << json;
  for (const char* expected :
       {"\"state\":2,", "\"vrid\":51,", "\"ifp_ifname\":\"eth0\",", "\"base_priority\":150,",
        "\"vips\":[\"192.0.2.100/24 dev eth0 scope global\"]", "\"auth_type\":1,",
        "\"garp_rep\":5,\"garp_refresh_rep\":1,\"garp_lower_prio_delay\":5,"
        "\"garp_lower_prio_rep\":5,",
        "\"stats\":{\"advert_rcvd\":7,\"advert_sent\":40,\"become_master\":2,"
        "\"release_master\":1,\"packet_len_err\":2,",
        "\"auth_failure\":4,\"pri_zero_rcvd\":0,\"pri_zero_sent\":1}}]"}) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << " in " << json;
  }
}

// json_version 2 (keepalived 2.2.8's vrrp_json_dump): the instances under
// "vrrp", the tracked processes as vrrp_json_vprocess_dump writes them.
TEST(KeepalivedJsonVersion2, WrapsTheInstancesAndAddsTrackedProcesses) {
  auto parsed = config::parse_text(
      "global_defs {\n  json_version 2\n}\n"
      "vrrp_track_process web {\n  process /usr/sbin/nginx -g x\n  param_match partial\n"
      "  quorum 2\n  weight -10 reverse\n  terminate_delay 0.5\n}\n"
      "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
      "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n  track_process {\n    web\n  }\n}\n",
      "keepalived.conf");
  ASSERT_TRUE(parsed.ok());
  const config::Config& c = *parsed.config;
  DumpView view;
  view.global = &c.global;
  view.instances.push_back({{}, &c.instances[0], *IpAddress::parse("192.0.2.11"), true});
  view.instances[0].snapshot.name = "VI_1";
  view.processes.push_back({&c.processes.at("web"), 3, true, false, true, {{"VI_1", -10, true}}});
  const std::string json = keepalived_json(view);
  EXPECT_EQ(json.rfind("{\"vrrp\":[{\"data\":{\"iname\":\"VI_1\",", 0), 0u) << json;
  for (const char* expected :
       {"\"track_process\":[\"web\"]",
        "}}],\"track_process\":[{\"process\":\"/usr/sbin/nginx\",\"parameters\":\"-g x\","
        "\"param_match\":\"partial\",\"min_processes\":2,\"current_processes\":3,"
        "\"have_quorum\":true,\"weight\":10,\"terminate_delay\":0.5,\"fork_delay\":0,"
        "\"fork_delay_timer_running\":false,\"terminate_delay_timer_running\":true,"
        "\"full_command\":true}]}"}) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << " in " << json;
  }
  // Version 1, the default, stays the bare array.
  config::Global v1 = c.global;
  v1.json_version = 1;
  view.global = &v1;
  EXPECT_EQ(keepalived_json(view).rfind("[{\"data\":", 0), 0u);
}

TEST(KeepalivedStateNumbers, AreKeepalivedsOwn) {
  EXPECT_EQ(keepalived_state_number(vrrp::State::Init), 0);
  EXPECT_EQ(keepalived_state_number(vrrp::State::Backup), 1);
  EXPECT_EQ(keepalived_state_number(vrrp::State::Master), 2);
  EXPECT_EQ(keepalived_state_number(vrrp::State::Fault), 3);
}

}  // namespace
}  // namespace keepvip::daemon
