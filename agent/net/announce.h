// Announcing a VIP after taking it over, so switches and neighbours move
// their caches to us at once:
//  - IPv4: gratuitous ARP, an ARP request with sender = target = VIP, our MAC
//    as sender hardware address, to the Ethernet broadcast address;
//  - IPv6: unsolicited neighbour advertisement (RFC 4861 §7.2.6), ICMPv6 type
//    136 from the VIP itself (an address of the interface, as keepalived
//    sends it) to ff02::1 (Ethernet 33:33:00:00:00:01), hop limit 255,
//    Override flag set, target = VIP, with a target link-layer address option.
// Both are whole Ethernet frames sent on an AF_PACKET socket, as keepalived
// does; the frame builders are pure and unit-tested byte for byte.
// Repeats and delays (garp_master_delay / _repeat) are the daemon's timers.
#pragma once

#include <cstdint>
#include <vector>

#include "common/fd.h"
#include "common/ip_address.h"
#include "common/result.h"
#include "net/mac_address.h"
#include "net/netlink.h"

namespace keepvip::net {

// 42-byte Ethernet + ARP frame (no padding; the driver pads on the wire).
std::vector<uint8_t> build_garp_frame(const MacAddress& our_mac, const IpAddress& vip);

struct NaOptions {
  bool router = false;  // R flag: set when this host forwards (is a router)
};
// 86-byte Ethernet + IPv6 + ICMPv6 NA frame with the checksum filled in.
std::vector<uint8_t> build_unsolicited_na_frame(const MacAddress& our_mac, const IpAddress& vip,
                                                const NaOptions& options = {});

// What the daemon calls; Announcer implements it, daemon tests fake it.
class AnnounceOps {
 public:
  virtual ~AnnounceOps() = default;
  // One GARP (IPv4 VIP) or one unsolicited NA (IPv6 VIP) on the interface.
  virtual Result<> announce(int ifindex, const IpAddress& vip) = 0;
};

// One AF_PACKET socket that sends on any interface and receives nothing. It
// asks `links` for the interface's MAC at each call (a MAC can change);
// `links` must outlive the Announcer.
class Announcer final : public AnnounceOps {
 public:
  static Result<Announcer> open(NetlinkOps& links);
  Result<> announce(int ifindex, const IpAddress& vip) override;

 private:
  Announcer(UniqueFd fd, NetlinkOps& links) : fd_(std::move(fd)), links_(&links) {}
  UniqueFd fd_;
  NetlinkOps* links_;
};

}  // namespace keepvip::net
