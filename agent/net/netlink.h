// rtnetlink for the agent: VIP add/remove, address and link queries, and a
// link/address change monitor.
//
// Requests are built by pure functions that return the bytes to send (no
// socket I/O), so each one is checked byte for byte in unit tests; the
// Netlink class only sends them and reads the answers.
//
// VIPs are added the way keepalived 2.2 adds them: IFA_LOCAL, scope global,
// the configured prefix length (the config gives the host length when none is
// written); IPv6 adds IFA_F_NODAD, so a VIP is usable at once instead of
// sitting tentative (and can never end up "dadfailed" after a brief split
// brain), and a /128 gets preferred_lft 0 (deprecated) so the kernel never
// picks the VIP as the source of outgoing connections. IPv4 removal also
// carries IFA_ADDRESS. No IFA_F_NOPREFIXROUTE: keepalived only sets it on
// request.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/fd.h"
#include "common/ip_address.h"
#include "common/result.h"
#include "net/mac_address.h"

namespace keepvip::net {

enum class AddressOp : uint8_t { Add, Remove };

// RTM_NEWADDR (create, no replace) or RTM_DELADDR for one address, acked.
// `label` (keepalived's "label eth0:1", IPv4 only) is sent as IFA_LABEL on
// add, so the VIP shows as an alias to ifconfig and `ip addr show label`.
std::vector<uint8_t> build_address_request(AddressOp op, int ifindex, const IpPrefix& prefix,
                                           uint32_t seq, std::string_view label = {});
// RTM_GETADDR dump of one family (all interfaces; filter on receive).
std::vector<uint8_t> build_address_dump_request(Family family, uint32_t seq);
// RTM_GETLINK for one interface, by index or by name.
std::vector<uint8_t> build_link_request(int ifindex, uint32_t seq);
std::vector<uint8_t> build_link_request(std::string_view name, uint32_t seq);

// One address as the kernel reports it (RTM_NEWADDR).
struct AddressEntry {
  int ifindex = 0;
  IpPrefix prefix;
  uint8_t scope = 0;   // RT_SCOPE_*
  uint32_t flags = 0;  // IFA_F_* (IFA_FLAGS when present, else ifa_flags)
};

// One interface as the kernel reports it (RTM_NEWLINK).
struct LinkInfo {
  int ifindex = 0;
  std::string name;
  uint32_t flags = 0;  // IFF_*
  MacAddress mac{};    // all zero when the link has no Ethernet address
  // Administratively up and with carrier: what track_interface and FAULT mean.
  bool is_up() const;
};

// Parsers for one netlink message (header included); nullopt when the
// message is not of that type or is malformed. Pure, unit-tested.
std::optional<AddressEntry> parse_address_message(std::span<const uint8_t> message);
std::optional<LinkInfo> parse_link_message(std::span<const uint8_t> message);

// What the daemon needs from rtnetlink, as an interface so its tests use a fake.
class NetlinkOps {
 public:
  virtual ~NetlinkOps() = default;
  // Idempotent: an address already present (EEXIST) counts as added, one
  // already gone (EADDRNOTAVAIL) as removed.
  virtual Result<> add_address(int ifindex, const IpPrefix& prefix) = 0;
  // add_address with an IPv4 alias label (ignored for IPv6, as keepalived
  // does). Fakes that do not care about labels need not override it.
  virtual Result<> add_labelled_address(int ifindex, const IpPrefix& prefix,
                                        std::string_view label) {
    (void)label;
    return add_address(ifindex, prefix);
  }
  virtual Result<> remove_address(int ifindex, const IpPrefix& prefix) = 0;
  virtual Result<std::vector<IpPrefix>> list_addresses(int ifindex) = 0;
  virtual Result<int> interface_index(std::string_view name) = 0;
  virtual Result<std::string> interface_name(int ifindex) = 0;
  virtual Result<bool> link_is_up(int ifindex) = 0;
  virtual Result<MacAddress> mac_address(int ifindex) = 0;
  // The address adverts are sent from: IPv4, the first address on the link
  // that is not in `exclude` (pass the VIPs); IPv6, the link-local address.
  virtual Result<IpAddress> primary_address(int ifindex, Family family,
                                            std::span<const IpAddress> exclude = {}) = 0;
};

// The real thing: one NETLINK_ROUTE socket, synchronous request/answer.
class Netlink final : public NetlinkOps {
 public:
  static Result<Netlink> open();

  Result<> add_address(int ifindex, const IpPrefix& prefix) override;
  Result<> add_labelled_address(int ifindex, const IpPrefix& prefix,
                                std::string_view label) override;
  Result<> remove_address(int ifindex, const IpPrefix& prefix) override;
  Result<std::vector<IpPrefix>> list_addresses(int ifindex) override;
  Result<int> interface_index(std::string_view name) override;
  Result<std::string> interface_name(int ifindex) override;
  Result<bool> link_is_up(int ifindex) override;
  Result<MacAddress> mac_address(int ifindex) override;
  Result<IpAddress> primary_address(int ifindex, Family family,
                                    std::span<const IpAddress> exclude = {}) override;

  // Richer forms of the queries above.
  Result<std::vector<AddressEntry>> address_entries(int ifindex, Family family);
  Result<LinkInfo> link(int ifindex);
  Result<LinkInfo> link(std::string_view name);

  // Sends a request built elsewhere (route_netlink.h) and waits for its ack.
  Result<> acknowledged(std::vector<uint8_t> request, std::string_view what);
  uint32_t next_seq() { return seq_++; }

 private:
  explicit Netlink(UniqueFd fd) : fd_(std::move(fd)) {}
  // Sends one request and collects every answer message up to the ack
  // (NLMSG_ERROR) or NLMSG_DONE. A negative ack becomes an error.
  Result<std::vector<std::vector<uint8_t>>> transact(std::vector<uint8_t> request,
                                                     std::string_view what);
  Result<std::vector<AddressEntry>> dump_addresses(Family family);

  UniqueFd fd_;
  uint32_t seq_ = 1;
};

struct LinkEvent {
  int ifindex = 0;
  std::string name;
  bool up = false;  // LinkInfo::is_up()
};

struct AddressEvent {
  int ifindex = 0;
  IpPrefix prefix;
  bool added = false;  // false: removed
};

// Link changes as the daemon follows them; LinkMonitor implements it, daemon
// tests fake it. Give fd() to an sd-event io source (EPOLLIN) and call
// drain_links() when readable.
class LinkEventSource {
 public:
  using LinkCallback = std::function<void(const LinkEvent&)>;
  using AddressCallback = std::function<void(const AddressEvent&)>;
  virtual ~LinkEventSource() = default;
  virtual int fd() const = 0;
  // Every pending link and address event, without blocking. An error with
  // errnum ENOBUFS means events were lost: re-read the state of every link.
  virtual Result<> drain_links(const LinkCallback& on_link, const AddressCallback& on_address) = 0;
};

// A netlink socket subscribed to link (and optionally address) changes.
class LinkMonitor final : public LinkEventSource {
 public:
  static Result<LinkMonitor> open(bool with_addresses = true);
  int fd() const override { return fd_.get(); }
  Result<> drain_links(const LinkCallback& on_link, const AddressCallback& on_address) override {
    return drain(on_link, on_address);
  }
  // Reads every pending message without blocking and calls back for each.
  // An error with errnum ENOBUFS means the kernel dropped events (the socket
  // overran): re-read the state of every link you track.
  Result<> drain(const LinkCallback& on_link, const AddressCallback& on_address = {});

 private:
  explicit LinkMonitor(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace keepvip::net
