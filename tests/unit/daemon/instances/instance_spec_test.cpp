// Every view of an instance comes from its one spec: what the state machine,
// the receive checks, the guard and the crash record see cannot drift apart,
// and keepvipd and `keepvipd --release` send the same advert.
#include "daemon/instances/instance_spec.h"

#include <gtest/gtest.h>

#include "daemon/publish/state_file.h"
#include "proto/advert.h"

namespace keepvip::daemon {
namespace {

class InstanceSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_.name = "VI_1";
    instance_.interface = "eth0";
    instance_.vrid = 51;
    instance_.priority = 100;
    instance_.version = 2;
    instance_.auth_pass = "longpassword";
    instance_.virtual_addresses.push_back({*IpPrefix::parse("192.0.2.100/24"), "", "", {}});
    instance_.excluded_addresses.push_back({*IpPrefix::parse("192.0.2.200/32"), "", "", {}});
    config::Script chk;
    chk.name = "chk";
    config_.scripts["chk"] = chk;
    config::Script other;
    other.name = "other";
    config_.scripts["other"] = other;
    instance_.track_scripts.push_back({"chk", std::nullopt, std::nullopt, {}});
    config_.global.vrrp_garp_interval = Usec{3000};
  }

  InstanceSpec spec() {
    return instance_spec(config_, instance_, {2, *IpAddress::parse("192.0.2.1")});
  }

  config::Config config_;
  config::Instance instance_;
};

TEST_F(InstanceSpecTest, KeepsOnlyWhatTheInstanceReads) {
  auto s = spec();
  EXPECT_EQ(s.scripts.size(), 1u);
  EXPECT_TRUE(s.scripts.count("chk"));
  EXPECT_EQ(s.global.vrrp_garp_interval, Usec{3000});
  EXPECT_EQ(s.placement.ifindex, 2);
}

TEST_F(InstanceSpecTest, ParamsUseThePlacementsSourceForTies) {
  instance_.state = config::InitialState::Master;
  auto p = vrrp_params(spec());
  EXPECT_EQ(p.vrid, 51);
  EXPECT_EQ(p.family, Family::V4);
  EXPECT_TRUE(p.start_as_master);
  EXPECT_EQ(p.primary_address, *IpAddress::parse("192.0.2.1"));
}

TEST_F(InstanceSpecTest, AdvertCarriesEightBytesOfPasswordOnlyInV2) {
  auto a = advert_identity(spec());
  EXPECT_EQ(a.auth_pass, "longpass");
  EXPECT_EQ(a.interval_cs, 100);
  instance_.version = 3;
  EXPECT_EQ(advert_identity(spec()).auth_pass, "");
}

TEST_F(InstanceSpecTest, AhAdvertCarriesAuthType2AndNoPassword) {
  instance_.auth_type = config::AuthType::Ah;
  auto a = advert_identity(spec());
  EXPECT_TRUE(a.ah);
  EXPECT_EQ(a.auth_pass, "longpass");  // the key, never sent
  auto out = adverts_to_send(a, 90);
  ASSERT_EQ(out.size(), 1u);
  auto meta = proto::PacketMeta{Family::V4, a.source, out[0].destination, 255, {}};
  auto advert = proto::decode_advert(meta, out[0].bytes);
  ASSERT_TRUE(advert) << proto::to_string(advert.error());
  EXPECT_EQ(advert->auth_type, 2);
  EXPECT_EQ(advert->auth_data, "");
}

TEST_F(InstanceSpecTest, OneAdvertPerDestinationThatDecodesBack) {
  auto out = adverts_to_send(advert_identity(spec()), 90);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].destination, *IpAddress::parse("224.0.0.18"));
  proto::PacketMeta meta;
  meta.source = *IpAddress::parse("192.0.2.1");
  meta.destination = out[0].destination;
  meta.ttl = 255;
  auto advert = proto::decode_advert(meta, out[0].bytes);
  ASSERT_TRUE(advert.has_value());
  EXPECT_EQ(advert->priority, 90);
  EXPECT_EQ(advert->addresses, std::vector<IpAddress>{*IpAddress::parse("192.0.2.100")});
  EXPECT_EQ(advert->auth_data, "longpass");

  instance_.unicast_peers = {*IpAddress::parse("192.0.2.2"), *IpAddress::parse("192.0.2.3")};
  out = adverts_to_send(advert_identity(spec()), 90);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].destination, *IpAddress::parse("192.0.2.3"));
}

// mcast_dst_ip / vrrp_mcast_group4 choose the destination, v3_checksum_as_v2
// the checksum form, unicast_ttl the TTL of each unicast advert.
TEST_F(InstanceSpecTest, WireSettingsReachTheAdvertsSent) {
  instance_.version = 3;
  instance_.wire.multicast_group = *IpAddress::parse("224.0.0.117");
  config_.global.wire.v3_checksum_as_v2 = true;
  auto out = adverts_to_send(advert_identity(spec()), 90);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].destination, *IpAddress::parse("224.0.0.117"));
  EXPECT_FALSE(out[0].ttl);
  auto zeroed = out[0].bytes;
  zeroed[6] = zeroed[7] = 0;
  EXPECT_EQ(static_cast<uint16_t>(out[0].bytes[6] << 8 | out[0].bytes[7]),
            proto::internet_checksum(zeroed));

  instance_.wire.multicast_group.reset();
  instance_.unicast_peers = {*IpAddress::parse("192.0.2.2")};
  instance_.wire.unicast_ttl = 10;
  out = adverts_to_send(advert_identity(spec()), 90);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].ttl, 10);
}

TEST_F(InstanceSpecTest, GuardSeesExcludedAddressesAndOurSource) {
  auto s = spec();
  auto g = guard_instance(s, receive_profile(s), 120);
  EXPECT_EQ(g.ifindex, 2);
  EXPECT_EQ(g.priority, 120);
  EXPECT_EQ(g.vips, (std::vector<IpAddress>{*IpAddress::parse("192.0.2.100"),
                                            *IpAddress::parse("192.0.2.200")}));
  EXPECT_EQ(g.own_addresses, std::vector<IpAddress>{*IpAddress::parse("192.0.2.1")});
  EXPECT_EQ(g.receive.vips, std::vector<IpAddress>{*IpAddress::parse("192.0.2.100")});
}

// What the dead agent's record makes --release send is what the agent sent.
TEST_F(InstanceSpecTest, TheRecordRoundTripsToTheSameLeavingAdvert) {
  auto s = spec();
  auto held = held_instance(s, {"httpd.service"});
  EXPECT_EQ(held.excluded, std::vector<IpPrefix>{*IpPrefix::parse("192.0.2.200/32")});
  auto parsed = parse_state(format_state({held}));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0], held);
  auto from_record = adverts_to_send((*parsed)[0].advert, 0);
  auto from_agent = adverts_to_send(advert_identity(s), 0);
  ASSERT_EQ(from_record.size(), from_agent.size());
  EXPECT_EQ(from_record[0].bytes, from_agent[0].bytes);
}

TEST_F(InstanceSpecTest, SnapshotShowsTheConfiguration) {
  auto snap = configured_snapshot(spec());
  EXPECT_EQ(snap.name, "VI_1");
  EXPECT_EQ(snap.priority, 100);
  EXPECT_EQ(snap.interface, "eth0");
  EXPECT_EQ(snap.virtual_addresses, std::vector<std::string>{"192.0.2.100/24"});
}

}  // namespace
}  // namespace keepvip::daemon
