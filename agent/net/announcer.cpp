// The socket half of announce.h.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <cstring>

#include "net/announce.h"

namespace keepvip::net {

Result<Announcer> Announcer::open(NetlinkOps& links) {
  // Protocol 0: the socket is bound to no EtherType, so the kernel queues
  // nothing to it; it only sends.
  UniqueFd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return last_os_error("open packet socket for GARP / NA");
  return Announcer(std::move(fd), links);
}

Result<> Announcer::announce(int ifindex, const IpAddress& vip) {
  const std::string what = std::string(vip.is_v4() ? "send gratuitous ARP for " : "send NA for ") +
                           vip.to_string() + " on ifindex " + std::to_string(ifindex);
  auto mac = links_->mac_address(ifindex);
  if (!mac) return unexpected(mac.error());
  if (*mac == MacAddress{}) return logic_error(what + ": the interface has no Ethernet address");

  auto frame = vip.is_v4() ? build_garp_frame(*mac, vip) : build_unsolicited_na_frame(*mac, vip);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex;
  to.sll_protocol = htons(vip.is_v4() ? ETH_P_ARP : ETH_P_IPV6);
  to.sll_halen = 6;
  std::memcpy(to.sll_addr, frame.data(), 6);  // the frame's destination
  for (;;) {
    if (::sendto(fd_.get(), frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to),
                 sizeof to) >= 0)
      return {};
    if (errno != EINTR) return last_os_error(what);
  }
}

}  // namespace keepvip::net
