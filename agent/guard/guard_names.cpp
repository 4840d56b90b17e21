#include "guard/guard_names.h"

#include "vrrp_guard_shared.h"

namespace keepvip::guard {

std::string_view drop_reason_name(unsigned reason) {
  return kv_drop_reason_name(reason);
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
