// The executor against fakes on a real sd-event loop: what it does to the
// kernel (VIPs, adverts, GARPs), to the guard and to publishers when the
// pure state machine decides.
#include "daemon/instances/instance_runner.h"

#include <gtest/gtest.h>

#include <chrono>

#include "daemon/tracking/tracking.h"
#include "fakes.h"

namespace keepvip::daemon {
namespace {

using namespace std::chrono_literals;
using testing::FakeAnnouncer;
using testing::FakeGuard;
using testing::FakeNetlink;
using testing::FakeSender;

class InstanceRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = new_event_loop();
    ASSERT_TRUE(loop.has_value());
    loop_ = std::move(*loop);
    instance_.name = "VI_1";
    instance_.interface = "eth0";
    instance_.vrid = 51;
    instance_.priority = 100;
    instance_.auth_pass = "secret";
    instance_.garp_master_delay = Usec{0};
    instance_.virtual_addresses.push_back({*IpPrefix::parse("192.0.2.100/32"), "", "", {}});
    config::Script chk;
    chk.name = "chk";
    chk.weight = -30;
    config_.scripts["chk"] = chk;
  }

  void create() { create_with_units(nullptr); }

  void create_with_units(ports::UnitHealth* units) {
    create_with_context([units](RunnerContext& context) { context.units = units; });
  }

  void create_with_context(const std::function<void(RunnerContext&)>& adjust) {
    RunnerContext context;
    adjust(context);
    context.loop = loop_.get();
    context.netlink = &netlink_;
    context.routes = &netlink_;
    context.announcer = &announcer_;
    context.guard = &guard_;
    context.guard_sync = &guard_sync_;
    context.firewall = &firewall_;
    context.record_held = [this] {
      records_.push_back({netlink_.log.size(), runner_ && runner_->holds_vips()});
    };
    Placement placement{2, *IpAddress::parse("192.0.2.1")};
    config_.instances = {instance_};
    auto runner = InstanceRunner::create(context, instance_spec(config_, instance_, placement),
                                         &sender_, [this](InstanceRunner&) { ++changes_; });
    ASSERT_TRUE(runner.has_value()) << runner.error().describe();
    runner_ = std::move(*runner);
  }

  template <typename F>
  bool run_until(F done, std::chrono::milliseconds limit = 3s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline)
      sd_event_run(loop_.get(), 10'000);
    return done();
  }

  proto::Advert decode_sent(size_t i) {
    proto::PacketMeta meta;
    meta.source = *IpAddress::parse("192.0.2.1");
    meta.destination = sender_.sent.at(i).destination;
    meta.ttl = 255;
    auto advert = proto::decode_advert(meta, sender_.sent.at(i).payload);
    EXPECT_TRUE(advert.has_value());
    return advert ? *advert : proto::Advert{};
  }

  // An advert from the peer 192.0.2.2, as the socket would hand it over.
  void receive(uint8_t priority, std::string password = "secret") {
    proto::Advert advert;
    advert.version = 2;
    advert.vrid = 51;
    advert.priority = priority;
    advert.interval_cs = 100;
    advert.addresses = {*IpAddress::parse("192.0.2.100")};
    advert.auth_type = 1;
    advert.auth_data = std::move(password);
    proto::PacketMeta meta;
    meta.source = *IpAddress::parse("192.0.2.2");
    meta.destination = *IpAddress::parse("224.0.0.18");
    meta.ttl = 255;
    auto bytes = proto::encode_advert(advert, meta.source, meta.destination);
    runner_->on_packet(meta, bytes);
  }

  EventPtr loop_;
  config::Config config_;
  config::Instance instance_;
  FakeNetlink netlink_;
  FakeAnnouncer announcer_;
  FakeSender sender_;
  FakeGuard guard_;
  GuardSync guard_sync_{guard_};
  testing::FakeFirewall firewall_;
  std::unique_ptr<InstanceRunner> runner_;
  int changes_ = 0;
  struct Record {
    size_t netlink_calls_before;  // how many VIP changes preceded the record
    bool holds_vips;              // what the record would list
  };
  std::vector<Record> records_;
};

