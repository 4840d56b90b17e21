// The seam for accept mode: while an instance without `accept` is MASTER,
// traffic to its VIPs is dropped (RFC 5798 Accept_Mode False, keepalived's
// no_accept and strict mode). The daemon decides which addresses
// (daemon/instances/drop_rules.h); a firewall drops them (agent/firewall/
// over nftables in keepvipd, a fake in tests).
#pragma once

#include <compare>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "config/config.h"

namespace keepvip::ports {

// One address whose traffic is dropped. An IPv6 link-local address is only
// unique with its interface: matched by index, or by name (keepalived's
// vips_link_local_name, see drop_rules.h).
struct DroppedAddress {
  IpAddress address;
  int ifindex = 0;     // link-local only
  std::string ifname;  // link-local only, with by_name
  bool by_name = false;
  friend std::strong_ordering operator<=>(const DroppedAddress&, const DroppedAddress&) = default;
  friend bool operator==(const DroppedAddress&, const DroppedAddress&) = default;
};

class Firewall {
 public:
  virtual ~Firewall() = default;
  // What `instance` drops from now on (empty: nothing), in tables set up
  // as `settings` say. The rules cover every instance's addresses; an
  // instance whose list is unchanged is not touched, others' never.
  virtual Result<> set_dropped(const std::string& instance, const config::Nftables& settings,
                               std::vector<DroppedAddress> addresses) = 0;
};

}  // namespace keepvip::ports
