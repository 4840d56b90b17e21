// The VRRP socket of one (interface, family): raw IP protocol 112, bound to
// the device, non-blocking and close-on-exec.
//
// Sharing: the daemon opens ONE VrrpSocket per (interface, family) and every
// instance on that interface uses it, multicast or unicast; received packets
// are dispatched by VRID (and, in unicast mode, by source address) in the
// daemon. This works because the socket is never bind()-ed to an address (a
// raw socket bound to an address only receives packets sent to that address,
// which would hide the multicast group): the source of each advert is chosen
// per send with IP_PKTINFO / IPV6_PKTINFO instead.
//
// Several agents in different network namespaces never collide: the socket
// lives in the namespace that opened it. Multicast loopback is off, so an
// agent never receives its own adverts.
//
// IPv4: the kernel returns the whole IP packet; receive() splits it with
// proto::split_ipv4. TTL and multicast TTL are 255, IP_MULTICAST_ALL is off
// (only the groups joined here), joins 224.0.0.18 on the interface when
// multicast is asked for, and the groups join_group() names.
// IPv6: joins ff02::12 (and join_group()'s groups), unicast and multicast hop limits 255, hop limit
// and destination come back as ancillary data (IPV6_RECVHOPLIMIT, IPV6_RECVPKTINFO). IPV6_CHECKSUM
// at offset 6 makes the kernel fill in the VRRP checksum (pseudo-header with the source it really
// used) on send and verify it on receive, as keepalived does: a packet with a bad checksum is
// dropped by the kernel before receive() sees it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/fd.h"
#include "common/ip_address.h"
#include "common/result.h"
#include "proto/advert.h"

namespace keepvip::net {

struct VrrpSocketOptions {
  // Join the VRRP multicast group. Set it when at least one instance on the
  // interface uses multicast; unicast packets are received either way.
  bool multicast = true;
  // Default source of sent adverts (unicast_src_ip, or the primary address).
  // Unset: the kernel picks (IPv4 primary address, IPv6 link-local).
  std::optional<IpAddress> source;
};

struct Received {
  proto::PacketMeta meta;        // source, destination, TTL / hop limit
  std::vector<uint8_t> payload;  // the VRRP part, no IP header
};

// Sends VRRP payloads; VrrpSocket implements it, daemon tests fake it.
class AdvertSender {
 public:
  virtual ~AdvertSender() = default;
  // `source` overrides the socket's default source for this packet, `ttl`
  // the TTL / hop limit (unicast_ttl; unset: 255).
  virtual Result<> send(std::span<const uint8_t> vrrp_payload, const IpAddress& destination,
                        const std::optional<IpAddress>& source = std::nullopt,
                        std::optional<uint8_t> ttl = std::nullopt) = 0;
  // auth_type AH: a whole IPv4 packet built by the caller (proto/ipsec_ah.h),
  // whose header the ICV covers. Needs enable_ah() on the socket.
  virtual Result<> send_ipv4_packet(std::span<const uint8_t> packet, const IpAddress& destination);
};

// Sends and receives VRRP payloads on one (interface, family); VrrpSocket
// implements it, daemon tests fake it.
class AdvertSocket : public AdvertSender {
 public:
  // Readable when packets are queued (give it to an sd-event io source).
  virtual int fd() const = 0;
  // See VrrpSocket::receive().
  virtual Result<std::optional<Received>> receive() = 0;
  // Also listen on this multicast group (mcast_dst_ip, vrrp_mcast_group4/6).
  // Idempotent.
  virtual Result<> join_group(const IpAddress& group) {
    (void)group;
    return {};
  }
  // auth_type AH (IPv4): a second raw socket for IP protocol 51, which the
  // channel watches too. -1 until enable_ah().
  virtual Result<> enable_ah();
  virtual int ah_fd() const { return -1; }
  virtual Result<std::optional<Received>> receive_ah() { return std::optional<Received>{}; }
};

class VrrpSocket final : public AdvertSocket {
 public:
  static Result<VrrpSocket> open(int ifindex, Family family, const VrrpSocketOptions& options);

  int fd() const override { return fd_.get(); }
  int ifindex() const { return ifindex_; }
  Family family() const { return family_; }

  // The kernel builds the IP header (TTL / hop limit 255 unless `ttl`).
  // Destination: the instance's multicast group or a unicast peer.
  Result<> send(std::span<const uint8_t> vrrp_payload, const IpAddress& destination,
                const std::optional<IpAddress>& source = std::nullopt,
                std::optional<uint8_t> ttl = std::nullopt) override;

  // IP_ADD_MEMBERSHIP / IPV6_ADD_MEMBERSHIP on the interface, once per group.
  Result<> join_group(const IpAddress& group) override;

  // Non-blocking: nullopt when nothing is queued. Call until nullopt when the
  // fd is readable. An error with errnum 0 means one malformed IPv4 packet
  // was read and dropped (its reason in the context): keep reading.
  Result<std::optional<Received>> receive() override;

  // Opens the IPPROTO_AH socket, as keepalived does for AH instances:
  // IP_HDRINCL (the ICV covers the IP header, so we write it), bound to the
  // device, joined to 224.0.0.18. Idempotent.
  Result<> enable_ah() override;
  int ah_fd() const override { return ah_fd_.get(); }
  Result<std::optional<Received>> receive_ah() override;
  Result<> send_ipv4_packet(std::span<const uint8_t> packet, const IpAddress& destination) override;

 private:
  Result<std::optional<Received>> receive_on(int fd);

  VrrpSocket(UniqueFd fd, bool multicast, int ifindex, Family family,
             std::optional<IpAddress> source)
      : fd_(std::move(fd)),
        multicast_(multicast),
        ifindex_(ifindex),
        family_(family),
        source_(source) {}

  UniqueFd fd_;
  UniqueFd ah_fd_;
  bool multicast_ = true;
  int ifindex_ = 0;
  Family family_ = Family::V4;
  std::optional<IpAddress> source_;
  std::vector<IpAddress> groups_;  // joined on the main socket
  std::vector<uint8_t> receive_buffer_;
};

}  // namespace keepvip::net