TEST_F(InstanceRunnerTest, AddressOwnerTakesOverAtStart) {
  instance_.priority = 255;
  create();
  runner_->start();
  EXPECT_EQ(runner_->state(), vrrp::State::Master);
  EXPECT_EQ(netlink_.log, std::vector<std::string>{"add 2 192.0.2.100/32"});
  ASSERT_EQ(sender_.sent.size(), 1u);
  EXPECT_EQ(sender_.sent[0].destination, *IpAddress::parse("224.0.0.18"));
  EXPECT_EQ(sender_.sent[0].source, IpAddress::parse("192.0.2.1"));
  auto advert = decode_sent(0);
  EXPECT_EQ(advert.priority, 255);
  EXPECT_EQ(advert.vrid, 51);
  EXPECT_EQ(advert.auth_data, "secret");
  // garp_master_repeat 5, no gap: the whole burst at once.
  EXPECT_EQ(announcer_.sent.size(), 5u);
  EXPECT_EQ(guard_.roles, std::vector<vrrp::State>{vrrp::State::Master});
  EXPECT_GE(changes_, 1);
  EXPECT_EQ(runner_->held().advert.vips, std::vector<IpPrefix>{*IpPrefix::parse("192.0.2.100/32")});
}

// The crash hand-over stops the units the dead agent started: a unit systemd
// refused to start is not in the record, and leaving MASTER empties it.
TEST_F(InstanceRunnerTest, HeldUnitsAreTheOnesThisAgentStarted) {
  testing::FakeUnitHealth units;
  units.refuse_start = {"refused.service"};
  instance_.priority = 255;
  instance_.master_units = {"web.service", "refused.service"};
  create_with_units(&units);
  runner_->start();
  ASSERT_EQ(runner_->state(), vrrp::State::Master);
  EXPECT_EQ(runner_->held().master_units, std::vector<std::string>{"web.service"});
  runner_->shutdown();
  EXPECT_TRUE(runner_->held().master_units.empty());
}

// The crash hand-over file must list a VIP before the VIP exists: a SIGKILL
// between the two would otherwise leave the address behind, unrecorded.
TEST_F(InstanceRunnerTest, HeldVipsAreRecordedBeforeTheyAreAdded) {
  instance_.priority = 255;
  create();
  runner_->start();
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].netlink_calls_before, 0u);
  EXPECT_TRUE(records_[0].holds_vips);
  EXPECT_EQ(netlink_.log, std::vector<std::string>{"add 2 192.0.2.100/32"});
}

TEST_F(InstanceRunnerTest, ShutdownOfAMasterSendsPriorityZeroThenReleases) {
  instance_.priority = 255;
  create();
  runner_->start();
  runner_->shutdown();
  EXPECT_EQ(runner_->state(), vrrp::State::Init);
  ASSERT_EQ(sender_.sent.size(), 2u);
  EXPECT_EQ(decode_sent(1).priority, 0);
  EXPECT_EQ(netlink_.log.back(), "remove 2 192.0.2.100/32");
  EXPECT_FALSE(runner_->holds_vips());
}

