// Forms keepalived runs, with its warning and its outcome: unusual state
// values, authentication on VRRPv3, advert intervals a version cannot
// carry, instances without virtual addresses, mixed address families, and
// the per-instance strict_mode.
#include <gtest/gtest.h>

#include <string>

#include "config/parser.h"
#include "parse_helpers.h"

namespace keepvip::config {
namespace {

using testing::dump;
using testing::parse;

std::string instance(const std::string& body,
                     const std::string& vips = " virtual_ipaddress {\n  192.0.2.10\n }\n") {
  return "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n" + vips + body + "}\n";
}

// The one diagnostic of `r`, which must be a warning (the file is usable).
const Diagnostic& only_warning(const ParseResult& r) {
  EXPECT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.diagnostics.size(), 1u) << dump(r);
  static const Diagnostic none;
  if (r.diagnostics.empty()) return none;
  EXPECT_EQ(r.diagnostics[0].severity, Severity::Warning) << dump(r);
  return r.diagnostics[0];
}

TEST(States, AnythingButMasterOrBackupStartsAsBackupAsInKeepalived) {
  for (const char* value : {"master", "Master", "FAULT", "EQUAL"}) {
    SCOPED_TRACE(value);
    auto r = parse(instance(std::string(" state ") + value + "\n priority 150\n"));
    const Diagnostic& d = only_warning(r);
    EXPECT_EQ(d.where.to_string(), "t.conf:7:8");
    EXPECT_NE(d.message.find("defaulting to BACKUP"), std::string::npos) << d.message;
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.config->instances[0].state, InitialState::Backup);
    EXPECT_EQ(r.config->instances[0].priority, 150);
  }
}

TEST(States, LowerCaseMasterSaysKeepalivedReadsItAsBackupToo) {
  auto r = parse(instance(" state master\n"));
  EXPECT_NE(only_warning(r).message.find("MASTER only in capitals"), std::string::npos);
  // Written but not MASTER: the priority is keepalived's default for BACKUP.
  EXPECT_EQ(r.config->instances[0].priority, 100);
}

TEST(States, BackupAfterMasterIsIgnoredAsInKeepalived) {
  auto r = parse(instance(" state MASTER\n priority 150\n state BACKUP\n"));
  EXPECT_EQ(only_warning(r).where.line, 9);
  EXPECT_EQ(r.config->instances[0].state, InitialState::Master);
}

TEST(Authentication, OnVrrpV3IsIgnoredWithAWarning) {
  auto r = parse(instance(" version 3\n authentication {\n  auth_type PASS\n  auth_pass x\n }\n"));
  const Diagnostic& d = only_warning(r);
  EXPECT_EQ(d.where.line, 8);
  EXPECT_NE(d.message.find("ignored, as keepalived does"), std::string::npos);
  EXPECT_FALSE(r.config->instances[0].auth_pass.has_value());
}

TEST(Authentication, OnAnIpv6InstanceIsIgnoredWithAWarning) {
  auto r = parse(instance(" authentication {\n  auth_type PASS\n  auth_pass x\n }\n",
                          " virtual_ipaddress {\n  fe80::10/64\n }\n"));
  EXPECT_EQ(only_warning(r).keyword, "authentication");
  EXPECT_EQ(r.config->instances[0].version, 3);
  EXPECT_FALSE(r.config->instances[0].auth_pass.has_value());
}

