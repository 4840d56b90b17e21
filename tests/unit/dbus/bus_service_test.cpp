// BusService on a private dbus-daemon: properties read back the snapshot,
// change signals follow the declared contracts, methods reach ports::Control
// and bad calls get the named org.keepvip1.Error.* errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>

#include "bus_fixture.h"

namespace keepvip::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

ports::InstanceSnapshot make_instance(const std::string& name) {
  ports::InstanceSnapshot s;
  s.name = name;
  s.state = vrrp::State::Backup;
  s.priority = 100;
  s.effective_priority = 40;
  s.vrid = 51;
  s.interface = "eth0";
  s.version = 3;
  s.virtual_addresses = {"192.0.2.10/24", "2001:db8::10/64"};
  s.master_address = IpAddress::parse("192.0.2.2");
  s.last_transition_usec = 1'700'000'000'123'456;
  s.last_transition_reason = "master down timer expired";
  s.counters.adverts_received = 7;
  s.counters.adverts_sent = 3;
  s.counters.became_master = 2;
  s.counters.drops = {{proto::DropReason::BadTtl, 4}, {proto::DropReason::AuthMismatch, 2}};
  return s;
}

vrrp::SplitBrainEvidence make_evidence() {
  vrrp::SplitBrainEvidence e;
  e.kind = vrrp::EvidenceKind::VridMismatch;
  e.source = *IpAddress::parse("192.0.2.66");
  e.mac = "52:54:00:12:34:56";
  e.vrid = 52;
  e.priority = 150;
  e.first_seen_usec = 1'700'000'001'000'000;
  e.last_seen_usec = 1'700'000'002'000'000;
  return e;
}

struct ChangeSignal {
  std::string path, interface;
  std::map<std::string, std::string> changed;  // name -> value for "s"/"b", "" otherwise
  std::vector<std::string> invalidated;
};

int record_change(sd_bus_message* m, void* userdata, sd_bus_error*) {
  ChangeSignal sig;
  sig.path = sd_bus_message_get_path(m);
  const char* iface = nullptr;
  if (sd_bus_message_read(m, "s", &iface) < 0) return 0;
  sig.interface = iface;
  sd_bus_message_enter_container(m, 'a', "{sv}");
  while (sd_bus_message_enter_container(m, 'e', "sv") > 0) {
    const char* name = nullptr;
    sd_bus_message_read(m, "s", &name);
    const char* contents = nullptr;
    sd_bus_message_peek_type(m, nullptr, &contents);
    std::string value;
    if (std::string_view(contents) == "s") {
      const char* s = nullptr;
      sd_bus_message_read(m, "v", "s", &s);
      value = s;
    } else if (std::string_view(contents) == "b") {
      int b = 0;
      sd_bus_message_read(m, "v", "b", &b);
      value = b ? "true" : "false";
    } else {
      sd_bus_message_skip(m, "v");
    }
    sig.changed[name] = value;
    sd_bus_message_exit_container(m);
  }
  sd_bus_message_exit_container(m);
  sd_bus_message_enter_container(m, 'a', "s");
  const char* inv = nullptr;
  while (sd_bus_message_read(m, "s", &inv) > 0) sig.invalidated.emplace_back(inv);
  static_cast<std::vector<ChangeSignal>*>(userdata)->push_back(std::move(sig));
  return 0;
}

struct ObjectSignal {
  std::string member, path;
};

int record_object_signal(sd_bus_message* m, void* userdata, sd_bus_error*) {
  const char* path = nullptr;
  if (sd_bus_message_read(m, "o", &path) < 0) return 0;
  static_cast<std::vector<ObjectSignal>*>(userdata)->push_back(
      {sd_bus_message_get_member(m), path});
  return 0;
}

class BusServiceTest : public BusFixture {
 protected:
  std::string vi1_path() const { return dbus::BusService::instance_path("VI_1"); }