// keepalived's order: VIPs, then routes, then rules on becoming MASTER;
// rules, routes, then VIPs on leaving; the record lists them first.
TEST_F(InstanceRunnerTest, VirtualRoutesAndRulesFollowTheVips) {
  config::RulePriorities numbers;
  instance_.priority = 255;
  instance_.virtual_routes.push_back(
      *config::parse_route(config::split_words("blackhole 198.51.100.0/24 table 100")).value);
  instance_.virtual_rules.push_back(
      *config::parse_rule(config::split_words("from 192.0.2.0/24 table 100 priority 100"), numbers)
           .value);
  create();
  runner_->start();
  ASSERT_EQ(runner_->state(), vrrp::State::Master);
  EXPECT_EQ(netlink_.log,
            (std::vector<std::string>{"add 2 192.0.2.100/32",
                                      "add route blackhole 198.51.100.0/24 table 100",
                                      "add rule inet from 192.0.2.0/24 preference 100 table 100"}));
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].netlink_calls_before, 0u);
  EXPECT_EQ(runner_->held().routes, instance_.virtual_routes);
  EXPECT_EQ(runner_->held().rules, instance_.virtual_rules);

  // A reload while MASTER: the gone route leaves, the new one comes, the rule stays.
  auto next = instance_;
  next.virtual_routes = {
      *config::parse_route(config::split_words("unreachable 203.0.113.0/24 table 100")).value};
  config_.instances = {next};
  netlink_.log.clear();
  runner_->update(instance_spec(config_, next, {2, *IpAddress::parse("192.0.2.1")}));
  EXPECT_EQ(netlink_.log,
            (std::vector<std::string>{"remove route blackhole 198.51.100.0/24 table 100",
                                      "add route unreachable 203.0.113.0/24 table 100"}));
  // Recorded after the removal, before the addition.
  ASSERT_EQ(records_.size(), 2u);
  EXPECT_EQ(records_[1].netlink_calls_before, 1u);

  netlink_.log.clear();
  runner_->shutdown();
  EXPECT_EQ(netlink_.log,
            (std::vector<std::string>{"remove rule inet from 192.0.2.0/24 preference 100 table 100",
                                      "remove route unreachable 203.0.113.0/24 table 100",
                                      "remove 2 192.0.2.100/32"}));
}

TEST_F(InstanceRunnerTest, BackupClaimsAfterTheMasterDownInterval) {
  instance_.version = 3;
  instance_.auth_pass.reset();
  instance_.advert_interval = Usec{100'000};
  create();
  runner_->start();
  EXPECT_EQ(runner_->state(), vrrp::State::Backup);
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until([&] { return runner_->state() == vrrp::State::Master; }));
  // 3 x 0.1 s + (256 - 100) x 0.1 s / 256 = 361 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 350ms);
  EXPECT_EQ(netlink_.log, std::vector<std::string>{"add 2 192.0.2.100/32"});
  // The advert timer re-arms itself: more adverts follow.
  ASSERT_TRUE(run_until([&] { return sender_.sent.size() >= 3; }));
}

