#include "net/vrrp_socket.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

// Older C library headers (EL8) lack it; the kernel value is fixed UAPI.
#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif

namespace keepvip::net {

namespace {

constexpr int kVrrpTtl = proto::kVrrpTtl;
// Offset of the checksum in the VRRP header, for IPV6_CHECKSUM.
constexpr int kVrrpChecksumOffset = 6;
// Largest VRRP packet we read: 255 IPv6 addresses (the count field's limit)
// make 4088 bytes of VRRP; with any IP header that fits in 8 KiB. Anything
// longer is not VRRP we could accept.
constexpr size_t kMaxPacket = 8192;

Result<> set_int(int fd, int level, int option, int value, const char* what) {
  if (::setsockopt(fd, level, option, &value, sizeof value) < 0) return last_os_error(what);
  return {};
}

// SO_BINDTOIFINDEX needs Linux 5.0; older kernels (RHEL 8) get the name.
Result<> bind_to_device(int fd, int ifindex) {
  if (::setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &ifindex, sizeof ifindex) == 0) return {};
  if (errno != ENOPROTOOPT)
    return last_os_error("bind VRRP socket to ifindex " + std::to_string(ifindex));
  char name[IF_NAMESIZE] = {};
  if (!::if_indextoname(static_cast<unsigned>(ifindex), name))
    return last_os_error("find the name of ifindex " + std::to_string(ifindex));
  if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name,
                   static_cast<socklen_t>(std::strlen(name))) < 0)
    return last_os_error(std::string("bind VRRP socket to ") + name);
  return {};
}

Result<> join(int fd, int ifindex, const IpAddress& group) {
  const auto bytes = group.bytes();
  int failed = 0;
  if (group.is_v4()) {
    ip_mreqn request{};
    request.imr_ifindex = ifindex;
    std::memcpy(&request.imr_multiaddr, bytes.data(), bytes.size());
    failed = ::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &request, sizeof request);
  } else {
    ipv6_mreq request{};
    request.ipv6mr_interface = static_cast<unsigned>(ifindex);
    std::memcpy(&request.ipv6mr_multiaddr, bytes.data(), bytes.size());
    failed = ::setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &request, sizeof request);
  }
  if (failed < 0) return last_os_error("join " + group.to_string());
  return {};
}

Result<> setup_v4(int fd, int ifindex, bool multicast) {
  if (auto r = set_int(fd, IPPROTO_IP, IP_TTL, kVrrpTtl, "set VRRP TTL"); !r) return r;
  if (auto r = set_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, kVrrpTtl, "set VRRP multicast TTL"); !r)
    return r;
  if (auto r = set_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "turn off VRRP multicast loop"); !r)
    return r;
  // Default 1 would deliver groups joined by any socket of the host.
  if (auto r = set_int(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "turn off IP_MULTICAST_ALL"); !r)
    return r;
  if (auto r = set_int(fd, IPPROTO_IP, IP_PKTINFO, 1, "ask for IP_PKTINFO"); !r) return r;
  ip_mreqn group{};
  group.imr_ifindex = ifindex;
  if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &group, sizeof group) < 0)
    return last_os_error("set the VRRP multicast interface");
  if (multicast) return join(fd, ifindex, proto::vrrp_multicast_group(Family::V4));
  return {};
}

Result<> setup_v6(int fd, int ifindex, bool multicast) {
  if (auto r = set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, kVrrpTtl, "set VRRP hop limit"); !r)
    return r;
  if (auto r =
          set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, kVrrpTtl, "set VRRP multicast hop limit");
      !r)
    return r;
  if (auto r = set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "turn off VRRP multicast loop");
      !r)
    return r;
  if (auto r =
          set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "set the VRRP multicast interface");
      !r)
    return r;
  if (auto r = set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "ask for IPV6_HOPLIMIT"); !r)
    return r;
  if (auto r = set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "ask for IPV6_PKTINFO"); !r) return r;
  if (auto r = set_int(fd, IPPROTO_IPV6, IPV6_CHECKSUM, kVrrpChecksumOffset, "set IPV6_CHECKSUM");
      !r)
    return r;
  if (multicast) return join(fd, ifindex, proto::vrrp_multicast_group(Family::V6));
  return {};
}

// Writes one control message at `c` and adds its space to `used`.
cmsghdr* add_control(cmsghdr* c, int level, int type, const void* data, size_t size, size_t& used) {
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(size);
  std::memcpy(CMSG_DATA(c), data, size);
  used += CMSG_SPACE(size);
  return c;
}

}  // namespace

