// Split-brain evidence: something seen on the link that says another router
// acts as master for what one of our instances holds. The guard reports it
// from the kernel and the receive path from the adverts keepvipd reads;
// both speak this vocabulary, and the tracker (split_brain.h) merges them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ip_address.h"
#include "vrrp_guard_shared.h"

namespace keepvip::vrrp {

// Numbered as the guard's ring buffer events (kv_event_kind).
enum class EvidenceKind : uint8_t {
  Unknown = 0,                                    // a kind this build does not know
  ForeignMaster = KV_EVENT_FOREIGN_MASTER,        // MASTER: a router we would not yield to
  VridMismatch = KV_EVENT_VRID_MISMATCH,          // MASTER: another VRID lists our VIP
  AuthMismatch = KV_EVENT_AUTH_MISMATCH,          // MASTER: our VRID, another password
  VersionMismatch = KV_EVENT_VERSION_MISMATCH,    // MASTER: our VRID, the other version
  IntervalMismatch = KV_EVENT_INTERVAL_MISMATCH,  // MASTER: our VRID, another interval
  ArpConflict = KV_EVENT_ARP_CONFLICT,            // MASTER: ARP claims our VIP, foreign MAC
  NaConflict = KV_EVENT_NA_CONFLICT,              // MASTER: NA claims our VIP, foreign MAC
  TwoMasters = KV_EVENT_TWO_MASTERS,              // BACKUP: adverts from two masters
};

// "foreign-master", "vrid-mismatch", ...: the D-Bus SplitBrainEvidence kinds
// and the log's. "unknown" for Unknown.
std::string_view to_string(EvidenceKind kind);
// The reverse, for readers of the D-Bus API; nullopt for a name not listed.
std::optional<EvidenceKind> parse_evidence_kind(std::string_view name);
// A ring buffer event's kind; Unknown outside the enum.
EvidenceKind evidence_kind_from_kernel(unsigned kind);

struct SplitBrainEvidence {
  EvidenceKind kind = EvidenceKind::Unknown;
  IpAddress source;
  std::string mac;  // "52:54:00:12:34:56", empty if unknown
  uint8_t vrid = 0;
  uint8_t priority = 0;
  uint64_t first_seen_usec = 0;  // CLOCK_REALTIME, microseconds since the epoch
  uint64_t last_seen_usec = 0;
  friend bool operator==(const SplitBrainEvidence&, const SplitBrainEvidence&) = default;
};

// ARP replies / neighbour adverts claiming our VIP (the source is the VIP),
// as opposed to adverts (the source is the sending router).
bool is_claim(const SplitBrainEvidence& evidence);

// One line a person reads (log, keepvipctl): a claim names the VIP and the MAC
// claiming it ("arp-conflict: 192.0.2.100 claimed by 02:..."), an advert its
// sender, VRID and priority.
std::string describe(const SplitBrainEvidence& evidence);

}  // namespace keepvip::vrrp