// keepalived's no_accept: the drop rules go in before the VIPs and come out
// after them, so no packet reaches a VIP unfiltered; the crash record names
// the tables.
TEST_F(InstanceRunnerTest, NoAcceptDropsTrafficToTheVipsWhileMaster) {
  instance_.version = 3;
  instance_.auth_pass.reset();
  instance_.advert_interval = Usec{100'000};
  instance_.accept = false;
  instance_.excluded_addresses.push_back({*IpPrefix::parse("192.0.2.101/32"), "", "", {}});
  firewall_.log = &netlink_.log;
  create();
  runner_->start();
  EXPECT_TRUE(firewall_.dropped.empty());
  ASSERT_TRUE(run_until([&] { return runner_->state() == vrrp::State::Master; }));
  EXPECT_EQ(netlink_.log,
            (std::vector<std::string>{"drop VI_1 192.0.2.100 192.0.2.101", "add 2 192.0.2.100/32",
                                      "add 2 192.0.2.101/32"}));
  EXPECT_EQ(firewall_.settings.table, "keepvip");
  EXPECT_EQ(runner_->held().firewall_table, "keepvip");
  runner_->shutdown();
  ASSERT_GE(netlink_.log.size(), 2u);
  EXPECT_EQ(netlink_.log.back(), "drop VI_1 -");
  EXPECT_EQ(netlink_.log[netlink_.log.size() - 2], "remove 2 192.0.2.101/32");
  EXPECT_TRUE(firewall_.dropped.empty());
}

// With accept, or as the address owner, nothing is dropped; a reload that
// takes accept away from a MASTER drops from then on, without a transition.
TEST_F(InstanceRunnerTest, AcceptDropsNothingAndAReloadCanTakeItAway) {
  instance_.priority = 255;
  instance_.accept = false;  // the owner drops nothing even so
  create();
  runner_->start();
  ASSERT_EQ(runner_->state(), vrrp::State::Master);
  EXPECT_TRUE(firewall_.dropped.empty());
  EXPECT_EQ(runner_->held().firewall_table, "");
  config::Instance changed = instance_;
  changed.priority = 200;
  config_.instances = {changed};
  runner_->update(instance_spec(config_, changed, Placement{2, *IpAddress::parse("192.0.2.1")}));
  ASSERT_EQ(runner_->state(), vrrp::State::Master);
  ASSERT_EQ(firewall_.dropped.count("VI_1"), 1u);
  EXPECT_EQ(firewall_.dropped["VI_1"].at(0).address, *IpAddress::parse("192.0.2.100"));
  changed.accept = true;
  config_.instances = {changed};
  runner_->update(instance_spec(config_, changed, Placement{2, *IpAddress::parse("192.0.2.1")}));
  EXPECT_TRUE(firewall_.dropped.empty());
  EXPECT_EQ(runner_->state(), vrrp::State::Master);
}

TEST_F(InstanceRunnerTest, HigherPriorityAdvertSendsAMasterBack) {
  instance_.priority = 255;
  create();
  runner_->start();
  receive(254);  // lower: we answer at once and stay
  EXPECT_EQ(runner_->state(), vrrp::State::Master);
  EXPECT_EQ(sender_.sent.size(), 2u);
  // Priority 255 cannot be outranked; a 200 master meeting a 254 can.
  instance_.priority = 200;
  create();
  runner_->start();
  ASSERT_TRUE(run_until([&] { return runner_->state() == vrrp::State::Master; }, 5s));
  receive(254);
  EXPECT_EQ(runner_->state(), vrrp::State::Backup);
  EXPECT_EQ(netlink_.log.back(), "remove 2 192.0.2.100/32");
  EXPECT_EQ(runner_->snapshot().master_address, IpAddress::parse("192.0.2.2"));
}

TEST_F(InstanceRunnerTest, WrongPasswordIsDroppedAndCounted) {
  create();
  runner_->start();
  receive(200, "wrong");
  receive(200, "wrong");
  auto snap = runner_->snapshot();
  EXPECT_EQ(snap.counters.adverts_received, 2u);
  EXPECT_EQ(snap.counters.drops[proto::DropReason::AuthMismatch], 2u);
  EXPECT_FALSE(snap.master_address.has_value());
}

// auth_type AH: adverts leave as whole IPv4 packets, numbered on from the
// sequence number the runner accepted last; a wrong ICV and a replay are
// dropped and counted.
TEST_F(InstanceRunnerTest, AhAdvertsContinueTheAcceptedSequence) {
  instance_.auth_type = config::AuthType::Ah;
  instance_.priority = 255;
  create();
  auto peer_packet = [](uint32_t sequence, const char* key, uint8_t priority) {
    proto::Advert advert;
    advert.version = 2;
    advert.vrid = 51;
    advert.priority = priority;
    advert.addresses = {*IpAddress::parse("192.0.2.100")};
    advert.auth_type = 2;
    proto::AhSendParams p;
    p.source = *IpAddress::parse("192.0.2.2");
    p.destination = *IpAddress::parse("224.0.0.18");
    p.ip_id = 1;
    p.sequence = sequence;
    p.key = proto::ah_key(key);
    return proto::build_ah_packet(p, proto::encode_advert(advert, p.source, p.destination));
  };
  auto deliver = [&](const std::vector<uint8_t>& packet) {
    auto split = proto::split_ipv4(packet);
    ASSERT_TRUE(split.has_value());
    runner_->on_packet(split->meta, split->payload);
  };
  deliver(peer_packet(40, "secret", 100));   // taken: the counter is 40
  deliver(peer_packet(40, "secret", 100));   // a replay
  deliver(peer_packet(50, "another", 100));  // another password
  auto snap = runner_->snapshot();
  EXPECT_EQ(snap.counters.drops[proto::DropReason::AhSequenceReplay], 1u);
  EXPECT_EQ(snap.counters.drops[proto::DropReason::AhIcvMismatch], 1u);

  runner_->start();  // the address owner: MASTER at once, one advert
  EXPECT_TRUE(sender_.sent.empty());
  ASSERT_EQ(sender_.sent_ipv4.size(), 1u);
  auto split = proto::split_ipv4(sender_.sent_ipv4[0].payload);
  ASSERT_TRUE(split.has_value());
  ASSERT_TRUE(split->meta.ah.has_value());
  EXPECT_EQ(split->meta.ah->header.sequence, 41u);
  EXPECT_EQ(split->meta.ah->header.spi, 0xc0000201u);  // 192.0.2.1
  EXPECT_TRUE(
      proto::ah_icv_matches(*split->meta.ah, split->payload, proto::ah_key("secret"), false));
  auto advert = proto::decode_advert(split->meta, split->payload);
  ASSERT_TRUE(advert.has_value());
  EXPECT_EQ(advert->auth_type, 2);
  EXPECT_EQ(advert->priority, 255);
}

TEST_F(InstanceRunnerTest, TrackedWeightsChangeTheEffectivePriority) {
  instance_.track_scripts.push_back({"chk", std::nullopt, false, {}});
  create();
  runner_->start();
  runner_->set_tracked(script_key("chk"), false);
  EXPECT_EQ(runner_->snapshot().effective_priority, 70);
  EXPECT_EQ(runner_->snapshot().priority, 100);
  runner_->set_tracked(script_key("chk"), true);
  EXPECT_EQ(runner_->snapshot().effective_priority, 100);
}

TEST_F(InstanceRunnerTest, TheGuardFollowsTheEffectivePriority) {
  instance_.track_scripts.push_back({"chk", std::nullopt, false, {}});
  create();
  // What the supervisor does at start: the whole set, then the runners run.
  ASSERT_TRUE(guard_sync_.configure({runner_->guard_instance()}).has_value());
  runner_->start();
  ASSERT_EQ(guard_.configured.size(), 1u);
  EXPECT_EQ(guard_.configured.back().at(0).priority, 100);

  runner_->set_tracked(script_key("chk"), false);  // weight -30
  ASSERT_EQ(guard_.configured.size(), 2u);
  ASSERT_EQ(guard_.configured.back().size(), 1u);
  EXPECT_EQ(guard_.configured.back()[0].priority, 70);
  EXPECT_EQ(guard_.configured.back()[0].vrid(), 51);

  // Reported again without a change: the guard is not rewritten.
  runner_->set_tracked(script_key("chk"), false);
  EXPECT_EQ(guard_.configured.size(), 2u);

  runner_->set_tracked(script_key("chk"), true);
  ASSERT_EQ(guard_.configured.size(), 3u);
  EXPECT_EQ(guard_.configured.back()[0].priority, 100);
}

TEST_F(InstanceRunnerTest, TheGuardWatchesExcludedAddressesToo) {
  instance_.excluded_addresses.push_back({*IpPrefix::parse("192.0.2.200/32"), "", "", {}});
  create();
  auto g = runner_->guard_instance();
  EXPECT_EQ(g.vips, (std::vector<IpAddress>{*IpAddress::parse("192.0.2.100"),
                                            *IpAddress::parse("192.0.2.200")}));
}

TEST_F(InstanceRunnerTest, GuardUpdatesKeepTheOtherInstances) {
  instance_.track_scripts.push_back({"chk", std::nullopt, false, {}});
  create();
  ports::GuardInstance other = runner_->guard_instance();
  other.receive.vrid = 52;
  other.priority = 150;
  ASSERT_TRUE(guard_sync_.configure({other, runner_->guard_instance()}).has_value());
  runner_->start();
  runner_->set_tracked(script_key("chk"), false);
  ASSERT_EQ(guard_.configured.size(), 2u);
  const auto& sent = guard_.configured.back();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].vrid(), 52);
  EXPECT_EQ(sent[0].priority, 150);
  EXPECT_EQ(sent[1].vrid(), 51);
  EXPECT_EQ(sent[1].priority, 70);
}

