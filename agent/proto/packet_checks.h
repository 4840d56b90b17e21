// The packet-level receive checks the BPF guard runs
// (bpf/vrrp_checks_packet.h), applied to what keepvipd's socket received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "proto/advert.h"

struct kv_packet;

namespace keepvip::proto {

// The shared checks' verdict when no drop reason applies (KV_ACCEPT).
inline constexpr int kAccept = -1;

// What the shared checks take from the IP layer.
kv_packet shared_packet(const PacketMeta& meta, size_t vrrp_len);

// kAccept or the kv_drop_reason.
int run_packet_checks(const PacketMeta& meta, std::span<const uint8_t> vrrp,
                      const DecodeOptions& options);

}  // namespace keepvip::proto