Result<VrrpSocket> VrrpSocket::open(int ifindex, Family family, const VrrpSocketOptions& options) {
  if (options.source && options.source->family() != family)
    return logic_error("VRRP socket source " + options.source->to_string() + " is not " +
                       std::string(to_string(family)));
  const int af = to_af(family);
  UniqueFd fd(::socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto::kIpProtoVrrp));
  if (!fd)
    return last_os_error(std::string("open ") + std::string(to_string(family)) + " VRRP socket");
  if (auto r = bind_to_device(fd.get(), ifindex); !r) return unexpected(r.error());
  auto setup = family == Family::V4 ? setup_v4(fd.get(), ifindex, options.multicast)
                                    : setup_v6(fd.get(), ifindex, options.multicast);
  if (!setup) {
    setup.error().context += " (ifindex " + std::to_string(ifindex) + ")";
    return unexpected(setup.error());
  }
  VrrpSocket socket(std::move(fd), options.multicast, ifindex, family, options.source);
  if (options.multicast) socket.groups_.push_back(proto::vrrp_multicast_group(family));
  return socket;
}

Result<> VrrpSocket::join_group(const IpAddress& group) {
  if (group.family() != family_ || !group.is_multicast())
    return logic_error("cannot join " + group.to_string() + " on an " +
                       std::string(to_string(family_)) + " VRRP socket");
  if (std::find(groups_.begin(), groups_.end(), group) != groups_.end()) return {};
  if (auto r = join(fd_.get(), ifindex_, group); !r) return r;
  groups_.push_back(group);
  return {};
}

Result<> VrrpSocket::send(std::span<const uint8_t> vrrp_payload, const IpAddress& destination,
                          const std::optional<IpAddress>& source, std::optional<uint8_t> ttl) {
  const std::string what = "send VRRP advert to " + destination.to_string();
  if (destination.family() != family_) return logic_error(what + ": wrong address family");
  const auto& from = source ? source : source_;
  if (from && from->family() != family_) return logic_error(what + ": source of the wrong family");

  sockaddr_storage to{};
  socklen_t to_len = 0;
  // Room for one pktinfo control message of either family and a TTL.
  alignas(cmsghdr) std::array<uint8_t, CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))>
      control{};
  msghdr msg{};
  iovec iov{const_cast<uint8_t*>(vrrp_payload.data()), vrrp_payload.size()};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_name = &to;

  if (family_ == Family::V4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&to);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, destination.bytes().data(), 4);
    to_len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&to);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, destination.bytes().data(), 16);
    // Link-local and multicast destinations need the scope to route.
    sin6->sin6_scope_id = static_cast<uint32_t>(ifindex_);
    to_len = sizeof(sockaddr_in6);
  }
  msg.msg_namelen = to_len;

  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  auto* c = reinterpret_cast<cmsghdr*>(control.data());
  size_t used = 0;
  if (from) {
    // The source is chosen per packet (not bind()) so one socket serves every
    // instance on the interface and still receives the multicast group.
    if (family_ == Family::V4) {
      in_pktinfo info{};
      info.ipi_ifindex = ifindex_;
      std::memcpy(&info.ipi_spec_dst, from->bytes().data(), 4);
      c = add_control(c, IPPROTO_IP, IP_PKTINFO, &info, sizeof info, used);
    } else {
      in6_pktinfo info{};
      info.ipi6_ifindex = static_cast<unsigned>(ifindex_);
      std::memcpy(&info.ipi6_addr, from->bytes().data(), 16);
      c = add_control(c, IPPROTO_IPV6, IPV6_PKTINFO, &info, sizeof info, used);
    }
    c = reinterpret_cast<cmsghdr*>(control.data() + used);
  }
  if (ttl) {
    // unicast_ttl: per packet, as the socket is shared by every instance.
    const int hops = *ttl;
    if (family_ == Family::V4)
      add_control(c, IPPROTO_IP, IP_TTL, &hops, sizeof hops, used);
    else
      add_control(c, IPPROTO_IPV6, IPV6_HOPLIMIT, &hops, sizeof hops, used);
  }
  msg.msg_controllen = used;
  if (used == 0) msg.msg_control = nullptr;

  for (;;) {
    ssize_t n = ::sendmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (n >= 0) return {};
    if (errno != EINTR) return last_os_error(what);
  }
}

Result<> AdvertSender::send_ipv4_packet(std::span<const uint8_t>, const IpAddress& destination) {
  return logic_error("send AH advert to " + destination.to_string() +
                     ": this socket cannot send auth_type AH adverts");
}