TEST_F(InstanceRunnerTest, InterfaceDownPutsAMasterInFault) {
  instance_.priority = 255;
  create();
  runner_->start();
  runner_->set_tracked(interface_key("eth0"), false);
  EXPECT_EQ(runner_->state(), vrrp::State::Fault);
  EXPECT_EQ(decode_sent(sender_.sent.size() - 1).priority, 0);
  EXPECT_EQ(netlink_.log.back(), "remove 2 192.0.2.100/32");
  auto snap = runner_->snapshot();
  ASSERT_EQ(snap.fault_reasons.size(), 1u);
  EXPECT_EQ(snap.fault_reasons[0], "interface eth0 down");
  runner_->set_tracked(interface_key("eth0"), true);
  EXPECT_EQ(runner_->state(), vrrp::State::Master);  // the owner comes straight back
}

TEST_F(InstanceRunnerTest, AnnounceBurstRespectsTheGap) {
  instance_.priority = 255;
  instance_.garp_master_repeat = 3;
  config_.global.vrrp_garp_interval = Usec{20'000};
  create();
  runner_->start();
  EXPECT_EQ(announcer_.sent.size(), 1u);  // the rest follow the gap timer
  ASSERT_TRUE(run_until([&] { return announcer_.sent.size() == 3; }));
  run_until([] { return false; }, 100ms);
  EXPECT_EQ(announcer_.sent.size(), 3u);
}

TEST_F(InstanceRunnerTest, LabelledVipsAreAddedWithTheirLabel) {
  instance_.priority = 255;
  instance_.virtual_addresses.push_back({*IpPrefix::parse("192.0.2.101/32"), "", "eth0:1", {}});
  create();
  runner_->start();
  EXPECT_EQ(netlink_.log, (std::vector<std::string>{"add 2 192.0.2.100/32",
                                                    "add 2 192.0.2.101/32 label eth0:1"}));
  runner_->shutdown();
  EXPECT_EQ(netlink_.log.back(), "remove 2 192.0.2.101/32");
}

TEST_F(InstanceRunnerTest, StandingSplitBrainPublishesItsLastSightingAtMostOnceASecond) {
  instance_.priority = 255;
  create();
  runner_->start();
  ASSERT_EQ(runner_->state(), vrrp::State::Master);
  vrrp::SplitBrainEvidence foreign;
  foreign.kind = vrrp::EvidenceKind::ForeignMaster;
  foreign.source = *IpAddress::parse("192.0.2.9");
  foreign.vrid = 51;
  foreign.priority = 100;
  auto sight = [&](uint64_t realtime_usec) {
    foreign.first_seen_usec = foreign.last_seen_usec = realtime_usec;
    runner_->on_guard_evidence(foreign);
  };
  auto idle = [&](std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    run_until([&] { return std::chrono::steady_clock::now() >= until; }, d + 1s);
  };

  sight(1'000'000);
  idle(1100ms);  // the alarm needs the evidence to stand for a second
  int before = changes_;
  sight(2'000'000);
  ASSERT_TRUE(runner_->snapshot().split_brain);
  EXPECT_EQ(changes_, before + 1) << "the alarm's start is published";

  sight(2'500'000);  // within the second: the bus is not told again
  EXPECT_EQ(changes_, before + 1);
  idle(1100ms);
  sight(3'000'000);
  EXPECT_EQ(changes_, before + 2) << "a second later the newer sighting is published";
  auto evidence = runner_->snapshot().evidence;
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0].first_seen_usec, 1'000'000u);
  EXPECT_EQ(evidence[0].last_seen_usec, 3'000'000u);
}

