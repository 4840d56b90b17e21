#include "guard/guard_names.h"

#include "vrrp_guard_shared.h"

namespace keepvip::guard {

std::string_view drop_reason_name(unsigned reason) {
  switch (reason) {
    case KV_DROP_BAD_TTL:
      return "bad-ttl";
    case KV_DROP_BAD_VERSION:
      return "bad-version";
    case KV_DROP_BAD_TYPE:
      return "bad-type";
    case KV_DROP_TRUNCATED:
      return "truncated";
    case KV_DROP_OVERSIZED:
      return "oversized";
    case KV_DROP_BAD_CHECKSUM:
      return "bad-checksum";
    case KV_DROP_AUTH_MISMATCH:
      return "auth-mismatch";
    case KV_DROP_VERSION_MISMATCH:
      return "version-mismatch";
    case KV_DROP_INTERVAL_MISMATCH:
      return "interval-mismatch";
    case KV_DROP_RATE_LIMIT:
      return "rate-limit";
    default:
      return "unknown";
  }
}

std::string_view event_kind_name(unsigned kind) {
  switch (kind) {
    case KV_EVENT_FOREIGN_MASTER:
      return "foreign-master";
    case KV_EVENT_VRID_MISMATCH:
      return "vrid-mismatch";
    case KV_EVENT_AUTH_MISMATCH:
      return "auth-mismatch";
    case KV_EVENT_VERSION_MISMATCH:
      return "version-mismatch";
    case KV_EVENT_INTERVAL_MISMATCH:
      return "interval-mismatch";
    case KV_EVENT_ARP_CONFLICT:
      return "arp-conflict";
    case KV_EVENT_NA_CONFLICT:
      return "na-conflict";
    case KV_EVENT_TWO_MASTERS:
      return "two-masters";
    default:
      return "unknown";
  }
}

}  // namespace keepvip::guard
