// The supervisor against fakes of every port, on a real sd-event loop: what
// start-up runs, what a reload adds, removes, updates in place or rebuilds,
// kind by kind, and that a reload that does not validate touches nothing.
#include "daemon/supervisor/supervisor.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/parser.h"
#include "proto/advert.h"
#include "supervisor_fakes.h"

namespace keepvip::daemon {
namespace {

using namespace std::chrono_literals;
using Names = std::vector<std::string>;

// keepalived.conf blocks, so that each test says only what it changes.
std::string script(const std::string& name, const std::string& options = "") {
  return "vrrp_script " + name + " {\n  script \"/usr/bin/true\"\n" + options + "}\n";
}
std::string instance(const std::string& name, const std::string& interface, int vrid, int priority,
                     const std::string& vip, const std::string& options = "") {
  return "vrrp_instance " + name + " {\n  interface " + interface + "\n  virtual_router_id " +
         std::to_string(vrid) + "\n  priority " + std::to_string(priority) +
         "\n  virtual_ipaddress {\n    " + vip + "\n  }\n" + options + "}\n";
}

// VI_1 owns its address (priority 255): MASTER at once unless a check is
// down. VI_2 is a backup on another interface.
const std::string kVi1Checks = "  track_script {\n    chk_httpd\n  }\n  reference_ip 192.0.2.254\n";
const std::string kVi1 = instance("VI_1", "eth0", 51, 255, "192.0.2.100/32", kVi1Checks);
const std::string kVi2 = instance("VI_2", "eth1", 52, 100, "192.0.2.200/32");
const std::string kTwoInstances = script("chk_httpd", "  interval 1\n") + kVi1 + kVi2;

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = new_event_loop();
    ASSERT_TRUE(loop.has_value());
    loop_ = std::move(*loop);
    char dir[] = "/tmp/keepvip-supervisor-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    runtime_dir_ = dir;
    ports_.loop = loop_.get();
    ports_.netlink = &netlink_;
    ports_.routes = &netlink_;
    ports_.announcer = &announcer_;
    ports_.links = &links_;
    ports_.guard = &guard_;
    ports_.units = &units_;
    ports_.open_socket = sockets_.opener();
    ports_.checks = checks_.factories();
    ports_.processes = &processes_;
    ports_.read_config = [this] { return config::parse_text(next_text_, "keepvip.conf"); };
    // What the checks say until a test says otherwise.
    checks_.verdicts["chk_httpd"] = true;
    checks_.verdicts["reference 192.0.2.254"] = true;
  }
  void TearDown() override {
    supervisor_.reset();
    std::filesystem::remove_all(runtime_dir_);
  }

  void start(const std::string& text) {
    auto parsed = config::parse_text(text, "keepvip.conf");
    ASSERT_TRUE(parsed.ok()) << (parsed.diagnostics.empty() ? ""
                                                            : parsed.diagnostics[0].to_string());
    auto s = Supervisor::create(ports_, {"keepvip.conf", runtime_dir_}, std::move(*parsed.config));
    ASSERT_TRUE(s.has_value()) << s.error().describe();
    supervisor_ = std::move(*s);
    supervisor_->start();
  }
  Result<> reload(const std::string& text) {
    next_text_ = text;
    return supervisor_->reload();
  }