// keepalived's vrrp_state_master_rx: a lower-priority advert gets
// garp_lower_prio_repeat rounds at once and as many after the delay, per
// advert (two adverts, two delayed bursts).
TEST_F(InstanceRunnerTest, LowerPriorityAdvertsAreAnsweredWithGarpsNowAndAfterTheDelay) {
  instance_.priority = 255;
  instance_.garp_master_repeat = 1;
  instance_.garp_lower_prio_repeat = 2;
  instance_.garp_lower_prio_delay = 150ms;
  create();
  runner_->start();
  ASSERT_EQ(announcer_.sent.size(), 1u);
  receive(100);
  EXPECT_EQ(announcer_.sent.size(), 3u);
  receive(100);
  EXPECT_EQ(announcer_.sent.size(), 5u);
  const auto heard = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until([&] { return announcer_.sent.size() == 9; }));
  EXPECT_GE(std::chrono::steady_clock::now() - heard, 140ms);
  run_until([] { return false; }, 200ms);
  EXPECT_EQ(announcer_.sent.size(), 9u);
}

TEST_F(InstanceRunnerTest, NoLowerPriorityGarpsWithARepeatOfZero) {
  instance_.priority = 255;
  instance_.garp_master_repeat = 1;
  instance_.garp_lower_prio_repeat = 0;
  create();
  runner_->start();
  receive(100);
  EXPECT_EQ(announcer_.sent.size(), 1u);
}

