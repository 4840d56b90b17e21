// The socket half of netlink.h: Netlink sends the built requests and reads
// the answers synchronously (the kernel answers rtnetlink at once).
#include "net/netlink.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <array>

#include "net/netlink_message.h"

namespace keepvip::net {

namespace {

// Large enough for one datagram of a dump: the kernel fills at most a page
// (or 32 KiB) per recv, and NLMSG_GOODSIZE stays under this.
constexpr size_t kReceiveBuffer = 64 * 1024;

// A stuck kernel answer must not hang the daemon's event loop forever.
constexpr timeval kAnswerTimeout{2, 0};

std::string describe_prefix(int ifindex, const IpPrefix& prefix) {
  return prefix.to_string() + " on ifindex " + std::to_string(ifindex);
}

}  // namespace

Result<Netlink> Netlink::open() {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) return last_os_error("open rtnetlink socket");
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &kAnswerTimeout, sizeof kAnswerTimeout) < 0)
    return last_os_error("set rtnetlink receive timeout");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;  // nl_pid 0: the kernel assigns a unique port id
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) < 0)
    return last_os_error("bind rtnetlink socket");
  return Netlink(std::move(fd));
}

Result<std::vector<std::vector<uint8_t>>> Netlink::transact(std::vector<uint8_t> request,
                                                            std::string_view what) {
  auto header = detail::read_struct<nlmsghdr>(request);
  const uint32_t seq = header->nlmsg_seq;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd_.get(), request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0) {
    return last_os_error(std::string(what));
  }

  std::vector<std::vector<uint8_t>> answers;
  std::vector<uint8_t> buffer(kReceiveBuffer);
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_os_error(std::string(what) + " (reading the answer)");
    }
    for (const auto& m : detail::split_messages({buffer.data(), static_cast<size_t>(n)})) {
      // Leftovers of an earlier request that timed out carry an older seq.
      if (m.header.nlmsg_seq != seq) continue;
      if (m.header.nlmsg_type == NLMSG_DONE) return answers;
      if (m.header.nlmsg_type == NLMSG_ERROR) {
        auto err = detail::read_struct<nlmsgerr>(m.payload);
        if (!err) return logic_error(std::string(what) + ": truncated netlink error");
        if (err->error != 0) return os_error(-err->error, std::string(what));
        return answers;  // the ack: everything before it was the answer
      }
      answers.emplace_back(m.whole.begin(), m.whole.end());
    }
  }
}

Result<> Netlink::acknowledged(std::vector<uint8_t> request, std::string_view what) {
  auto r = transact(std::move(request), what);
  if (!r) return unexpected(r.error());
  return {};
}

Result<> Netlink::add_address(int ifindex, const IpPrefix& prefix) {
  return add_labelled_address(ifindex, prefix, {});
}

Result<> Netlink::add_labelled_address(int ifindex, const IpPrefix& prefix,
                                       std::string_view label) {
  auto r = transact(build_address_request(AddressOp::Add, ifindex, prefix, seq_++, label),
                    "add " + describe_prefix(ifindex, prefix) +
                        (label.empty() ? "" : " label " + std::string(label)));
  if (!r && r.error().errnum != EEXIST) return unexpected(r.error());
  return {};
}

Result<> Netlink::remove_address(int ifindex, const IpPrefix& prefix) {
  auto r = transact(build_address_request(AddressOp::Remove, ifindex, prefix, seq_++),
                    "remove " + describe_prefix(ifindex, prefix));
  if (!r && r.error().errnum != EADDRNOTAVAIL) return unexpected(r.error());
  return {};
}

Result<std::vector<AddressEntry>> Netlink::dump_addresses(Family family) {
  auto answers = transact(build_address_dump_request(family, seq_++),
                          std::string("list ") + std::string(to_string(family)) + " addresses");
  if (!answers) return unexpected(answers.error());
  std::vector<AddressEntry> entries;
  for (const auto& message : *answers) {
    if (auto entry = parse_address_message(message)) entries.push_back(*entry);
  }
  return entries;
}

Result<std::vector<AddressEntry>> Netlink::address_entries(int ifindex, Family family) {
  auto all = dump_addresses(family);
  if (!all) return all;
  std::erase_if(*all, [&](const AddressEntry& e) { return e.ifindex != ifindex; });
  return all;
}

Result<std::vector<IpPrefix>> Netlink::list_addresses(int ifindex) {
  std::vector<IpPrefix> prefixes;
  for (Family family : {Family::V4, Family::V6}) {
    auto entries = address_entries(ifindex, family);
    if (!entries) return unexpected(entries.error());
    for (const auto& e : *entries) prefixes.push_back(e.prefix);
  }
  return prefixes;
}

Result<LinkInfo> Netlink::link(int ifindex) {
  const std::string what = "look up interface index " + std::to_string(ifindex);
  auto answers = transact(build_link_request(ifindex, seq_++), what);
  if (!answers) return unexpected(answers.error());
  for (const auto& message : *answers) {
    if (auto info = parse_link_message(message)) return *info;
  }
  return logic_error(what + ": no link in the answer");
}

Result<LinkInfo> Netlink::link(std::string_view name) {
  const std::string what = "look up interface " + std::string(name);
  // The kernel rejects names of IFNAMSIZ or more with EINVAL; say it plainly.
  if (name.empty() || name.size() >= 16) return logic_error(what + ": not a valid interface name");
  auto answers = transact(build_link_request(name, seq_++), what);
  if (!answers) return unexpected(answers.error());
  for (const auto& message : *answers) {
    if (auto info = parse_link_message(message)) return *info;
  }
  return logic_error(what + ": no link in the answer");
}

Result<int> Netlink::interface_index(std::string_view name) {
  auto info = link(name);
  if (!info) return unexpected(info.error());
  return info->ifindex;
}

Result<std::string> Netlink::interface_name(int ifindex) {
  auto info = link(ifindex);
  if (!info) return unexpected(info.error());
  return info->name;
}

Result<bool> Netlink::link_is_up(int ifindex) {
  auto info = link(ifindex);
  if (!info) return unexpected(info.error());
  return info->is_up();
}

Result<MacAddress> Netlink::mac_address(int ifindex) {
  auto info = link(ifindex);
  if (!info) return unexpected(info.error());
  return info->mac;
}

Result<IpAddress> Netlink::primary_address(int ifindex, Family family,
                                           std::span<const IpAddress> exclude) {
  auto entries = address_entries(ifindex, family);
  if (!entries) return unexpected(entries.error());
  for (const auto& e : *entries) {
    const IpAddress& a = e.prefix.address;
    if (std::find(exclude.begin(), exclude.end(), a) != exclude.end()) continue;
    // A tentative (or DAD-failed) IPv6 address cannot be used as a source.
    if (family == Family::V6 &&
        (!a.is_ipv6_link_local() || (e.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))))
      continue;
    // IPv4 secondaries are aliases of a primary listed before them.
    if (family == Family::V4 && (e.flags & IFA_F_SECONDARY)) continue;
    return a;
  }
  return os_error(EADDRNOTAVAIL, std::string("find the primary ") + std::string(to_string(family)) +
                                     " address of ifindex " + std::to_string(ifindex));
}

}  // namespace keepvip::net
