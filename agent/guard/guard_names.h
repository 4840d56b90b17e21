// Names for the guard's kernel enums (bpf/vrrp_guard_shared.h), as they
// appear in counters, logs, D-Bus and `keepvipd --stats`.
#pragma once

#include <cstdint>
#include <string_view>

namespace keepvip::guard {

// "bad-ttl", "auth-mismatch", ...; "unknown" outside the enum.
std::string_view drop_reason_name(unsigned reason);
// The ports::SplitBrainEvidence kind: "foreign-master", "vrid-mismatch", ...
std::string_view event_kind_name(unsigned kind);

}  // namespace keepvip::guard
