// The pure half of netlink.h: request builders and message parsers.
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>

#include "net/netlink.h"
#include "net/netlink_message.h"

namespace keepvip::net {

namespace {

using detail::MessageWriter;

constexpr uint32_t kInfiniteLifetime = 0xffffffff;

uint8_t address_family(Family family) {
  return static_cast<uint8_t>(to_af(family));
}

// IFLA_IFNAME and IFA_LABEL are C strings on the wire.
std::vector<uint8_t> nul_terminated(std::string_view text) {
  std::vector<uint8_t> bytes(text.begin(), text.end());
  bytes.push_back(0);
  return bytes;
}

}  // namespace

bool LinkInfo::is_up() const {
  return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

std::vector<uint8_t> build_address_request(AddressOp op, int ifindex, const IpPrefix& prefix,
                                           uint32_t seq, std::string_view label) {
  const bool add = op == AddressOp::Add;
  const bool v6 = prefix.address.is_v6();
  // Add refuses an existing address (EXCL), which add_address reports as success.
  uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
  if (add) flags |= NLM_F_CREATE | NLM_F_EXCL;
  MessageWriter msg(add ? RTM_NEWADDR : RTM_DELADDR, flags, seq);

  ifaddrmsg ifa{};
  ifa.ifa_family = address_family(prefix.address.family());
  ifa.ifa_prefixlen = prefix.prefix_len;
  ifa.ifa_flags = (add && v6) ? IFA_F_NODAD : 0;
  ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  ifa.ifa_index = static_cast<uint32_t>(ifindex);
  msg.put_struct(ifa);

  msg.put_attribute(IFA_LOCAL, prefix.address.bytes());
  if (!add && !v6) msg.put_attribute(IFA_ADDRESS, prefix.address.bytes());
  if (add && v6 && prefix.prefix_len == 128) {
    ifa_cacheinfo lifetimes{};
    lifetimes.ifa_prefered = 0;  // deprecated: never chosen as a source address
    lifetimes.ifa_valid = kInfiniteLifetime;
    msg.put_attribute_value(IFA_CACHEINFO, lifetimes);
  }
  // IPv6 has no alias labels; the kernel ignores IFA_LABEL there.
  if (add && !v6 && !label.empty()) msg.put_attribute(IFA_LABEL, nul_terminated(label));
  return std::move(msg).finish();
}

std::vector<uint8_t> build_address_dump_request(Family family, uint32_t seq) {
  MessageWriter msg(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq);
  ifaddrmsg ifa{};
  ifa.ifa_family = address_family(family);
  msg.put_struct(ifa);
  return std::move(msg).finish();
}

std::vector<uint8_t> build_link_request(int ifindex, uint32_t seq) {
  MessageWriter msg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = ifindex;
  msg.put_struct(ifi);
  return std::move(msg).finish();
}

std::vector<uint8_t> build_link_request(std::string_view name, uint32_t seq) {
  MessageWriter msg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  msg.put_struct(ifi);
  msg.put_attribute(IFLA_IFNAME, nul_terminated(name));
  return std::move(msg).finish();
}

std::optional<AddressEntry> parse_address_message(std::span<const uint8_t> message) {
  auto parts = detail::split_messages(message);
  if (parts.size() != 1) return std::nullopt;
  const auto& m = parts.front();
  if (m.header.nlmsg_type != RTM_NEWADDR && m.header.nlmsg_type != RTM_DELADDR) return std::nullopt;
  auto ifa = detail::read_struct<ifaddrmsg>(m.payload);
  if (!ifa || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)) return std::nullopt;

  const size_t addr_len = ifa->ifa_family == AF_INET ? 4 : 16;
  std::optional<IpAddress> local, address;
  std::optional<uint32_t> extended_flags;
  detail::for_each_attribute(
      m.payload.subspan(NLMSG_ALIGN(sizeof(ifaddrmsg))), [&](uint16_t type, auto data) {
        if ((type == IFA_LOCAL || type == IFA_ADDRESS) && data.size() == addr_len) {
          (type == IFA_LOCAL ? local : address) = IpAddress::from_bytes(data);
        } else if (type == IFA_FLAGS) {
          if (auto v = detail::read_struct<uint32_t>(data)) extended_flags = *v;
        }
      });
  // IFA_LOCAL is our own address; IFA_ADDRESS differs from it only on
  // point-to-point links, where it is the peer's.
  auto own = local ? local : address;
  if (!own) return std::nullopt;
  AddressEntry entry;
  entry.ifindex = static_cast<int>(ifa->ifa_index);
  entry.prefix = IpPrefix{*own, ifa->ifa_prefixlen};
  entry.scope = ifa->ifa_scope;
  entry.flags = extended_flags.value_or(ifa->ifa_flags);
  return entry;
}

std::optional<LinkInfo> parse_link_message(std::span<const uint8_t> message) {
  auto parts = detail::split_messages(message);
  if (parts.size() != 1) return std::nullopt;
  const auto& m = parts.front();
  if (m.header.nlmsg_type != RTM_NEWLINK && m.header.nlmsg_type != RTM_DELLINK) return std::nullopt;
  auto ifi = detail::read_struct<ifinfomsg>(m.payload);
  if (!ifi) return std::nullopt;

  LinkInfo link;
  link.ifindex = ifi->ifi_index;
  link.flags = ifi->ifi_flags;
  detail::for_each_attribute(m.payload.subspan(NLMSG_ALIGN(sizeof(ifinfomsg))),
                             [&](uint16_t type, auto data) {
                               if (type == IFLA_IFNAME) {
                                 auto end = std::find(data.begin(), data.end(), uint8_t{0});
                                 link.name.assign(data.begin(), end);
                               } else if (type == IFLA_ADDRESS && data.size() == link.mac.size()) {
                                 std::copy(data.begin(), data.end(), link.mac.begin());
                               }
                             });
  if (link.name.empty()) return std::nullopt;
  return link;
}

}  // namespace keepvip::net