  Names names() const {
    Names out;
    for (const auto& s : supervisor_->snapshot()) out.push_back(s.name);
    return out;
  }
  vrrp::State state(const std::string& name) const {
    for (const auto& s : supervisor_->snapshot())
      if (s.name == name) return s.state;
    ADD_FAILURE() << "no instance " << name;
    return vrrp::State::Init;
  }
  size_t count(const Names& names, const std::string& name) const {
    return static_cast<size_t>(std::count(names.begin(), names.end(), name));
  }
  size_t netlink_calls(const std::string& call) const { return count(netlink_.log, call); }
  std::string state_file() const {
    std::ifstream in(runtime_dir_ + "/state");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The VRID and priority of every advert sent so far.
  std::vector<std::pair<int, int>> adverts() const {
    std::vector<std::pair<int, int>> out;
    for (const auto& sent : sockets_.sent) {
      proto::PacketMeta meta;
      meta.source = *sent.source;
      meta.destination = sent.destination;
      meta.ttl = 255;
      auto advert = proto::decode_advert(meta, sent.payload);
      if (advert) out.emplace_back(advert->vrid, advert->priority);
    }
    return out;
  }
  template <typename F>
  bool run_until(F done) {
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (!done() && std::chrono::steady_clock::now() < deadline)
      sd_event_run(loop_.get(), 10'000);
    return done();
  }

  EventPtr loop_;
  std::string runtime_dir_;
  testing::FakeNetlink netlink_;
  testing::FakeAnnouncer announcer_;
  testing::FakeLinks links_;
  testing::FakeGuard guard_;
  testing::FakeUnitHealth units_;
  testing::FakeSockets sockets_;
  testing::FakeChecks checks_;
  testing::FakeProcessEvents processes_;
  Ports ports_;
  std::string next_text_;
  std::unique_ptr<Supervisor> supervisor_;
};

TEST_F(SupervisorTest, StartRunsWhatTheConfigurationAsksFor) {
  netlink_.addresses[3] = {*IpPrefix::parse("192.0.2.200/32")};  // left by a crashed run
  start(kTwoInstances);

  EXPECT_EQ(names(), (Names{"VI_1", "VI_2"}));
  EXPECT_EQ(state("VI_1"), vrrp::State::Master);
  EXPECT_EQ(state("VI_2"), vrrp::State::Backup);
  // One socket and one guard per interface, one run per check.
  EXPECT_EQ(sockets_.open,
            (std::map<std::pair<int, Family>, int>{{{2, Family::V4}, 1}, {{3, Family::V4}, 1}}));
  EXPECT_EQ(guard_.attached, (std::vector<int>{2, 3}));
  EXPECT_EQ(checks_.started, (Names{"chk_httpd", "reference 192.0.2.254"}));
  ASSERT_FALSE(guard_.configured.empty());
  EXPECT_EQ(guard_.configured.back().size(), 2u);
  // The stale VIP went before VI_2 started; VI_1 took its own.
  EXPECT_EQ(netlink_.log.front(), "remove 3 192.0.2.200/32");
  EXPECT_EQ(netlink_calls("add 2 192.0.2.100/32"), 1u);
  EXPECT_NE(state_file().find("name=VI_1"), std::string::npos) << state_file();
}

TEST_F(SupervisorTest, AnInstanceWhoseInterfaceIsMissingStartsOnceAReloadFindsIt) {
  std::string text = kTwoInstances;
  text.replace(text.find("interface eth1"), 14, "interface eth9");
  start(text);
  EXPECT_EQ(names(), Names{"VI_1"});
  EXPECT_EQ(sockets_.opened, 1);
  EXPECT_EQ(guard_.attached, std::vector<int>{2});

  netlink_.interfaces["eth9"] = 9;
  ASSERT_TRUE(reload(text).has_value());
  EXPECT_EQ(names(), (Names{"VI_1", "VI_2"}));
  EXPECT_EQ((sockets_.open[{9, Family::V4}]), 1);
  EXPECT_EQ(guard_.attached, (std::vector<int>{2, 9}));
  EXPECT_EQ(state("VI_1"), vrrp::State::Master) << "kept, untouched";
  EXPECT_EQ(netlink_calls("add 2 192.0.2.100/32"), 1u);
}

// One reload, every kind: VI_2 leaves (its socket and guard go with it),
// VI_3 arrives on an interface already in use, VI_1's probe and its
// script change (both restart) while VI_1 itself is updated in place.
TEST_F(SupervisorTest, ReloadAddsRemovesAndChangesEveryKind) {
  start(kTwoInstances);
  ASSERT_EQ(state("VI_1"), vrrp::State::Master);
  checks_.started.clear();
  const int opened = sockets_.opened;

  ASSERT_TRUE(reload(script("chk_httpd", "  interval 2\n") + script("chk_db") +
                     instance("VI_1", "eth0", 51, 255, "192.0.2.100/32",
                              kVi1Checks + "  reference_interval 2\n") +
                     instance("VI_3", "eth0", 53, 100, "192.0.2.150/32",
                              "  track_script {\n    chk_db\n  }\n"))
                  .has_value());

  EXPECT_EQ(names(), (Names{"VI_1", "VI_3"}));
  // VI_1 was updated, never handed over.
  EXPECT_EQ(state("VI_1"), vrrp::State::Master);
  EXPECT_EQ(netlink_calls("remove 2 192.0.2.100/32"), 0u);
  EXPECT_EQ(netlink_calls("add 2 192.0.2.100/32"), 1u);
  // Sockets: eth1's closed, eth0's kept and shared by VI_3.
  EXPECT_EQ(sockets_.opened, opened);
  EXPECT_EQ(sockets_.open,
            (std::map<std::pair<int, Family>, int>{{{2, Family::V4}, 1}, {{3, Family::V4}, 0}}));
  // Guard: off eth1, nothing attached again.
  EXPECT_EQ(guard_.detached, std::vector<int>{3});
  EXPECT_EQ(guard_.attached, (std::vector<int>{2, 3}));
  EXPECT_EQ(guard_.configured.back().size(), 2u);
  // Checks: the changed script and probe restarted, the new script started.
  EXPECT_EQ(count(checks_.stopped, "chk_httpd"), 1u);
  EXPECT_EQ(count(checks_.stopped, "reference 192.0.2.254"), 1u);
  EXPECT_EQ(checks_.started, (Names{"chk_db", "chk_httpd", "reference 192.0.2.254"}));
}

// A new VRRP identity is a new instance: the old one hands over (priority
// 0, VIP released) before the new one claims. The probe it keeps stays
// running, and the new instance starts knowing its verdict.
TEST_F(SupervisorTest, AnIdentityChangeHandsOverThenStartsAgain) {
  start(kTwoInstances);
  ASSERT_EQ(state("VI_1"), vrrp::State::Master);
  checks_.started.clear();
  netlink_.log.clear();
  sockets_.sent.clear();

  std::string text = kTwoInstances;
  text.replace(text.find("virtual_router_id 51"), 20, "virtual_router_id 61");
  ASSERT_TRUE(reload(text).has_value());

  EXPECT_EQ(netlink_.log, (Names{"remove 2 192.0.2.100/32", "add 2 192.0.2.100/32"}));
  auto sent = adverts();
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent.front(), (std::pair<int, int>{51, 0})) << "the old one resigns first";
  EXPECT_EQ(sent.back(), (std::pair<int, int>{61, 255}));
  EXPECT_TRUE(checks_.started.empty()) << "the probe and the script are kept";
  EXPECT_EQ(state("VI_1"), vrrp::State::Master);
  EXPECT_EQ(state("VI_2"), vrrp::State::Backup);
}

// Stops run before any start, instances before the sockets they send
// through: a MASTER that leaves with its interface still says goodbye.
TEST_F(SupervisorTest, AnInstanceThatLeavesHandsOverBeforeItsSocketCloses) {
  start(kTwoInstances);
  sockets_.events.clear();
  std::string text = kTwoInstances;
  text.erase(text.find("vrrp_instance VI_1"),
             text.find("vrrp_instance VI_2") - text.find("vrrp_instance VI_1"));
  ASSERT_TRUE(reload(text).has_value());
  EXPECT_EQ(names(), Names{"VI_2"});
  EXPECT_EQ(sockets_.events, (Names{"send 2", "close 2"}));
  EXPECT_EQ(guard_.detached, std::vector<int>{2});
  EXPECT_EQ(checks_.stopped, (Names{"chk_httpd", "reference 192.0.2.254"}));
}

TEST_F(SupervisorTest, AReloadThatFailsValidationChangesNothing) {
  start(kTwoInstances);
  const auto log = netlink_.log;
  const auto open = sockets_.open;
  const int opened = sockets_.opened;
  const auto attached = guard_.attached;
  const size_t configured = guard_.configured.size();
  const auto started = checks_.started;
  const std::string record = state_file();

  auto r = reload(instance("VI_1", "eth0", 300, 255, "192.0.2.100/32"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().context.find("keepvip.conf:3"), std::string::npos) << r.error().context;

  EXPECT_EQ(names(), (Names{"VI_1", "VI_2"}));
  EXPECT_EQ(state("VI_1"), vrrp::State::Master);
  EXPECT_EQ(netlink_.log, log);
  EXPECT_EQ(sockets_.open, open);
  EXPECT_EQ(sockets_.opened, opened);
  EXPECT_EQ(guard_.attached, attached);
  EXPECT_TRUE(guard_.detached.empty());
  EXPECT_EQ(guard_.configured.size(), configured);
  EXPECT_EQ(checks_.started, started);
  EXPECT_TRUE(checks_.stopped.empty());
  EXPECT_EQ(state_file(), record);
}

TEST_F(SupervisorTest, CheckVerdictsAndLinkEventsReachTheirInstances) {
  start(kTwoInstances);
  checks_.report("chk_httpd", false);
  EXPECT_EQ(state("VI_1"), vrrp::State::Fault) << "a weight-0 script down";
  checks_.report("chk_httpd", true);
  EXPECT_EQ(state("VI_1"), vrrp::State::Master);

  links_.push({3, "eth1", false});
  EXPECT_TRUE(run_until([&] { return state("VI_2") == vrrp::State::Fault; }));
}

// A tracked process is counted from a scan at start and then from events;
// a reload that drops it stops watching its name.
TEST_F(SupervisorTest, TrackedProcessesFollowScanAndEvents) {
  using Kind = ports::ProcessEvent::Kind;
  const std::string tracker = "vrrp_track_process web {\n  process nginx\n}\n";
  const std::string vi =
      instance("VI_1", "eth0", 51, 255, "192.0.2.100/32", "  track_process {\n    web\n  }\n");
  processes_.running = {{10, "nginx", "nginx\0"}, {11, "bash", "bash\0"}};
  start(tracker + vi);
  EXPECT_EQ(processes_.watched, Names{"nginx"});
  EXPECT_EQ(processes_.scans, 1);
  EXPECT_EQ(state("VI_1"), vrrp::State::Master);

  processes_.push({Kind::Exit, 10, 0, "nginx", ""});
  EXPECT_TRUE(run_until([&] { return state("VI_1") == vrrp::State::Fault; }));
  // What D-Bus (FaultReasons) and keepvipctl show.
  EXPECT_EQ(supervisor_->snapshot()[0].fault_reasons, Names{"process web down"});
  processes_.push({Kind::Exec, 12, 0, "nginx", "nginx\0"});
  EXPECT_TRUE(run_until([&] { return state("VI_1") == vrrp::State::Master; }));

  ASSERT_TRUE(reload(instance("VI_1", "eth0", 51, 255, "192.0.2.100/32")));
  EXPECT_TRUE(processes_.watched.empty());
}

TEST_F(SupervisorTest, ShutdownHandsOverAndClearsTheRecord) {
  start(kTwoInstances);
  sockets_.sent.clear();
  supervisor_->shutdown();
  EXPECT_EQ(adverts(), (std::vector<std::pair<int, int>>{{51, 0}}));
  EXPECT_EQ(netlink_calls("remove 2 192.0.2.100/32"), 1u);
  EXPECT_EQ(state_file().find("instance"), std::string::npos) << state_file();
  EXPECT_FALSE(reload(kTwoInstances).has_value()) << "no reload while stopping";
}

// static_routes / static_rules: installed before the instances run (routes,
// then rules); a reload removes the gone (rules first), adds the new and
// leaves the unchanged; the stop removes the rest, as keepalived does.
TEST_F(SupervisorTest, StaticRoutesAndRulesAreReconciledAndRemovedAtStop) {
  const std::string statics =
      "static_routes {\n  blackhole 203.0.113.0/25 table 101\n"
      "  2001:db8:200::/48 dev eth0 table 101\n}\n"
      "static_rules {\n  to 203.0.113.0/25 lookup 101 priority 101\n}\n";
  start(statics + kTwoInstances);
  ASSERT_GE(netlink_.log.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(netlink_.log.begin(), netlink_.log.begin() + 3),
            (std::vector<std::string>{"add route blackhole 203.0.113.0/25 table 101",
                                      "add route 2001:db8:200::/48 dev eth0 table 101",
                                      "add rule inet to 203.0.113.0/25 preference 101 table 101"}));

  netlink_.log.clear();
  ASSERT_TRUE(reload("static_routes {\n  2001:db8:200::/48 dev eth0 table 101\n"
                     "  unreachable 203.0.113.128/25 table 101\n}\n" +
                     kTwoInstances)
                  .has_value());
  auto changes = netlink_.log;
  std::erase_if(changes, [](const std::string& c) {
    return c.find(" rule ") == std::string::npos && c.find(" route ") == std::string::npos;
  });
  EXPECT_EQ(changes,
            (std::vector<std::string>{"remove rule inet to 203.0.113.0/25 preference 101 table 101",
                                      "remove route blackhole 203.0.113.0/25 table 101",
                                      "add route unreachable 203.0.113.128/25 table 101"}));

  netlink_.log.clear();
  supervisor_->shutdown();
  EXPECT_EQ(netlink_calls("remove route 2001:db8:200::/48 dev eth0 table 101"), 1u);
  EXPECT_EQ(netlink_calls("remove route unreachable 203.0.113.128/25 table 101"), 1u);
}

// keepalived's "Deassigned address": the source leaves with no other usable
// address (an IPv6 link-local gone with a link flap) and the instance is
// FAULT, its VIP released; the next usable address is taken and adverts go
// out from it.
TEST_F(SupervisorTest, AnInstanceFollowsItsSourceAddress) {
  start(kTwoInstances);
  ASSERT_EQ(state("VI_1"), vrrp::State::Master);
  netlink_.sources[2] = std::nullopt;
  links_.push(net::AddressEvent{2, *IpPrefix::parse("192.0.2.1/24"), false});
  EXPECT_TRUE(run_until([&] { return state("VI_1") == vrrp::State::Fault; }));
  EXPECT_EQ(netlink_calls("remove 2 192.0.2.100/32"), 1u);

  links_.push(net::AddressEvent{2, *IpPrefix::parse("192.0.2.9/24"), true});  // a VIP, say
  sd_event_run(loop_.get(), 10'000);
  EXPECT_EQ(state("VI_1"), vrrp::State::Fault) << "no usable address came";

  netlink_.sources[2] = IpAddress::parse("192.0.2.7");
  links_.push(net::AddressEvent{2, *IpPrefix::parse("192.0.2.7/24"), true});
  EXPECT_TRUE(run_until([&] { return state("VI_1") == vrrp::State::Master; }));
  sockets_.sent.clear();
  ASSERT_TRUE(run_until([&] { return !sockets_.sent.empty(); }));
  EXPECT_EQ(sockets_.sent.back().source, IpAddress::parse("192.0.2.7"));
}

// A StopUnit whose sender has left the bus before systemd read it is never
// run: the loop must not end before systemd has answered the master_units
// stops (and must end once it has).
TEST_F(SupervisorTest, ShutdownWaitsForSystemdToAnswerTheUnitStops) {
  start(kVi2 + instance("VI_3", "eth0", 53, 255, "192.0.2.150/32",
                        "  master_units {\n    httpd.service\n  }\n"));
  ASSERT_EQ(state("VI_3"), vrrp::State::Master);
  units_.hold_jobs = true;
  supervisor_->shutdown();
  EXPECT_EQ(units_.stopped, Names{"httpd.service"});
  auto exiting = [&] {
    int code = 0;
    return sd_event_get_exit_code(loop_.get(), &code) >= 0;
  };
  sd_event_run(loop_.get(), 50'000);
  EXPECT_FALSE(exiting()) << "the loop ended with the httpd.service stop unanswered";
  units_.answer_jobs();
  EXPECT_TRUE(exiting());
}

// vrrp_startup_delay: even the address owner waits it out, as a BACKUP that
// sends nothing; a reload does not start the delay again.
TEST_F(SupervisorTest, StartupDelayHoldsBackTheOwnerOnceAndNotAgainOnReload) {
  const std::string owner = instance("VI_1", "eth0", 51, 255, "192.0.2.100/32");
  const std::string delayed = "global_defs {\n  vrrp_startup_delay 0.3\n}\n" + owner;
  const auto started = std::chrono::steady_clock::now();
  start(delayed);
  EXPECT_EQ(state("VI_1"), vrrp::State::Backup);
  EXPECT_TRUE(adverts().empty());
  ASSERT_TRUE(run_until([&] { return state("VI_1") == vrrp::State::Master; }));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 290ms);

  ASSERT_TRUE(reload(delayed + instance("VI_3", "eth0", 53, 255, "192.0.2.103/32")).has_value());
  EXPECT_EQ(state("VI_3"), vrrp::State::Master);
}

// interface_up_down_delays: a link down for less than its delay is never
// heard of; one down for longer is, once the delay has passed.
TEST_F(SupervisorTest, InterfaceDownDelayHoldsTheLinkEventBack) {
  start("interface_up_down_delays {\n  eth1 0.3\n}\n" + kTwoInstances);
  ASSERT_EQ(state("VI_2"), vrrp::State::Backup);
  links_.push({3, "eth1", false});
  links_.push({3, "eth1", true});
  const auto flapped = std::chrono::steady_clock::now();
  run_until([&] { return std::chrono::steady_clock::now() - flapped > 500ms; });
  EXPECT_EQ(state("VI_2"), vrrp::State::Backup);

  links_.push({3, "eth1", false});
  const auto down = std::chrono::steady_clock::now();
  run_until([&] { return std::chrono::steady_clock::now() - down > 200ms; });
  EXPECT_EQ(state("VI_2"), vrrp::State::Backup) << "acted on before the delay";
  ASSERT_TRUE(run_until([&] { return state("VI_2") == vrrp::State::Fault; }));
  EXPECT_GE(std::chrono::steady_clock::now() - down, 290ms);
  // No up delay written: back at once.
  links_.push({3, "eth1", true});
  EXPECT_TRUE(run_until([&] { return state("VI_2") == vrrp::State::Backup; }));
}

}  // namespace
}  // namespace keepvip::daemon