  void watch_changes() {
    sd_bus_slot* slot = nullptr;
    ASSERT_GE(sd_bus_match_signal(client_.get(), &slot, nullptr, nullptr,
                                  "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                  record_change, &changes_),
              0);
    change_slot_.reset(slot);
  }

  std::vector<ChangeSignal> changes_;
  SlotPtr change_slot_;
};

TEST_F(BusServiceTest, InstancePathEscapesTheName) {
  EXPECT_EQ(dbus::BusService::instance_path("VI_1"), "/org/keepvip1/instance/VI_5f1");
  EXPECT_EQ(dbus::BusService::instance_path("web.v6"), "/org/keepvip1/instance/web_2ev6");
}

TEST_F(BusServiceTest, PropertiesReadBackTheSnapshot) {
  auto vi1 = make_instance("VI_1");
  vi1.evidence = {make_evidence()};
  vi1.split_brain = true;
  service_->instances_reset({vi1});
  const auto path = vi1_path();
  const char* I = dbus::kInstanceInterface;

  EXPECT_EQ(get_string(path, I, "Name"), "VI_1");
  EXPECT_EQ(get_string(path, I, "State"), "BACKUP");
  EXPECT_EQ(get_string(path, I, "Interface"), "eth0");
  EXPECT_EQ(get_string(path, I, "MasterAddress"), "192.0.2.2");
  EXPECT_EQ(get_string(path, I, "LastTransitionReason"), "master down timer expired");

  auto read_byte = [&](const char* prop) {
    uint8_t v = 0;
    Reply r = get_property(path, I, prop);
    EXPECT_GE(sd_bus_message_read(r.message.get(), "v", "y", &v), 0) << prop;
    return int{v};
  };
  EXPECT_EQ(read_byte("Priority"), 100);
  EXPECT_EQ(read_byte("EffectivePriority"), 40);
  EXPECT_EQ(read_byte("VirtualRouterId"), 51);
  EXPECT_EQ(read_byte("Version"), 3);

  auto read_u64 = [&](const char* prop) {
    uint64_t v = 0;
    Reply r = get_property(path, I, prop);
    EXPECT_GE(sd_bus_message_read(r.message.get(), "v", "t", &v), 0) << prop;
    return v;
  };
  EXPECT_EQ(read_u64("LastTransition"), 1'700'000'000'123'456u);
  EXPECT_EQ(read_u64("AdvertsReceived"), 7u);
  EXPECT_EQ(read_u64("AdvertsSent"), 3u);
  EXPECT_EQ(read_u64("MasterTransitions"), 2u);

  {
    Reply r = get_property(path, I, "VirtualAddresses");
    sd_bus_message* m = r.message.get();
    ASSERT_GE(sd_bus_message_enter_container(m, 'v', "as"), 0);
    char** strv = nullptr;
    ASSERT_GE(sd_bus_message_read_strv(m, &strv), 0);
    std::vector<std::string> vips;
    for (char** p = strv; p && *p; ++p) {
      vips.emplace_back(*p);
      free(*p);
    }
    free(strv);
    EXPECT_THAT(vips, ElementsAre("192.0.2.10/24", "2001:db8::10/64"));
  }
  {
    Reply r = get_property(path, I, "Drops");
    sd_bus_message* m = r.message.get();
    ASSERT_GE(sd_bus_message_enter_container(m, 'v', "a{st}"), 0);
    ASSERT_GE(sd_bus_message_enter_container(m, 'a', "{st}"), 0);
    std::map<std::string, uint64_t> drops;
    const char* k = nullptr;
    uint64_t v = 0;
    while (sd_bus_message_read(m, "{st}", &k, &v) > 0) drops[k] = v;
    EXPECT_EQ(drops, (std::map<std::string, uint64_t>{{"bad-ttl", 4}, {"auth-mismatch", 2}}));
  }
  {
    Reply r = get_property(path, I, "SplitBrainEvidence");
    sd_bus_message* m = r.message.get();
    ASSERT_GE(sd_bus_message_enter_container(m, 'v', "a(sssyytt)"), 0);
    ASSERT_GE(sd_bus_message_enter_container(m, 'a', "(sssyytt)"), 0);
    const char *kind = nullptr, *source = nullptr, *mac = nullptr;
    uint8_t vrid = 0, prio = 0;
    uint64_t first = 0, last = 0;
    ASSERT_GT(
        sd_bus_message_read(m, "(sssyytt)", &kind, &source, &mac, &vrid, &prio, &first, &last), 0);
    EXPECT_STREQ(kind, "vrid-mismatch");
    EXPECT_STREQ(source, "192.0.2.66");
    EXPECT_STREQ(mac, "52:54:00:12:34:56");
    EXPECT_EQ(vrid, 52);
    EXPECT_EQ(prio, 150);
    EXPECT_EQ(first, 1'700'000'001'000'000u);
    EXPECT_EQ(last, 1'700'000'002'000'000u);
  }

  int split = 0;
  Reply r = get_property(dbus::kManagerPath, dbus::kManagerInterface, "SplitBrain");
  ASSERT_GE(sd_bus_message_read(r.message.get(), "v", "b", &split), 0);
  EXPECT_EQ(split, 1);
  EXPECT_EQ(get_string(dbus::kManagerPath, dbus::kManagerInterface, "Version"), "0.1.0");
}

TEST_F(BusServiceTest, StateNamesAreTheContract) {
  auto vi1 = make_instance("VI_1");
  for (auto [state, name] : {std::pair{vrrp::State::Init, "INIT"},
                             {vrrp::State::Backup, "BACKUP"},
                             {vrrp::State::Master, "MASTER"},
                             {vrrp::State::Fault, "FAULT"}}) {
    vi1.state = state;
    service_->instances_reset({vi1});
    EXPECT_EQ(get_string(vi1_path(), dbus::kInstanceInterface, "State"), name);
  }
}

TEST_F(BusServiceTest, StateChangeEmitsOnlyChangedProperties) {
  auto vi1 = make_instance("VI_1");
  service_->instances_reset({vi1});
  watch_changes();

  vi1.state = vrrp::State::Master;
  vi1.master_address = IpAddress::parse("192.0.2.1");
  vi1.counters.adverts_sent += 1;  // no-signal property: must not appear
  service_->instance_updated(vi1);
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return !changes_.empty(); }));
  ASSERT_EQ(changes_.size(), 1u);
  EXPECT_EQ(changes_[0].path, vi1_path());
  EXPECT_EQ(changes_[0].interface, dbus::kInstanceInterface);
  std::set<std::string> names;
  for (const auto& [n, v] : changes_[0].changed) names.insert(n);
  EXPECT_THAT(names, UnorderedElementsAre("State", "MasterAddress"));
  EXPECT_EQ(changes_[0].changed["State"], "MASTER");
  EXPECT_TRUE(changes_[0].invalidated.empty());
}

TEST_F(BusServiceTest, CounterOnlyUpdatesAreSilent) {
  auto vi1 = make_instance("VI_1");
  service_->instances_reset({vi1});
  watch_changes();

  vi1.counters.adverts_received += 10;
  vi1.counters.drops[proto::DropReason::BadTtl] += 1;
  service_->instance_updated(vi1);
  service_->instance_updated(vi1);  // identical snapshot: nothing to say either
  // A marker change afterwards: the first signal that arrives must be it.
  vi1.effective_priority = 41;
  service_->instance_updated(vi1);
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return !changes_.empty(); }));
  pump_for(loop_.get(), std::chrono::milliseconds(100));
  ASSERT_EQ(changes_.size(), 1u);
  EXPECT_EQ(changes_[0].changed.size(), 1u);
  EXPECT_TRUE(changes_[0].changed.count("EffectivePriority"));
}

