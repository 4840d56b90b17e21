// LinkMonitor: rtnetlink multicast groups for link and address changes.
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "net/netlink.h"
#include "net/netlink_message.h"

namespace keepvip::net {

Result<LinkMonitor> LinkMonitor::open(bool with_addresses) {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE));
  if (!fd) return last_os_error("open rtnetlink monitor socket");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  local.nl_groups = RTMGRP_LINK;
  if (with_addresses) local.nl_groups |= RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) < 0)
    return last_os_error("subscribe to rtnetlink link changes");
  return LinkMonitor(std::move(fd));
}

Result<> LinkMonitor::drain(const LinkCallback& on_link, const AddressCallback& on_address) {
  std::vector<uint8_t> buffer(64 * 1024);
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return {};
      return last_os_error("read rtnetlink link changes");
    }
    for (const auto& m : detail::split_messages({buffer.data(), static_cast<size_t>(n)})) {
      switch (m.header.nlmsg_type) {
        case RTM_NEWLINK:
        case RTM_DELLINK:
          if (auto link = parse_link_message(m.whole); link && on_link) {
            // A deleted link is down whatever its last flags said.
            bool up = m.header.nlmsg_type == RTM_NEWLINK && link->is_up();
            on_link(LinkEvent{link->ifindex, link->name, up});
          }
          break;
        case RTM_NEWADDR:
        case RTM_DELADDR:
          if (auto entry = parse_address_message(m.whole); entry && on_address) {
            on_address(
                AddressEvent{entry->ifindex, entry->prefix, m.header.nlmsg_type == RTM_NEWADDR});
          }
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace keepvip::net
