// What a peer can see of an instance on the wire besides the advert's
// fields: the multicast group, the VRRPv3 IPv4 checksum form, the unicast
// TTL and the TTLs accepted from each unicast peer (keepalived's
// mcast_dst_ip / vrrp_mcast_group4/6, v3_checksum_as_v2, unicast_ttl,
// unicast_peer's min_ttl/max_ttl, unicast_fault_no_peer).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/ip_address.h"

namespace keepvip::config {

// unicast_peer ADDRESS min_ttl N max_ttl M: adverts from the peer whose TTL
// (IPv4) or hop limit (IPv6) is outside [min_ttl, max_ttl] are dropped.
struct PeerTtlRange {
  IpAddress peer;
  uint8_t min_ttl = 0;
  uint8_t max_ttl = 255;
  friend bool operator==(const PeerTtlRange&, const PeerTtlRange&) = default;
};

// keepalived's IN6_IS_ADDR_MC_LINKLOCAL: ff02::/16 (flags ignored).
inline bool is_link_local_multicast(const IpAddress& a) {
  return a.is_v6() && a.bytes()[0] == 0xff && (a.bytes()[1] & 0x0f) == 0x02;
}

// The global_defs side: defaults for every instance.
struct GlobalWire {
  std::optional<IpAddress> mcast_group4;  // vrrp_mcast_group4; unset: 224.0.0.18
  std::optional<IpAddress> mcast_group6;  // vrrp_mcast_group6; unset: ff02::12
  bool v3_checksum_as_v2 = false;
  friend bool operator==(const GlobalWire&, const GlobalWire&) = default;
};

struct InstanceWire {
  // Settled by validate: mcast_dst_ip, else the global group of the
  // instance's family; unset: the RFC group (224.0.0.18 / ff02::12).
  std::optional<IpAddress> multicast_group;
  std::optional<IpAddress> mcast_dst_ip;  // as written
  // VRRPv3 over IPv4: checksum without the pseudo-header (the instance's
  // setting, else global_defs').
  std::optional<bool> v3_checksum_as_v2;
  // TTL (IPv4) / hop limit (IPv6) of unicast adverts; unset: 255.
  std::optional<uint8_t> unicast_ttl;
  std::vector<PeerTtlRange> peer_ttls;  // peers with min_ttl / max_ttl only
  // unicast_fault_no_peer: with no unicast_peer the instance stays in FAULT
  // instead of falling back to multicast.
  bool unicast_fault_no_peer = false;
  friend bool operator==(const InstanceWire&, const InstanceWire&) = default;
};

}  // namespace keepvip::config