// Counters are never pushed: a read asks the daemon for them, so a poller
// sees adverts and kernel drops as they are, not as at the last state change.
TEST_F(BusServiceTest, CountersAreReadLiveFromTheDaemon) {
  service_->instances_reset({make_instance("VI_1")});
  ports::InstanceCounters now;
  now.adverts_received = 1234;
  now.drops = {{proto::DropReason::AuthMismatch, 50000}};
  control_.live["VI_1"] = now;
  const char* I = dbus::kInstanceInterface;
  uint64_t received = 0;
  Reply r = get_property(vi1_path(), I, "AdvertsReceived");
  ASSERT_GE(sd_bus_message_read(r.message.get(), "v", "t", &received), 0);
  EXPECT_EQ(received, 1234u);
  Reply d = get_property(vi1_path(), I, "Drops");
  sd_bus_message* m = d.message.get();
  ASSERT_GE(sd_bus_message_enter_container(m, 'v', "a{st}"), 0);
  ASSERT_GE(sd_bus_message_enter_container(m, 'a', "{st}"), 0);
  const char* k = nullptr;
  uint64_t v = 0;
  ASSERT_GT(sd_bus_message_read(m, "{st}", &k, &v), 0);
  EXPECT_STREQ(k, "auth-mismatch");
  EXPECT_EQ(v, 50000u);
}