TEST(Authentication, AhIsReadWithItsKey) {
  auto r = parse(instance(" authentication {\n  auth_type AH\n  auth_pass secret\n }\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  EXPECT_EQ(r.config->instances[0].auth_type, AuthType::Ah);
  EXPECT_EQ(r.config->instances[0].auth_pass, std::optional<std::string>("secret"));
}

TEST(Authentication, AhOnVrrpV3IsIgnoredWithAWarning) {
  auto r = parse(instance(" version 3\n authentication {\n  auth_type AH\n  auth_pass x\n }\n"));
  EXPECT_EQ(only_warning(r).keyword, "authentication");
  EXPECT_FALSE(r.config->instances[0].auth_pass.has_value());
}

TEST(Authentication, AhOnIpv6IsIgnoredWithAWarning) {
  // IPv6 instances are VRRPv3, so (as in keepalived) the VRRPv3 warning
  // comes before the IPv6 one could.
  auto r = parse(instance(" authentication {\n  auth_type AH\n  auth_pass x\n }\n",
                          " virtual_ipaddress {\n  fe80::10/64\n }\n"));
  EXPECT_EQ(only_warning(r).keyword, "authentication");
  EXPECT_FALSE(r.config->instances[0].auth_pass.has_value());
}

TEST(Authentication, AhTurnsInitialStateMasterIntoBackupUnlessAddressOwner) {
  const std::string ah = " authentication {\n  auth_type AH\n  auth_pass x\n }\n";
  auto r = parse(instance(" state MASTER\n priority 150\n" + ah));
  const Diagnostic& d = only_warning(r);
  EXPECT_EQ(d.keyword, "state");
  EXPECT_NE(d.message.find("Initial state master is incompatible with AH"), std::string::npos)
      << d.message;
  EXPECT_EQ(r.config->instances[0].state, InitialState::Backup);
  EXPECT_EQ(r.config->instances[0].auth_type, AuthType::Ah);

  auto owner = parse(instance(" state MASTER\n priority 255\n" + ah));
  ASSERT_TRUE(owner.ok()) << dump(owner);
  EXPECT_TRUE(owner.diagnostics.empty()) << dump(owner);
  EXPECT_EQ(owner.config->instances[0].state, InitialState::Master);
}

TEST(AdvertInterval, FractionsAreRoundedToWhatTheVersionCarries) {
  struct Case {
    std::string body;
    Usec expected;
  } cases[] = {
      {" advert_int 1.5\n", Usec{2'000'000}},  // v2: half up, as keepalived
      {" advert_int 2.4\n", Usec{2'000'000}},
      {" advert_int 0.4\n", Usec{1'000'000}},              // never 0
      {" version 3\n advert_int 0.125\n", Usec{130'000}},  // v3: centiseconds
      {" version 3\n advert_int 0.014\n", Usec{10'000}},
      {" version 3\n advert_int 41\n", Usec{40'950'000}},  // v3 at most 40.95
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto r = parse(instance(c.body));
    const Diagnostic& d = only_warning(r);
    EXPECT_EQ(d.keyword, "advert_int");
    EXPECT_NE(d.message.find("as keepalived does"), std::string::npos) << d.message;
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.config->instances[0].advert_interval, c.expected);
  }
}

TEST(NoVirtualAddresses, NoVirtualIpaddressRunsWithout) {
  auto r =
      parse(instance(" no_virtual_ipaddress\n notify_master /usr/local/bin/move-vip.sh\n", ""));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  const Instance& i = r.config->instances[0];
  EXPECT_TRUE(i.virtual_addresses.empty());
  EXPECT_EQ(i.family(), Family::V4);
  EXPECT_EQ(i.version, 2);
}

TEST(NoVirtualAddresses, Vrrpv2WithoutThemWarnsAsKeepalived) {
  auto r = parse(instance("", ""));
  const Diagnostic& d = only_warning(r);
  EXPECT_EQ(d.where.line, 1);
  EXPECT_NE(d.message.find("at least one is sensible"), std::string::npos);
  EXPECT_NE(d.message.find("no_virtual_ipaddress"), std::string::npos);
}

TEST(NoVirtualAddresses, Vrrpv3OrStrictWithoutThemIsAnError) {
  EXPECT_FALSE(parse(instance(" version 3\n", "")).ok());
  auto strict = parse("global_defs {\n vrrp_strict\n}\n" + instance(" no_virtual_ipaddress\n", ""));
  EXPECT_FALSE(strict.ok());
  ASSERT_EQ(strict.diagnostics.size(), 2u) << dump(strict);
  EXPECT_EQ(strict.diagnostics[0].severity, Severity::Error);
  EXPECT_EQ(strict.diagnostics[0].keyword, "virtual_ipaddress");
  EXPECT_EQ(strict.diagnostics[1].keyword, "no_virtual_ipaddress");  // cleared, as keepalived
}

TEST(NoVirtualAddresses, FamilyComesFromNativeIpv6OrTheUnicastAddresses) {
  auto native = parse(instance(" no_virtual_ipaddress\n native_ipv6\n", ""));
  ASSERT_TRUE(native.ok()) << dump(native);
  EXPECT_EQ(native.config->instances[0].family(), Family::V6);
  EXPECT_EQ(native.config->instances[0].version, 3);

  auto unicast = parse(instance(
      " no_virtual_ipaddress\n unicast_src_ip 2001:db8::1\n unicast_peer {\n  2001:db8::2\n }\n",
      ""));
  ASSERT_TRUE(unicast.ok()) << dump(unicast);
  EXPECT_EQ(unicast.config->instances[0].family(), Family::V6);
}

TEST(NoVirtualAddresses, VridsStillClash) {
  auto r = parse(instance(" no_virtual_ipaddress\n", "") +
                 instance(" no_virtual_ipaddress\n", "").replace(14, 4, "VI_2"));
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics.back().keyword, "virtual_router_id") << dump(r);
}

TEST(AddressFamilies, TheFirstAddressSettlesItAndTheOthersAreDropped) {
  auto r = parse(instance(" unicast_peer {\n  192.0.2.2\n  2001:db8::2\n }\n",
                          " virtual_ipaddress {\n  192.0.2.10/24\n  2001:db8::10/64\n }\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 2u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].where.to_string(), "t.conf:6:3");
  EXPECT_EQ(r.diagnostics[0].message,
            "IPv6 address 2001:db8::10 in an IPv4 instance (virtual_ipaddress 192.0.2.10 at "
            "t.conf:5:3); ignored, as keepalived does");
  EXPECT_EQ(r.diagnostics[1].where.line, 10);
  const Instance& i = r.config->instances[0];
  ASSERT_EQ(i.virtual_addresses.size(), 1u);
  EXPECT_EQ(i.unicast_peers.size(), 1u);
}

TEST(AddressFamilies, ASourceAddressWrittenFirstSettlesItAsInKeepalived) {
  auto r = parse(instance(" version 3\n",
                          " unicast_src_ip 2001:db8::1\n virtual_ipaddress {\n"
                          "  192.0.2.10\n  fe80::10\n }\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].where.line, 6);
  EXPECT_EQ(r.config->instances[0].family(), Family::V6);
}

TEST(StrictMode, PerInstanceOverridesTheGlobalSetting) {
  const std::string auth = " authentication {\n  auth_type PASS\n  auth_pass x\n }\n";
  auto on = parse(instance(" strict_mode\n" + auth));
  EXPECT_EQ(only_warning(on).keyword, "authentication");
  EXPECT_FALSE(on.config->instances[0].auth_pass.has_value());

  auto off = parse("global_defs {\n vrrp_strict\n}\n" + instance(" strict_mode off\n" + auth));
  ASSERT_TRUE(off.ok()) << dump(off);
  EXPECT_TRUE(off.diagnostics.empty()) << dump(off);
  EXPECT_EQ(off.config->instances[0].auth_pass, std::optional<std::string>("x"));
}

TEST(AdvertAnswers, DefaultsFollowGlobalDefsAndTheInstanceWins) {
  auto plain = parse(instance(""));
  ASSERT_TRUE(plain.ok()) << dump(plain);
  const Instance& p = plain.config->instances[0];
  EXPECT_FALSE(p.lower_prio_no_advert);
  EXPECT_FALSE(p.higher_prio_send_advert);
  EXPECT_EQ(p.down_timer_adverts, 3u);

  auto global = parse(
      "global_defs {\n vrrp_lower_prio_no_advert\n vrrp_higher_prio_send_advert on\n"
      " vrrp_down_timer_adverts 5\n}\n" +
      instance(" higher_prio_send_advert false\n"));
  ASSERT_TRUE(global.ok()) << dump(global);
  EXPECT_TRUE(global.diagnostics.empty()) << dump(global);
  const Instance& g = global.config->instances[0];
  EXPECT_TRUE(g.lower_prio_no_advert);
  EXPECT_FALSE(g.higher_prio_send_advert);
  EXPECT_EQ(g.down_timer_adverts, 5u);
}

TEST(AdvertAnswers, StrictModeResetsWhatItForbidsWithKeepalivedsWords) {
  auto r =
      parse(instance(" strict_mode\n lower_prio_no_advert no\n higher_prio_send_advert\n"
                     " down_timer_adverts 1\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 3u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].keyword, "lower_prio_no_advert");
  EXPECT_NE(r.diagnostics[0].message.find("strict mode requires no lower priority advert"),
            std::string::npos);
  EXPECT_EQ(r.diagnostics[1].keyword, "higher_prio_send_advert");
  EXPECT_EQ(r.diagnostics[2].keyword, "down_timer_adverts");
  EXPECT_EQ(r.diagnostics[2].where.to_string(), "t.conf:10:2");
  const Instance& i = r.config->instances[0];
  EXPECT_TRUE(i.lower_prio_no_advert);
  EXPECT_FALSE(i.higher_prio_send_advert);
  EXPECT_EQ(i.down_timer_adverts, 3u);
  // Unset under strict mode: the RFC's behaviour, silently.
  auto unset = parse(instance(" strict_mode\n"));
  ASSERT_TRUE(unset.ok()) << dump(unset);
  EXPECT_TRUE(unset.config->instances[0].lower_prio_no_advert);
}

TEST(AdvertAnswers, BadValuesAreErrorsAtTheValue) {
  auto word = parse(instance(" lower_prio_no_advert maybe\n"));
  EXPECT_FALSE(word.ok());
  ASSERT_EQ(word.diagnostics.size(), 1u) << dump(word);
  EXPECT_EQ(word.diagnostics[0].where.to_string(), "t.conf:7:23");
  EXPECT_NE(word.diagnostics[0].message.find("expected true, false, on, off, yes or no"),
            std::string::npos);
  auto range = parse(instance(" down_timer_adverts 101\n"));
  EXPECT_FALSE(range.ok());
}

TEST(SkipCheckAdvAddr, AnyValueTurnsTheCheckOffAsInKeepalived) {
  auto on = parse(instance(" skip_check_adv_addr\n"));
  ASSERT_TRUE(on.ok()) << dump(on);
  EXPECT_TRUE(on.diagnostics.empty()) << dump(on);
  EXPECT_TRUE(on.config->instances[0].skip_check_adv_addr);
  auto off = parse(instance(" skip_check_adv_addr false\n"));
  EXPECT_EQ(only_warning(off).where.to_string(), "t.conf:7:22");
  EXPECT_TRUE(off.config->instances[0].skip_check_adv_addr);
}

TEST(DontTrackPrimary, IsAFlag) {
  auto r = parse(instance(" dont_track_primary\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  EXPECT_TRUE(r.config->instances[0].dont_track_primary);
}

TEST(TimerExpiredBackup, NeedsNopreemptAndDefaultsTo254) {
  auto with = parse(instance(" nopreempt\n timer_expired_backup\n"));
  ASSERT_TRUE(with.ok()) << dump(with);
  EXPECT_TRUE(with.diagnostics.empty()) << dump(with);
  EXPECT_EQ(with.config->instances[0].highest_other_priority, 254);
  auto given = parse(instance(" nopreempt\n timer_expired_backup 150\n"));
  ASSERT_TRUE(given.ok()) << dump(given);
  EXPECT_EQ(given.config->instances[0].highest_other_priority, 150);
  auto preempting = parse(instance(" timer_expired_backup 150\n"));
  EXPECT_NE(only_warning(preempting).message.find("requires nopreempt"), std::string::npos);
  EXPECT_EQ(preempting.config->instances[0].highest_other_priority, 0);
  auto old_name = parse(instance(" nopreempt\n thread_timer_expired\n"));
  EXPECT_NE(
      only_warning(old_name).message.find("please replace with keyword 'timer_expired_backup'"),
      std::string::npos);
  EXPECT_EQ(old_name.config->instances[0].highest_other_priority, 0);
}

}  // namespace
}  // namespace keepvip::config

namespace keepvip::config {
namespace {

std::string tracking_file(const std::string& definition, const std::string& entries) {
  return definition +
         "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n"
         "  192.0.2.10\n }\n track_file {\n" +
         entries + " }\n}\n";
}

TEST(TrackFile, DefinitionAndInstanceEntriesAreRead) {
  auto r = testing::parse(tracking_file(
      "track_file tf {\n file /run/tf\n weight -7 reverse\n init_file 3 overwrite\n}\n", "  tf\n"));
  ASSERT_TRUE(r.ok()) << testing::dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::dump(r);
  const TrackFile& f = r.config->track_files.at("tf");
  EXPECT_EQ(f.path, "/run/tf");
  EXPECT_EQ(f.weight, -7);
  EXPECT_TRUE(f.weight_reverse);
  EXPECT_EQ(f.init, TrackFile::Init::Overwrite);
  EXPECT_EQ(f.init_value, 3);
  ASSERT_EQ(r.config->instances[0].track_files.size(), 1u);
  EXPECT_EQ(r.config->instances[0].track_files[0].name, "tf");
}

TEST(TrackFile, DefaultsAreWeightOneAndNoInit) {
  auto r = testing::parse(tracking_file("track_file tf {\n file /run/tf\n}\n", "  tf weight 0\n"));
  ASSERT_TRUE(r.ok()) << testing::dump(r);
  const TrackFile& f = r.config->track_files.at("tf");
  EXPECT_EQ(f.weight, 1);
  EXPECT_EQ(f.init, TrackFile::Init::None);
  EXPECT_EQ(r.config->instances[0].track_files[0].weight, 0);
}

TEST(TrackFile, InitFileAloneCreatesWithZero) {
  auto r =
      testing::parse(tracking_file("track_file tf {\n file /run/tf\n init_file\n}\n", "  tf\n"));
  ASSERT_TRUE(r.ok()) << testing::dump(r);
  EXPECT_EQ(r.config->track_files.at("tf").init, TrackFile::Init::Create);
  EXPECT_EQ(r.config->track_files.at("tf").init_value, 0);
}

TEST(TrackFile, VrrpTrackFileIsTheDeprecatedName) {
  auto r = testing::parse(tracking_file(
      "vrrp_track_file tf {\n file /run/tf\n weight -7\n init_file 3\n}\n", "  tf\n"));
  ASSERT_TRUE(r.ok()) << testing::dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << testing::dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("\"vrrp_track_file\" is deprecated"), std::string::npos);
  const TrackFile& f = r.config->track_files.at("tf");
  EXPECT_EQ(f.path, "/run/tf");
  EXPECT_EQ(f.weight, -7);
  EXPECT_EQ(f.init, TrackFile::Init::Create);
  EXPECT_EQ(f.init_value, 3);
}

TEST(TrackFile, AnUndefinedOrRepeatedEntryIsIgnoredWithAWarning) {
  auto r = testing::parse(
      tracking_file("track_file tf {\n file /run/tf\n}\n", "  nope\n  tf\n  tf weight 3\n"));
  ASSERT_TRUE(r.ok()) << testing::dump(r);
  EXPECT_EQ(r.diagnostics.size(), 2u) << testing::dump(r);
  ASSERT_EQ(r.config->instances[0].track_files.size(), 1u);
  EXPECT_FALSE(r.config->instances[0].track_files[0].weight.has_value());
}

TEST(TrackFile, BadValuesAreErrorsAtTheirPlace) {
  auto r = testing::parse(
      tracking_file("track_file tf {\n file /run/tf\n weight 300\n init_file abc\n}\n", "  tf\n"));
  EXPECT_FALSE(r.ok());
  auto text = testing::dump(r);
  EXPECT_NE(text.find("t.conf:3:9: error: weight"), std::string::npos) << text;
  EXPECT_NE(text.find("t.conf:4:12: error: init_file"), std::string::npos) << text;
  auto missing = testing::parse(tracking_file("track_file tf {\n weight 2\n}\n", "  tf\n"));
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(testing::dump(missing).find("has no 'file' line"), std::string::npos);
}

}  // namespace
}  // namespace keepvip::config

namespace keepvip::config {
namespace {

TEST(NotifyFifo, GlobalFifosAreReadWithTheirOwner) {
  auto r = testing::parse(
      "global_defs {\n notify_fifo /run/kv.fifo nobody nogroup\n vrrp_notify_fifo /run/v.fifo\n"
      " notify_fifo /run/other\n notify_fifo_script \"/usr/bin/reader -v\" nobody\n}\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r);
  EXPECT_EQ(r.config->global.notify_fifo.path, "/run/kv.fifo");
  EXPECT_EQ(r.config->global.notify_fifo.user, "nobody");
  EXPECT_EQ(r.config->global.notify_fifo.group, "nogroup");
  EXPECT_EQ(r.config->global.vrrp_notify_fifo.path, "/run/v.fifo");
  EXPECT_EQ(r.config->global.notify_fifo.script.command, "/usr/bin/reader -v");
  EXPECT_EQ(r.config->global.notify_fifo.script.run_as.user, "nobody");
  EXPECT_TRUE(r.config->global.vrrp_notify_fifo.script.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u) << testing::dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("notify_fifo already specified - ignoring /run/other"),
            std::string::npos);
}

// keepalived's notify lines of 2.0.6 to 2.2.5: notify_deleted with or
// without its script, notify_master_rx_lower_pri, and the priority-change
// lines, the instance's setting winning over global_defs'.
TEST(NotifyEvents, ReadAsKeepalivedReadsThem) {
  auto plain = parse(instance(""));
  ASSERT_TRUE(plain.ok()) << dump(plain);
  const Instance& p = plain.config->instances[0];
  EXPECT_FALSE(p.notify_deleted);
  EXPECT_TRUE(p.notify_deleted_script.empty());
  EXPECT_FALSE(p.notify_priority_changes);
  EXPECT_FALSE(plain.config->global.fifo_write_vrrp_states_on_reload);

  auto flag = parse(instance(" notify_deleted\n notify_priority_changes\n"));
  ASSERT_TRUE(flag.ok()) << dump(flag);
  EXPECT_TRUE(flag.diagnostics.empty()) << dump(flag);
  EXPECT_TRUE(flag.config->instances[0].notify_deleted);
  EXPECT_TRUE(flag.config->instances[0].notify_deleted_script.empty());
  EXPECT_TRUE(flag.config->instances[0].notify_priority_changes);

  auto scripts =
      parse("global_defs {\n vrrp_notify_priority_changes\n fifo_write_vrrp_states_on_reload\n}\n" +
            instance(" notify_deleted \"/bin/gone VI_1\" nobody\n"
                     " notify_master_rx_lower_pri /bin/reclaim\n notify_priority_changes off\n"));
  ASSERT_TRUE(scripts.ok()) << dump(scripts);
  EXPECT_TRUE(scripts.diagnostics.empty()) << dump(scripts);
  const Instance& s = scripts.config->instances[0];
  EXPECT_TRUE(s.notify_deleted);
  EXPECT_EQ(s.notify_deleted_script.command, "/bin/gone VI_1");
  EXPECT_EQ(s.notify_deleted_script.run_as.user, "nobody");
  EXPECT_EQ(s.notify_master_rx_lower_pri.command, "/bin/reclaim");
  EXPECT_FALSE(s.notify_priority_changes);
  EXPECT_TRUE(scripts.config->global.fifo_write_vrrp_states_on_reload);

  auto global = parse("global_defs {\n vrrp_notify_priority_changes true\n}\n" + instance(""));
  ASSERT_TRUE(global.ok()) << dump(global);
  EXPECT_TRUE(global.config->instances[0].notify_priority_changes);

  auto bad = parse(instance(" notify_priority_changes maybe\n"));
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(dump(bad).find("t.conf:7:26: error: notify_priority_changes"), std::string::npos)
      << dump(bad);
}

TEST(NotifyFifo, TheVrrpFifoHasItsOwnScript) {
  auto r = testing::parse(
      "global_defs {\n notify_fifo /run/kv.fifo\n vrrp_notify_fifo /run/v.fifo\n"
      " vrrp_notify_fifo_script \"/usr/bin/vrrp-reader -q\" nobody\n}\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << testing::dump(r);
  EXPECT_EQ(r.config->global.vrrp_notify_fifo.script.command, "/usr/bin/vrrp-reader -q");
  EXPECT_EQ(r.config->global.vrrp_notify_fifo.script.run_as.user, "nobody");
  EXPECT_TRUE(r.config->global.notify_fifo.script.empty());
}

}  // namespace
}  // namespace keepvip::config
