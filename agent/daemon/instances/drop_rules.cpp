#include "daemon/instances/drop_rules.h"

namespace keepvip::daemon {

std::vector<ports::DroppedAddress> dropped_addresses(const InstanceSpec& spec,
                                                     const InterfaceIndexOf& index_of) {
  const config::Instance& i = spec.instance;
  std::vector<ports::DroppedAddress> out;
  if (!i.drops_vip_traffic()) return out;
  for (const auto* list : {&i.virtual_addresses, &i.excluded_addresses}) {
    for (const auto& vip : *list) {
      ports::DroppedAddress a;
      a.address = vip.prefix.address;
      if (a.address.is_ipv6_link_local()) {
        const bool own_interface = vip.dev.empty() || vip.dev == i.interface;
        a.ifname = own_interface ? i.interface : vip.dev;
        if (own_interface) {
          a.ifindex = spec.placement.ifindex;
        } else if (auto index = index_of(vip.dev)) {
          a.ifindex = *index;
        } else {
          continue;
        }
        a.by_name = !spec.global.nftables.ifindex && i.dont_track_primary && own_interface;
        if (!a.by_name) a.ifname.clear();
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace keepvip::daemon