TEST_F(BusServiceTest, SplitBrainEmitsOnInstanceAndManager) {
  auto vi1 = make_instance("VI_1");
  service_->instances_reset({vi1, make_instance("VI_2")});
  watch_changes();

  vi1.split_brain = true;
  vi1.evidence = {make_evidence()};
  service_->instance_updated(vi1);
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return changes_.size() >= 2; }));
  const ChangeSignal* inst = nullptr;
  const ChangeSignal* mgr = nullptr;
  for (const auto& c : changes_) {
    if (c.path == vi1_path()) inst = &c;
    if (c.path == dbus::kManagerPath) mgr = &c;
  }
  ASSERT_TRUE(inst && mgr);
  EXPECT_EQ(inst->changed.at("SplitBrain"), "true");
  // Evidence is EMITS_INVALIDATION: named, value not sent.
  EXPECT_THAT(inst->invalidated, ElementsAre("SplitBrainEvidence"));
  EXPECT_EQ(mgr->interface, dbus::kManagerInterface);
  EXPECT_EQ(mgr->changed.at("SplitBrain"), "true");
}

TEST_F(BusServiceTest, ResetAnnouncesAddedAndRemovedObjects) {
  service_->instances_reset({make_instance("VI_1"), make_instance("VI_2")});
  std::vector<ObjectSignal> signals;
  sd_bus_slot* a = nullptr;
  sd_bus_slot* r = nullptr;
  ASSERT_GE(sd_bus_match_signal(client_.get(), &a, nullptr, dbus::kManagerPath,
                                "org.freedesktop.DBus.ObjectManager", "InterfacesAdded",
                                record_object_signal, &signals),
            0);
  ASSERT_GE(sd_bus_match_signal(client_.get(), &r, nullptr, dbus::kManagerPath,
                                "org.freedesktop.DBus.ObjectManager", "InterfacesRemoved",
                                record_object_signal, &signals),
            0);
  SlotPtr added_slot(a), removed_slot(r);
  watch_changes();

  service_->instances_reset({make_instance("VI_2"), make_instance("VI_3")});
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return signals.size() >= 2 && !changes_.empty(); }));
  pump_for(loop_.get(), std::chrono::milliseconds(50));
  ASSERT_EQ(signals.size(), 2u);
  EXPECT_EQ(signals[0].member, "InterfacesRemoved");
  EXPECT_EQ(signals[0].path, dbus::BusService::instance_path("VI_1"));
  EXPECT_EQ(signals[1].member, "InterfacesAdded");
  EXPECT_EQ(signals[1].path, dbus::BusService::instance_path("VI_3"));
  ASSERT_EQ(changes_.size(), 1u);  // VI_2 unchanged: only the manager's list moved
  EXPECT_EQ(changes_[0].path, dbus::kManagerPath);
  EXPECT_TRUE(changes_[0].changed.count("Instances"));

  Reply gone =
      get_property(dbus::BusService::instance_path("VI_1"), dbus::kInstanceInterface, "State");
  EXPECT_TRUE(gone.error());
}

