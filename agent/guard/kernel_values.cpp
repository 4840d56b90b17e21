#include "guard/kernel_values.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <span>

namespace keepvip::guard {

uint8_t kernel_family(Family f) {
  return f == Family::V6 ? KV_FAMILY_V6 : KV_FAMILY_V4;
}

Family family_from_kernel(uint8_t f) {
  return f == KV_FAMILY_V6 ? Family::V6 : Family::V4;
}

void copy_address(const IpAddress& a, uint8_t (&out)[16]) {
  std::memset(out, 0, sizeof(out));
  auto bytes = a.bytes();
  std::copy(bytes.begin(), bytes.end(), out);
}

IpAddress address_from_kernel(uint8_t family, const uint8_t (&bytes)[16]) {
  size_t len = family == KV_FAMILY_V6 ? 16 : 4;
  return IpAddress::from_bytes(std::span<const uint8_t>(bytes, len)).value_or(IpAddress{});
}

uint32_t kernel_role(vrrp::State s) {
  switch (s) {
    case vrrp::State::Backup:
      return KV_ROLE_BACKUP;
    case vrrp::State::Master:
      return KV_ROLE_MASTER;
    case vrrp::State::Fault:
      return KV_ROLE_FAULT;
    case vrrp::State::Init:
      break;
  }
  return KV_ROLE_INIT;
}

std::string format_mac(const uint8_t (&mac)[6]) {
  char text[18];
  std::snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return text;
}

kv_inst_key instance_key(int ifindex, uint8_t vrid, Family family) {
  kv_inst_key key{};
  key.ifindex = static_cast<uint32_t>(ifindex);
  key.vrid = vrid;
  key.family = kernel_family(family);
  return key;
}

kv_router_key router_key(int ifindex, uint8_t vrid, const IpAddress& address) {
  kv_router_key key{};
  key.ifindex = static_cast<uint32_t>(ifindex);
  key.vrid = vrid;
  key.family = kernel_family(address.family());
  copy_address(address, key.addr);
  return key;
}

kv_inst_cfg instance_config(const ports::GuardInstance& instance) {
  // The check fields are keepvipd's own (one conversion for both sides).
  kv_inst_cfg cfg = vrrp::receive_config(instance.receive);
  cfg.priority = instance.priority;
  uint32_t interval = std::max<uint32_t>(cfg.interval_cs, 1);
  uint32_t per_sec = (100 + interval - 1) / interval;
  cfg.rate_per_sec = std::max<uint32_t>(10, 4 * per_sec);
  cfg.burst = 2 * cfg.rate_per_sec;
  return cfg;
}

vrrp::SplitBrainEvidence evidence_from_event(const kv_event& ev, MonoTime mono_now,
                                             uint64_t real_now_usec) {
  vrrp::SplitBrainEvidence out;
  out.kind = vrrp::evidence_kind_from_kernel(ev.kind);
  out.source = address_from_kernel(ev.family, ev.addr);
  bool has_mac = std::any_of(std::begin(ev.mac), std::end(ev.mac), [](uint8_t b) { return b; });
  if (has_mac) out.mac = format_mac(ev.mac);
  out.vrid = ev.advert_vrid;
  out.priority = ev.priority;
  uint64_t now_usec = static_cast<uint64_t>(mono_now.since_boot.count());
  uint64_t seen_usec = ev.mono_ns / 1000;
  uint64_t age = now_usec > seen_usec ? now_usec - seen_usec : 0;
  out.first_seen_usec = real_now_usec > age ? real_now_usec - age : 0;
  out.last_seen_usec = out.first_seen_usec;
  return out;
}

ports::RouterCounters router_counters(const kv_router_key& key, const kv_router_stats& stats) {
  ports::RouterCounters out;
  out.ifindex = static_cast<int>(key.ifindex);
  out.vrid = key.vrid;
  out.family = family_from_kernel(key.family);
  out.source = address_from_kernel(key.family, key.addr);
  out.adverts = stats.adverts;
  out.last_priority = stats.last_priority;
  out.last_interval_cs = stats.last_interval_cs;
  out.last_seen_usec = stats.last_seen_ns / 1000;
  for (unsigned r = 0; r < KV_DROP__MAX; ++r) {
    if (stats.drops[r] != 0) out.drops[proto::drop_reason_from_kernel(r)] = stats.drops[r];
  }
  return out;
}

}  // namespace keepvip::guard
