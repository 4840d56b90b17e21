// What a network device does to VLAN tags before XDP sees a frame. With rx
// VLAN offload on, the driver (or hardware) takes the 802.1Q/802.1ad tag off
// and keeps it beside the frame: a native XDP program then cannot tell
// eth0.100's adverts from eth0's, unless the driver hands the tag over as
// XDP rx metadata (bpf_xdp_metadata_rx_vlan_tag, Linux 6.8).
#pragma once

#include <string>

#include "common/result.h"

namespace keepvip::guard {

// rx-vlan-hw-parse or rx-vlan-stag-hw-parse active (ethtool -k: rx-vlan-offload).
Result<bool> rx_vlan_offload(const std::string& ifname);

// The driver gives XDP programs the stripped tag (netdev netlink family,
// xdp-rx-metadata-features has vlan-tag). false on kernels that cannot say.
bool xdp_rx_vlan_metadata(int ifindex);

}  // namespace keepvip::guard