TEST_F(BusServiceTest, ObjectManagerListsInstances) {
  service_->instances_reset({make_instance("VI_1"), make_instance("web.v6")});
  Reply r = call(dbus::kManagerPath, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects");
  ASSERT_FALSE(r.error()) << r.error_name();
  sd_bus_message* m = r.message.get();
  std::set<std::string> paths;
  ASSERT_GE(sd_bus_message_enter_container(m, 'a', "{oa{sa{sv}}}"), 0);
  while (sd_bus_message_enter_container(m, 'e', "oa{sa{sv}}") > 0) {
    const char* p = nullptr;
    ASSERT_GE(sd_bus_message_read(m, "o", &p), 0);
    paths.insert(p);
    ASSERT_GE(sd_bus_message_skip(m, "a{sa{sv}}"), 0);
    ASSERT_GE(sd_bus_message_exit_container(m), 0);
  }
  EXPECT_THAT(paths, UnorderedElementsAre(dbus::BusService::instance_path("VI_1"),
                                          dbus::BusService::instance_path("web.v6")));
}

TEST_F(BusServiceTest, MethodsReachControl) {
  service_->instances_reset({make_instance("VI_1")});
  const char* M = dbus::kManagerInterface;
  EXPECT_FALSE(call(dbus::kManagerPath, M, "Reload").error());
  EXPECT_FALSE(call(dbus::kManagerPath, M, "Resign", "st", "VI_1", uint64_t{5'000'000}).error());
  EXPECT_FALSE(call(dbus::kManagerPath, M, "SetFault", "sbs", "VI_1", 1, "httpd down").error());
  EXPECT_FALSE(call(dbus::kManagerPath, M, "SetFault", "sbs", "VI_1", 0, "").error());
  EXPECT_THAT(control_.requests, ElementsAre("reload", "resign VI_1 5000000",
                                             "set_fault VI_1 1 httpd down", "set_fault VI_1 0 "));
}

TEST_F(BusServiceTest, BadCallsGetNamedErrors) {
  service_->instances_reset({make_instance("VI_1")});
  const char* M = dbus::kManagerInterface;

  Reply unknown = call(dbus::kManagerPath, M, "Resign", "st", "VI_9", uint64_t{0});
  EXPECT_EQ(unknown.error_name(), dbus::kErrorNoSuchInstance);
  EXPECT_THAT(unknown.error_message(), HasSubstr("VI_9"));

  Reply unknown_fault = call(dbus::kManagerPath, M, "SetFault", "sbs", "nope", 1, "x");
  EXPECT_EQ(unknown_fault.error_name(), dbus::kErrorNoSuchInstance);

  Reply too_long =
      call(dbus::kManagerPath, M, "Resign", "st", "VI_1", uint64_t{2} * 24 * 3600 * 1'000'000);
  EXPECT_EQ(too_long.error_name(), dbus::kErrorInvalidArgument);

  Reply bad_reason = call(dbus::kManagerPath, M, "SetFault", "sbs", "VI_1", 1, "two\nlines");
  EXPECT_EQ(bad_reason.error_name(), dbus::kErrorInvalidArgument);

  Reply wrong_signature = call(dbus::kManagerPath, M, "Resign", "s", "VI_1");
  EXPECT_EQ(wrong_signature.error_name(), "org.freedesktop.DBus.Error.InvalidArgs");

  EXPECT_TRUE(control_.requests.empty()) << "rejected calls must not reach the daemon";

  control_.next_result = logic_error("keepvip.conf line 12: unknown keyword 'virtual_router'");
  Reply reload = call(dbus::kManagerPath, M, "Reload");
  EXPECT_EQ(reload.error_name(), dbus::kErrorReloadFailed);
  EXPECT_THAT(reload.error_message(), HasSubstr("line 12: unknown keyword"));

  control_.next_result = logic_error("instance is not MASTER");
  Reply refused = call(dbus::kManagerPath, M, "Resign", "st", "VI_1", uint64_t{0});
  EXPECT_EQ(refused.error_name(), dbus::kErrorFailed);
  EXPECT_THAT(refused.error_message(), HasSubstr("not MASTER"));
}

TEST_F(BusServiceTest, UnitFailedReturnsTheTrackingInstances) {
  service_->instances_reset({make_instance("VI_1"), make_instance("VI_2")});
  const char* M = dbus::kManagerInterface;
  control_.tracking = {"VI_1", "VI_2"};
  Reply ok = call(dbus::kManagerPath, M, "UnitFailed", "ss", "httpd.service", "OnFailure");
  ASSERT_FALSE(ok.error()) << ok.error_name();
  char** strv = nullptr;
  ASSERT_GE(sd_bus_message_read_strv(ok.message.get(), &strv), 0);
  std::vector<std::string> names;
  for (char** p = strv; p && *p; ++p) {
    names.emplace_back(*p);
    free(*p);
  }
  free(strv);
  EXPECT_THAT(names, ElementsAre("VI_1", "VI_2"));
  EXPECT_THAT(control_.requests, ElementsAre("unit_failed httpd.service OnFailure"));

  control_.tracking.clear();
  Reply none = call(dbus::kManagerPath, M, "UnitFailed", "ss", "mariadb.service", "");
  EXPECT_EQ(none.error_name(), dbus::kErrorNoSuchInstance);
  EXPECT_THAT(none.error_message(), HasSubstr("mariadb.service"));

  Reply bad = call(dbus::kManagerPath, M, "UnitFailed", "ss", "../etc/passwd", "");
  EXPECT_EQ(bad.error_name(), dbus::kErrorInvalidArgument);
  EXPECT_EQ(control_.requests.size(), 2u) << "an invalid unit name must not reach the daemon";
}

TEST(BusServiceDefaults, ControlWithoutUnitFailureSupportSaysSo) {
  struct Minimal : ports::Control {
    std::vector<ports::InstanceSnapshot> snapshot() const override { return {}; }
    Result<> reload() override { return {}; }
    Result<> resign(std::string_view, Usec) override { return {}; }
    Result<> set_fault(std::string_view, bool, std::string_view) override { return {}; }
  } minimal;
  auto r = static_cast<ports::Control&>(minimal).unit_failed("httpd.service", "");
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().describe(), HasSubstr("unit failure"));
}