// keepalived's vrrp_state_master_tx: the refresh goes out with the first
// periodic advert after garp_master_refresh, garp_master_refresh_repeat rounds.
TEST_F(InstanceRunnerTest, RefreshRidesOnThePeriodicAdvertWithItsRepeat) {
  instance_.priority = 255;
  instance_.version = 3;
  instance_.advert_interval = 100ms;
  instance_.garp_master_repeat = 1;
  instance_.garp_master_refresh = 150ms;
  instance_.garp_master_refresh_repeat = 3;
  create();
  const auto started = std::chrono::steady_clock::now();
  runner_->start();
  ASSERT_EQ(announcer_.sent.size(), 1u);
  ASSERT_TRUE(run_until([&] { return announcer_.sent.size() > 1; }));
  // Not at 150 ms (no advert then) but with the advert at 200 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 190ms);
  EXPECT_EQ(announcer_.sent.size(), 4u);
}

// keepalived's update_master_adver_int: a VRRPv3 backup that learns a
// shorter master interval has the interface delays cut to fit it.
TEST_F(InstanceRunnerTest, AShorterV3MasterIntervalIsReportedForTheInterfaceDelays) {
  instance_.version = 3;
  instance_.auth_pass.reset();
  std::vector<std::pair<std::string, Usec>> lowered;
  create_with_context([&](RunnerContext& context) {
    context.master_interval_lowered = [&](const std::string& interface, unsigned adverts,
                                          Usec interval) {
      EXPECT_EQ(adverts, 3u);
      lowered.emplace_back(interface, interval);
    };
  });
  runner_->start();
  ASSERT_EQ(runner_->state(), vrrp::State::Backup);
  auto receive_v3 = [&](uint16_t interval_cs) {
    proto::Advert advert;
    advert.version = 3;
    advert.vrid = 51;
    advert.priority = 150;
    advert.interval_cs = interval_cs;
    advert.addresses = {*IpAddress::parse("192.0.2.100")};
    proto::PacketMeta meta;
    meta.source = *IpAddress::parse("192.0.2.2");
    meta.destination = *IpAddress::parse("224.0.0.18");
    meta.ttl = 255;
    runner_->on_packet(meta, proto::encode_advert(advert, meta.source, meta.destination));
  };
  receive_v3(100);  // the interval it knew
  EXPECT_TRUE(lowered.empty());
  receive_v3(50);
  ASSERT_EQ(lowered.size(), 1u);
  EXPECT_EQ(lowered[0], (std::pair<std::string, Usec>{"eth0", 500ms}));
  receive_v3(50);
  EXPECT_EQ(lowered.size(), 1u);
}

}  // namespace
}  // namespace keepvip::daemon
