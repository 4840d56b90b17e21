#include "guard/kernel_values.h"

#include <gtest/gtest.h>

#include <cstring>

namespace keepvip::guard {
namespace {

using namespace std::chrono_literals;

TEST(KernelValues, InstanceConfigCarriesPasswordPaddedAndCut) {
  ports::GuardInstance inst;
  inst.ifindex = 3;
  inst.receive.vrid = 51;
  inst.receive.version = 2;
  inst.receive.interval_cs = 100;
  inst.priority = 150;
  inst.receive.auth_pass = "1111";
  inst.receive.local_address = *IpAddress::parse("192.0.2.1");
  inst.receive.vips = {*IpAddress::parse("192.0.2.100"), *IpAddress::parse("192.0.2.101")};
  inst.receive.unicast_peers = {*IpAddress::parse("192.0.2.2")};
  inst.receive.check_unicast_src = true;
  kv_inst_cfg cfg = instance_config(inst);
  EXPECT_EQ(cfg.version, 2);
  EXPECT_EQ(cfg.priority, 150);
  EXPECT_EQ(cfg.interval_cs, 100);
  EXPECT_EQ(cfg.auth_type, 1);
  const uint8_t want[8] = {'1', '1', '1', '1', 0, 0, 0, 0};
  EXPECT_EQ(0, std::memcmp(cfg.auth_data, want, 8));
  EXPECT_EQ(cfg.primary[0], 192);
  EXPECT_EQ(cfg.primary[3], 1);
  EXPECT_EQ(cfg.primary[4], 0);
  EXPECT_EQ(cfg.vip_count, 2);
  EXPECT_EQ(cfg.check_unicast_src, 1);
  EXPECT_EQ(cfg.skip_check_adv_addr, 0);

  inst.receive.auth_pass = "0123456789";
  cfg = instance_config(inst);
  EXPECT_EQ(0, std::memcmp(cfg.auth_data, "01234567", 8));

  inst.receive.version = 3;  // v3 has no authentication
  EXPECT_EQ(instance_config(inst).auth_type, 0);
}

TEST(KernelValues, RateLimitFollowsTheAdvertInterval) {
  ports::GuardInstance inst;
  inst.receive.interval_cs = 100;  // 1/s: the floor applies
  EXPECT_EQ(instance_config(inst).rate_per_sec, 10u);
  EXPECT_EQ(instance_config(inst).burst, 20u);
  inst.receive.interval_cs = 1;  // 100/s
  EXPECT_EQ(instance_config(inst).rate_per_sec, 400u);
}

TEST(KernelValues, AddressesRoundTrip) {
  for (const char* text : {"192.0.2.7", "2001:db8::7", "fe80::1"}) {
    auto a = *IpAddress::parse(text);
    uint8_t bytes[16];
    copy_address(a, bytes);
    EXPECT_EQ(address_from_kernel(kernel_family(a.family()), bytes), a) << text;
  }
}

TEST(KernelValues, EventBecomesEvidenceWithRealtimeStamp) {
  kv_event ev{};
  ev.mono_ns = 5'000'000'000;  // 5 s after boot
  ev.ifindex = 2;
  ev.kind = KV_EVENT_VRID_MISMATCH;
  ev.vrid = 51;
  ev.advert_vrid = 52;
  ev.family = KV_FAMILY_V4;
  ev.priority = 100;
  const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  std::memcpy(ev.mac, mac, 6);
  const uint8_t src[4] = {192, 0, 2, 2};
  std::memcpy(ev.addr, src, 4);
  // Read 2 s later on the monotonic clock.
  auto e = evidence_from_event(ev, MonoTime{7s}, 1'700'000'010'000'000);
  EXPECT_EQ(e.kind, vrrp::EvidenceKind::VridMismatch);
  EXPECT_EQ(e.source, *IpAddress::parse("192.0.2.2"));
  EXPECT_EQ(e.mac, "52:54:00:12:34:56");
  EXPECT_EQ(e.vrid, 52);  // the offender's VRID
  EXPECT_EQ(e.priority, 100);
  EXPECT_EQ(e.first_seen_usec, 1'700'000'008'000'000u);
  EXPECT_EQ(e.last_seen_usec, e.first_seen_usec);
}

TEST(KernelValues, RouterCountersNameOnlyNonZeroDrops) {
  kv_router_key key{};
  key.ifindex = 4;
  key.vrid = 51;
  key.family = KV_FAMILY_V6;
  uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8};
  src[15] = 2;
  std::memcpy(key.addr, src, 16);
  kv_router_stats st{};
  st.adverts = 7;
  st.last_priority = 100;
  st.last_interval_cs = 100;
  st.last_seen_ns = 3'000'000'000;
  st.drops[KV_DROP_AUTH_MISMATCH] = 5;
  st.drops[KV_DROP_RATE_LIMIT] = 2;
  auto c = router_counters(key, st);
  EXPECT_EQ(c.ifindex, 4);
  EXPECT_EQ(c.family, Family::V6);
  EXPECT_EQ(c.source, *IpAddress::parse("2001:db8::2"));
  EXPECT_EQ(c.adverts, 7u);
  EXPECT_EQ(c.last_seen_usec, 3'000'000u);
  EXPECT_EQ(c.drops, (proto::DropCounts{{proto::DropReason::AuthMismatch, 5},
                                        {proto::DropReason::RateLimit, 2}}));
}

TEST(KernelValues, RolesMapToKernelRoles) {
  EXPECT_EQ(kernel_role(vrrp::State::Master), KV_ROLE_MASTER);
  EXPECT_EQ(kernel_role(vrrp::State::Backup), KV_ROLE_BACKUP);
  EXPECT_EQ(kernel_role(vrrp::State::Fault), KV_ROLE_FAULT);
  EXPECT_EQ(kernel_role(vrrp::State::Init), KV_ROLE_INIT);
}

}  // namespace
}  // namespace keepvip::guard
