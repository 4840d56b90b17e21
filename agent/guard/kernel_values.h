// Conversions between the guard's kernel structs (bpf/vrrp_guard_shared.h)
// and the agent's types. Pure functions, so the unit tests can check them
// without loading anything.
#pragma once

#include <cstdint>
#include <string>

#include "common/ip_address.h"
#include "common/time.h"
#include "ports/guard.h"
#include "ports/status.h"
#include "vrrp/state_machine.h"
#include "vrrp_guard_shared.h"

namespace keepvip::guard {

uint8_t kernel_family(Family f);  // KV_FAMILY_V4 / KV_FAMILY_V6
Family family_from_kernel(uint8_t f);
// 16 network-order bytes, IPv4 in the first 4, the rest zero.
void copy_address(const IpAddress& a, uint8_t (&out)[16]);
IpAddress address_from_kernel(uint8_t family, const uint8_t (&bytes)[16]);
uint32_t kernel_role(vrrp::State s);
std::string format_mac(const uint8_t (&mac)[6]);

// The instance's config map value. The per-source token bucket allows four
// times the configured advert rate (at least 10/s), with a burst of twice that.
kv_inst_cfg instance_config(const ports::GuardInstance& instance);
kv_inst_key instance_key(int ifindex, uint8_t vrid, Family family);
// An address on an instance: a router's row, a VIP, a unicast peer.
kv_router_key router_key(int ifindex, uint8_t vrid, const IpAddress& address);

// `mono_now`/`real_now` are the two clocks read together; the event's
// CLOCK_MONOTONIC stamp becomes CLOCK_REALTIME microseconds.
vrrp::SplitBrainEvidence evidence_from_event(const kv_event& ev, MonoTime mono_now,
                                             uint64_t real_now_usec);

ports::RouterCounters router_counters(const kv_router_key& key, const kv_router_stats& stats);

}  // namespace keepvip::guard
