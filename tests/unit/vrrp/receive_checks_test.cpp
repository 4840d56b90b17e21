#include "vrrp/receive_checks.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

using namespace std::chrono_literals;

namespace keepvip::vrrp {
namespace {

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

config::VirtualAddress vip(const char* prefix) {
  config::VirtualAddress v;
  v.prefix = *IpPrefix::parse(prefix);
  return v;
}

// The seed's instance: VRID 51, v2, PASS 1111, advert_int 1, two VIPs.
config::Instance v2_instance() {
  config::Instance instance;
  instance.name = "VI_1";
  instance.vrid = 51;
  instance.version = 2;
  instance.advert_interval = 1s;
  instance.auth_pass = "1111";
  instance.virtual_addresses = {vip("192.0.2.100/24"), vip("192.0.2.101/24")};
  return instance;
}

// What that instance's peer sends (keepalived's advert, decoded).
proto::Advert v2_advert() {
  proto::Advert advert;
  advert.version = 2;
  advert.vrid = 51;
  advert.priority = 100;
  advert.interval_cs = 100;
  advert.addresses = {ip("192.0.2.100"), ip("192.0.2.101")};
  advert.auth_type = 1;
  advert.auth_data = "1111";
  return advert;
}

// What the rows change besides the instance and the advert.
struct ReceiveContext {
  IpAddress local_address;
  std::optional<IpAddress> current_master;
  bool skip_check_adv_addr = false;
  bool check_unicast_src = false;  // vrrp_check_unicast_src
};

struct Row {
  std::string name;
  std::function<void(config::Instance&, proto::Advert&, IpAddress&, ReceiveContext&)> change;
  std::optional<RejectReason> expected;  // nullopt: accepted
};

// The checks take the message as received: the row's advert, encoded.
ReceiveVerdict check(const config::Instance& instance, const proto::Advert& advert,
                     const IpAddress& from, const ReceiveContext& context) {
  config::Global global;
  global.vrrp_skip_check_adv_addr = context.skip_check_adv_addr;
  global.vrrp_check_unicast_src = context.check_unicast_src;
  const ReceiveProfile profile = receive_profile(instance, global, context.local_address);
  proto::PacketMeta meta;
  meta.family = from.family();
  meta.source = from;
  meta.destination =
      instance.unicast() ? context.local_address : proto::vrrp_multicast_group(from.family());
  meta.ttl = 255;
  const std::vector<uint8_t> message = proto::encode_advert(advert, from, meta.destination);
  return check_received_advert(profile, meta, message, context.current_master);
}

void check_rows(const std::vector<Row>& rows, config::Instance (*make_instance)(),
                proto::Advert (*make_advert)(), const char* source, const char* local) {
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    config::Instance instance = make_instance();
    proto::Advert advert = make_advert();
    IpAddress from = ip(source);
    ReceiveContext context{ip(local), std::nullopt, false};
    row.change(instance, advert, from, context);
    ReceiveVerdict verdict = check(instance, advert, from, context);
    if (row.expected) {
      ASSERT_FALSE(verdict) << "accepted";
      EXPECT_EQ(to_string(verdict.error()), to_string(*row.expected));
    } else {
      EXPECT_TRUE(verdict) << "rejected as " << to_string(verdict.error());
    }
  }
}

TEST(ReceiveChecks, V2Table) {
  using R = RejectReason;
  auto same = [](auto&, auto&, auto&, auto&) {};
  const std::vector<Row> rows = {
      {"matching advert", same, std::nullopt},
      {"our own advert looped back",
       [](auto&, auto&, IpAddress& from, auto&) { from = ip("192.0.2.1"); }, R::OwnAdvert},
      {"IPv6 advert for an IPv4 instance",
       [](auto&, auto&, IpAddress& from, auto&) { from = ip("fe80::2"); }, R::FamilyMismatch},
      {"other VRID (the seed's split-brain trigger)",
       [](auto&, proto::Advert& a, auto&, auto&) { a.vrid = 52; }, R::VridMismatch},
      {"v3 advert for a v2 instance",
       [](auto&, proto::Advert& a, auto&, auto&) {
         a.version = 3;
         a.auth_type = 0;
         a.auth_data.clear();
       },
       R::VersionMismatch},
      {"no auth while PASS configured",
       [](auto&, proto::Advert& a, auto&, auto&) {
         a.auth_type = 0;
         a.auth_data.clear();
       },
       R::AuthTypeMismatch},
      {"AH auth type", [](auto&, proto::Advert& a, auto&, auto&) { a.auth_type = 2; },
       R::AuthTypeMismatch},
      {"PASS sent while none configured",
       [](config::Instance& i, auto&, auto&, auto&) { i.auth_pass.reset(); }, R::AuthTypeMismatch},
      {"no auth on either side",
       [](config::Instance& i, proto::Advert& a, auto&, auto&) {
         i.auth_pass.reset();
         a.auth_type = 0;
         a.auth_data.clear();
       },
       std::nullopt},
      {"wrong password", [](auto&, proto::Advert& a, auto&, auto&) { a.auth_data = "2222"; },
       R::AuthMismatch},
      {"password prefix only", [](auto&, proto::Advert& a, auto&, auto&) { a.auth_data = "111"; },
       R::AuthMismatch},
      {"password longer than ours",
       [](auto&, proto::Advert& a, auto&, auto&) { a.auth_data = "11111"; }, R::AuthMismatch},
      {"only the first 8 password bytes count",
       [](config::Instance& i, proto::Advert& a, auto&, auto&) {
         i.auth_pass = "123456789";
         a.auth_data = "12345678";
       },
       std::nullopt},
      {"the 8th password byte counts",
       [](config::Instance& i, proto::Advert& a, auto&, auto&) {
         i.auth_pass = "12345678";
         a.auth_data = "12345679";
       },
       R::AuthMismatch},
      {"interval 2 s against our 1 s",
       [](auto&, proto::Advert& a, auto&, auto&) { a.interval_cs = 200; }, R::IntervalMismatch},
      {"our interval 3 s", [](config::Instance& i, auto&, auto&, auto&) { i.advert_interval = 3s; },
       R::IntervalMismatch},
      {"one VIP missing", [](auto&, proto::Advert& a, auto&, auto&) { a.addresses.pop_back(); },
       R::AddressListMismatch},
      {"one VIP extra",
       [](auto&, proto::Advert& a, auto&, auto&) { a.addresses.push_back(ip("192.0.2.102")); },
       R::AddressListMismatch},
      {"one VIP different",
       [](auto&, proto::Advert& a, auto&, auto&) { a.addresses[1] = ip("192.0.2.102"); },
       R::AddressListMismatch},
      {"VIPs in another order",
       [](auto&, proto::Advert& a, auto&, auto&) { std::swap(a.addresses[0], a.addresses[1]); },
       std::nullopt},
      {"a prefix length does not matter",
       [](config::Instance& i, auto&, auto&, auto&) {
         i.virtual_addresses[0] = vip("192.0.2.100/32");
       },
       std::nullopt},
      {"address owner's advert with other VIPs is still dropped (keepalived)",
       [](auto&, proto::Advert& a, auto&, auto&) {
         a.priority = 255;
         a.addresses.pop_back();
       },
       R::AddressListMismatch},
      {"vrrp_skip_check_adv_addr, advert from the master we follow",
       [](auto&, proto::Advert& a, IpAddress& from, ReceiveContext& c) {
         a.addresses.pop_back();
         c.skip_check_adv_addr = true;
         c.current_master = from;
       },
       std::nullopt},
      {"vrrp_skip_check_adv_addr, advert from a new master",
       [](auto&, proto::Advert& a, auto&, ReceiveContext& c) {
         a.addresses.pop_back();
         c.skip_check_adv_addr = true;
         c.current_master = ip("192.0.2.9");
       },
       R::AddressListMismatch},
      {"the instance's own skip_check_adv_addr, advert from the master we follow",
       [](config::Instance& i, proto::Advert& a, IpAddress& from, ReceiveContext& c) {
         a.addresses.pop_back();
         i.skip_check_adv_addr = true;
         c.current_master = from;
       },
       std::nullopt},
      {"following that master without vrrp_skip_check_adv_addr",
       [](auto&, proto::Advert& a, IpAddress& from, ReceiveContext& c) {
         a.addresses.pop_back();
         c.current_master = from;
       },
       R::AddressListMismatch},
      {"a VIP listed twice, another missing",
       [](auto&, proto::Advert& a, auto&, auto&) { a.addresses[1] = a.addresses[0]; },
       R::AddressListMismatch},
      {"a VIP configured twice counts once (the advert lists it once)",
       [](config::Instance& i, auto&, auto&, auto&) {
         i.virtual_addresses.push_back(i.virtual_addresses[0]);
       },
       std::nullopt},
      {"VRID is checked before the password",
       [](auto&, proto::Advert& a, auto&, auto&) {
         a.vrid = 52;
         a.auth_data = "wrong";
       },
       R::VridMismatch},
  };
  check_rows(rows, v2_instance, v2_advert, "192.0.2.2", "192.0.2.1");
}

config::Instance v3_ipv6_instance() {
  config::Instance instance;
  instance.name = "VI_6";
  instance.vrid = 53;
  instance.version = 3;
  instance.advert_interval = 1s;
  instance.virtual_addresses = {vip("2001:db8::100/64"), vip("2001:db8::101/64")};
  return instance;
}

proto::Advert v3_ipv6_advert() {
  proto::Advert advert;
  advert.version = 3;
  advert.vrid = 53;
  advert.priority = 200;
  advert.interval_cs = 100;
  advert.addresses = {ip("2001:db8::100"), ip("2001:db8::101")};
  return advert;
}

TEST(ReceiveChecks, V3Ipv6Table) {
  using R = RejectReason;
  const std::vector<Row> rows = {
      {"matching advert", [](auto&, auto&, auto&, auto&) {}, std::nullopt},
      {"v3 learns another interval instead of rejecting it",
       [](auto&, proto::Advert& a, auto&, auto&) { a.interval_cs = 50; }, std::nullopt},
      {"password settings do not apply to v3",
       [](config::Instance& i, auto&, auto&, auto&) { i.auth_pass = "1111"; }, std::nullopt},
      {"our own link-local address",
       [](auto&, auto&, IpAddress& from, auto&) { from = ip("fe80::1"); }, R::OwnAdvert},
      {"IPv4 advert for an IPv6 instance",
       [](auto&, auto&, IpAddress& from, auto&) { from = ip("192.0.2.2"); }, R::FamilyMismatch},
      {"v2 advert", [](auto&, proto::Advert& a, auto&, auto&) { a.version = 2; },
       R::VersionMismatch},
      {"one VIP missing", [](auto&, proto::Advert& a, auto&, auto&) { a.addresses.resize(1); },
       R::AddressListMismatch},
  };
  check_rows(rows, v3_ipv6_instance, v3_ipv6_advert, "fe80::2", "fe80::1");
}

config::Instance unicast_instance() {
  config::Instance instance = v2_instance();
  instance.unicast_peers = {ip("192.0.2.2"), ip("192.0.2.3")};
  return instance;
}

// keepalived 2.2.8 vrrp_check_packet: check_unicast_src (or the global
// vrrp_check_unicast_src) accepts only unicast_peer sources, after the
// address list, and is skipped with it for the master vrrp_skip_check_adv_addr
// follows.
TEST(ReceiveChecks, UnicastTable) {
  using R = RejectReason;
  const std::vector<Row> rows = {
      {"from a peer", [](auto&, auto&, auto&, auto&) {}, std::nullopt},
      {"from elsewhere, no check_unicast_src",
       [](auto&, auto&, IpAddress& from, auto&) { from = ip("192.0.2.9"); }, std::nullopt},
      {"from elsewhere, check_unicast_src",
       [](config::Instance& i, auto&, IpAddress& from, auto&) {
         i.check_unicast_src = true;
         from = ip("192.0.2.9");
       },
       R::NotUnicastPeer},
      {"from elsewhere, vrrp_check_unicast_src",
       [](auto&, auto&, IpAddress& from, ReceiveContext& c) {
         c.check_unicast_src = true;
         from = ip("192.0.2.9");
       },
       R::NotUnicastPeer},
      {"from a second peer, check_unicast_src",
       [](config::Instance& i, auto&, IpAddress& from, auto&) {
         i.check_unicast_src = true;
         from = ip("192.0.2.3");
       },
       std::nullopt},
      {"the address list is checked first",
       [](config::Instance& i, proto::Advert& a, IpAddress& from, auto&) {
         i.check_unicast_src = true;
         from = ip("192.0.2.9");
         a.addresses.pop_back();
       },
       R::AddressListMismatch},
      {"skipped for the master vrrp_skip_check_adv_addr follows",
       [](config::Instance& i, auto&, IpAddress& from, ReceiveContext& c) {
         i.check_unicast_src = true;
         from = ip("192.0.2.9");
         c.skip_check_adv_addr = true;
         c.current_master = from;
       },
       std::nullopt},
  };
  check_rows(rows, unicast_instance, v2_advert, "192.0.2.2", "192.0.2.1");
}

// keepalived 2.2.8: a unicast_peer's min_ttl / max_ttl turn the source check
// on, and an advert from the peer outside [min, max] is dropped ("TTL/HL %d
// not in range %d - %d", ip_ttl_err), after the source check.
TEST(ReceiveChecks, PeerTtlRange) {
  config::Instance instance = unicast_instance();
  instance.check_unicast_src = true;  // what the parser sets with the options
  instance.wire.peer_ttls = {{ip("192.0.2.2"), 250, 254}};
  const ReceiveProfile profile = receive_profile(instance, {}, ip("192.0.2.1"));
  auto verdict_at = [&](const char* from, int ttl) {
    proto::PacketMeta meta{Family::V4, ip(from), ip("192.0.2.1"), static_cast<uint8_t>(ttl), {}};
    auto message = proto::encode_advert(v2_advert(), meta.source, meta.destination);
    return check_received_advert(profile, meta, message, std::nullopt);
  };
  for (int ttl : {250, 252, 254}) EXPECT_TRUE(verdict_at("192.0.2.2", ttl)) << ttl;
  for (int ttl : {0, 249, 255}) {
    auto verdict = verdict_at("192.0.2.2", ttl);
    ASSERT_FALSE(verdict) << ttl;
    EXPECT_EQ(verdict.error(), RejectReason::TtlOutOfRange);
    EXPECT_EQ(to_string(verdict.error()), "ttl-out-of-range");
  }
  // A peer without options takes any TTL; a stranger is not a peer.
  EXPECT_TRUE(verdict_at("192.0.2.3", 1));
  ASSERT_FALSE(verdict_at("192.0.2.9", 252));
  EXPECT_EQ(verdict_at("192.0.2.9", 252).error(), RejectReason::NotUnicastPeer);
  EXPECT_EQ(receive_config(profile).check_unicast_src, 1);
  EXPECT_EQ(peer_ttls(profile, ip("192.0.2.2")).min_ttl, 250);
  EXPECT_EQ(peer_ttls(profile, ip("192.0.2.2")).max_ttl, 254);
}

TEST(ReceiveChecks, MulticastAdvertForAUnicastInstance) {
  config::Instance instance = unicast_instance();
  const ReceiveProfile profile = receive_profile(instance, {}, ip("192.0.2.1"));
  proto::PacketMeta meta{Family::V4, ip("192.0.2.2"), ip("224.0.0.18"), 255, {}};
  auto message = proto::encode_advert(v2_advert(), meta.source, meta.destination);
  auto verdict = check_received_advert(profile, meta, message, std::nullopt);
  ASSERT_FALSE(verdict);
  EXPECT_EQ(verdict.error(), RejectReason::MulticastInUnicastMode);
  // And a unicast advert for a multicast instance (keepalived: "Expected
  // multicast packet but received unicast packet").
  instance.unicast_peers.clear();
  meta.destination = ip("192.0.2.1");
  message = proto::encode_advert(v2_advert(), meta.source, meta.destination);
  verdict = check_received_advert(receive_profile(instance, {}, ip("192.0.2.1")), meta, message,
                                  std::nullopt);
  ASSERT_FALSE(verdict);
  EXPECT_EQ(verdict.error(), RejectReason::UnicastInMulticastMode);
}

TEST(ReceiveChecks, ReasonsHaveStableNames) {
  const std::pair<RejectReason, const char*> names[] = {
      {RejectReason::OwnAdvert, "own-advert"},
      {RejectReason::FamilyMismatch, "family-mismatch"},
      {RejectReason::VridMismatch, "vrid-mismatch"},
      {RejectReason::VersionMismatch, "version-mismatch"},
      {RejectReason::AuthTypeMismatch, "auth-type-mismatch"},
      {RejectReason::AuthMismatch, "auth-mismatch"},
      {RejectReason::IntervalMismatch, "interval-mismatch"},
      {RejectReason::AddressListMismatch, "address-list-mismatch"},
      {RejectReason::NotUnicastPeer, "not-unicast-peer"},
      {RejectReason::MulticastInUnicastMode, "multicast-in-unicast-mode"},
  };
  for (const auto& [reason, name] : names) EXPECT_EQ(to_string(reason), name);
}

}  // namespace
}  // namespace keepvip::vrrp
