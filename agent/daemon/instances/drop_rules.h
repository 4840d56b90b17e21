// Accept mode (RFC 5798 Accept_Mode; keepalived's accept / no_accept): which
// addresses an instance has the firewall drop traffic to while it is MASTER.
// keepalived 2.2.8 (vrrp_handle_accept_mode) drops nothing for an instance
// with accept or for the address owner (priority 255), and otherwise every
// VIP and excluded VIP.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/instances/instance_spec.h"
#include "ports/firewall.h"

namespace keepvip::daemon {

// The index of an interface named by a VIP's "dev"; nullopt: not there.
using InterfaceIndexOf = std::function<std::optional<int>(const std::string& name)>;

// Empty with accept. An IPv6 link-local address is matched with its
// interface: by name where keepalived does so (no nftables_ifindex, the
// instance has dont_track_primary, the address is on the instance's own
// interface), else by index; one on a "dev" that is missing is left out.
std::vector<ports::DroppedAddress> dropped_addresses(const InstanceSpec& spec,
                                                     const InterfaceIndexOf& index_of);

}  // namespace keepvip::daemon