Result<> AdvertSocket::enable_ah() {
  return logic_error("this VRRP socket cannot receive auth_type AH adverts");
}

Result<> VrrpSocket::enable_ah() {
  if (ah_fd_) return {};
  if (family_ != Family::V4) return logic_error("auth_type AH needs IPv4");
  UniqueFd fd(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto::kIpProtoAh));
  if (!fd) return last_os_error("open the IPv4 AH socket");
  if (auto r = bind_to_device(fd.get(), ifindex_); !r) return r;
  if (auto r = setup_v4(fd.get(), ifindex_, multicast_); !r) return r;
  if (auto r = set_int(fd.get(), IPPROTO_IP, IP_HDRINCL, 1, "set IP_HDRINCL"); !r) return r;
  ah_fd_ = std::move(fd);
  return {};
}

Result<> VrrpSocket::send_ipv4_packet(std::span<const uint8_t> packet,
                                      const IpAddress& destination) {
  const std::string what = "send AH advert to " + destination.to_string();
  if (!ah_fd_) return logic_error(what + ": the AH socket is not open");
  if (destination.family() != Family::V4) return logic_error(what + ": not IPv4");
  sockaddr_in to{};
  to.sin_family = AF_INET;
  std::memcpy(&to.sin_addr, destination.bytes().data(), 4);
  for (;;) {
    ssize_t n = ::sendto(ah_fd_.get(), packet.data(), packet.size(), MSG_DONTWAIT,
                         reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (n >= 0) return {};
    if (errno != EINTR) return last_os_error(what);
  }
}

Result<std::optional<Received>> VrrpSocket::receive() {
  return receive_on(fd_.get());
}

Result<std::optional<Received>> VrrpSocket::receive_ah() {
  if (!ah_fd_) return std::optional<Received>{};
  return receive_on(ah_fd_.get());
}

Result<std::optional<Received>> VrrpSocket::receive_on(int fd) {
  // Reused across calls: a flood of adverts must not mean an 8 KiB
  // allocation per packet.
  std::vector<uint8_t>& buffer = receive_buffer_;
  if (buffer.size() != kMaxPacket) buffer.resize(kMaxPacket);
  sockaddr_storage from{};
  alignas(cmsghdr) std::array<uint8_t, 256> control{};
  iovec iov{buffer.data(), buffer.size()};
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();

  ssize_t n;
  do {
    n = ::recvmsg(fd, &msg, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<Received>{};
    return last_os_error("read VRRP socket on ifindex " + std::to_string(ifindex_));
  }
  if (msg.msg_flags & MSG_TRUNC)
    return logic_error("dropped oversized VRRP packet on ifindex " + std::to_string(ifindex_));
  const std::span<const uint8_t> packet(buffer.data(), static_cast<size_t>(n));

  if (family_ == Family::V4) {
    // A raw IPv4 socket hands over the IP header too: TTL, source and
    // destination come from there.
    auto split = proto::split_ipv4(packet);
    if (!split)
      return logic_error("dropped malformed IPv4 VRRP packet: " +
                         std::string(proto::to_string(split.error())));
    Received r{std::move(split->meta),
               std::vector<uint8_t>(split->payload.begin(), split->payload.end())};
    return std::optional<Received>{std::move(r)};
  }

  Received r;
  r.meta.family = Family::V6;
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&from);
  r.meta.source = IpAddress::from_bytes({reinterpret_cast<const uint8_t*>(&sin6->sin6_addr), 16})
                      .value_or(IpAddress{});
  bool have_hops = false;
  bool have_destination = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != IPPROTO_IPV6) continue;
    if (c->cmsg_type == IPV6_HOPLIMIT && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
      int hops = 0;
      std::memcpy(&hops, CMSG_DATA(c), sizeof hops);
      r.meta.ttl = static_cast<uint8_t>(hops);
      have_hops = true;
    } else if (c->cmsg_type == IPV6_PKTINFO && c->cmsg_len >= CMSG_LEN(sizeof(in6_pktinfo))) {
      in6_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      r.meta.destination =
          IpAddress::from_bytes({reinterpret_cast<const uint8_t*>(&info.ipi6_addr), 16})
              .value_or(IpAddress{});
      have_destination = true;
    }
  }
  // Without the hop limit the TTL check would judge a made-up 0.
  if (!have_hops || !have_destination)
    return logic_error("dropped IPv6 VRRP packet without hop limit / pktinfo ancillary data");
  r.payload.assign(packet.begin(), packet.end());
  return std::optional<Received>{std::move(r)};
}

}  // namespace keepvip::net
