// What a script keeps of keepvipd's capabilities. keepvipd holds CAP_BPF,
// CAP_PERFMON, CAP_NET_ADMIN, CAP_NET_RAW, CAP_SETUID, CAP_SETGID, CAP_KILL
// and CAP_SETPCAP (units/keepvipd.service); a script needs almost none of
// them. keepalived documents network changes on a transition as part of the
// job (virtual_routes, virtual_rules, vrrp_iptables / nftables,
// garp_extra_if): keepvip does not do them itself, so they move to notify
// scripts, which then need CAP_NET_ADMIN (ip route, ip rule, nft,
// conntrackd) and CAP_NET_RAW (arping). A script running as root therefore
// keeps exactly those two, if keepvipd has them; any other script keeps none.
// The bounding set of every script is cut to the same two, so no script
// regains more through a set-user-ID root or file-capability program.
// docs/keepvip.conf.5.md ("Running scripts") says the same to users.
#pragma once

#include <cstdint>

namespace keepvip::daemon {

constexpr uint64_t capability_bit(int cap) {
  return uint64_t{1} << cap;
}

// The ceiling for every script: CAP_NET_ADMIN and CAP_NET_RAW, as far as
// keepvipd's own permitted set (`daemon_permitted`) has them.
uint64_t script_capability_ceiling(uint64_t daemon_permitted);

// keepvipd's permitted set; 0 if it cannot be read.
uint64_t own_permitted_capabilities();

// Runs in the forked child right before exec, in this order:
//   bound_capabilities() while still root (needs CAP_SETPCAP): drops every
//     capability outside `ceiling` from the bounding set;
//   then the user switch;
//   then limit_capabilities(): permitted and effective to `ceiling` (for a
//     root script; a user switch already emptied them otherwise),
//     inheritable and ambient empty.
// Both return 0 or an errno value. bound_capabilities() fails with EPERM
// when a capability outside the ceiling stays in the bounding set and the
// process is root: the script would get it back at exec. A keepvipd that is
// not root holds nothing a script could regain that way.
// Async-signal-safe: no allocation.
int bound_capabilities(uint64_t ceiling);
int limit_capabilities(uint64_t ceiling);

}  // namespace keepvip::daemon