TEST_F(BusServiceTest, SecondServiceCannotTakeTheName) {
  auto second = dbus::BusService::open(loop_.get(), control_, dbus::BusKind::User);
  ASSERT_FALSE(second);
  EXPECT_THAT(second.error().describe(), HasSubstr("org.keepvip1"));
}

// Reconnects the client to the (restarted) bus and waits until org.keepvip1
// has an owner again.
bool name_comes_back(sd_event* loop, BusPtr& client) {
  return pump_until(
      loop,
      [&] {
        if (!client) {
          sd_bus* c = nullptr;
          if (sd_bus_open_user(&c) < 0) return false;
          client.reset(c);
          sd_bus_attach_event(client.get(), loop, 0);
        }
        return sd_bus_get_name_creds(client.get(), dbus::kBusName, 0, nullptr) >= 0;
      },
      std::chrono::seconds(10));
}

TEST_F(BusServiceTest, ComesBackAfterTheBusRestarts) {
  service_->instances_reset({make_instance("VI_1")});
  // Restart the bus daemon on the same socket path: the service must
  // reconnect, re-register its objects and take its name again.
  client_.reset();
  ASSERT_TRUE(private_bus_->restart());
  ASSERT_TRUE(name_comes_back(loop_.get(), client_)) << "keepvip did not take its name back";
  EXPECT_EQ(get_string(vi1_path(), dbus::kInstanceInterface, "State"), "BACKUP");
}

TEST_F(BusServiceTest, AppearsWhenTheBusComesUpAfterTheAgent) {
  client_.reset();
  service_.reset();
  private_bus_->kill_daemon();
  auto late = dbus::BusService::open(loop_.get(), control_, dbus::BusKind::User);
  ASSERT_TRUE(late) << "an unreachable bus must not fail open(): " << late.error().describe();
  service_ = std::move(*late);
  // Published while no bus is there: served once it is.
  service_->instances_reset({make_instance("VI_1")});
  ASSERT_TRUE(private_bus_->restart());
  ASSERT_TRUE(name_comes_back(loop_.get(), client_)) << "keepvip never took its name";
  EXPECT_EQ(get_string(vi1_path(), dbus::kInstanceInterface, "State"), "BACKUP");
}

}  // namespace
}  // namespace keepvip::testing
