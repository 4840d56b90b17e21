#include "guard/link_offloads.h"

#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <vector>

#include "common/fd.h"

namespace keepvip::guard {
namespace {

// ETHTOOL_GSTRINGS / ETHTOOL_GFEATURES want the request and the answer in
// one buffer behind the header.
template <typename Header>
std::vector<uint8_t> ethtool_buffer(size_t extra) {
  return std::vector<uint8_t>(sizeof(Header) + extra, 0);
}

Result<> ethtool(int sock, const std::string& ifname, void* data, const char* what) {
  ifreq req{};
  std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  req.ifr_data = static_cast<char*>(data);
  if (::ioctl(sock, SIOCETHTOOL, &req) != 0)
    return last_os_error(std::string(what) + " of " + ifname);
  return {};
}

// From linux/netdev.h (Linux 6.3+; the rx metadata attribute from 6.6).
constexpr uint16_t kNetdevCmdDevGet = 1;
constexpr uint16_t kNetdevAttrIfindex = 1;
constexpr uint16_t kNetdevAttrXdpRxMetadataFeatures = 5;
constexpr uint64_t kNetdevXdpRxMetadataVlanTag = 4;

void put_attr(std::vector<uint8_t>& msg, uint16_t type, const void* data, size_t len) {
  nlattr a{};
  a.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  a.nla_type = type;
  size_t at = msg.size();
  msg.resize(at + NLA_ALIGN(a.nla_len), 0);
  std::memcpy(msg.data() + at, &a, sizeof(a));
  std::memcpy(msg.data() + at + NLA_HDRLEN, data, len);
}

// One generic netlink request and the attributes of its one answer.
std::optional<std::vector<uint8_t>> genl_request(int sock, uint16_t family, uint8_t cmd,
                                                 const std::vector<uint8_t>& attrs) {
  std::vector<uint8_t> msg(NLMSG_HDRLEN + GENL_HDRLEN, 0);
  msg.insert(msg.end(), attrs.begin(), attrs.end());
  auto* nh = reinterpret_cast<nlmsghdr*>(msg.data());
  nh->nlmsg_len = static_cast<uint32_t>(msg.size());
  nh->nlmsg_type = family;
  nh->nlmsg_flags = NLM_F_REQUEST;
  nh->nlmsg_seq = 1;
  auto* gh = reinterpret_cast<genlmsghdr*>(msg.data() + NLMSG_HDRLEN);
  gh->cmd = cmd;
  gh->version = 1;
  if (::send(sock, msg.data(), msg.size(), 0) < 0) return std::nullopt;
  std::vector<uint8_t> reply(8192);
  ssize_t n = ::recv(sock, reply.data(), reply.size(), 0);
  if (n < static_cast<ssize_t>(NLMSG_HDRLEN + GENL_HDRLEN)) return std::nullopt;
  const auto* rh = reinterpret_cast<const nlmsghdr*>(reply.data());
  if (rh->nlmsg_type == NLMSG_ERROR || rh->nlmsg_len > static_cast<uint32_t>(n))
    return std::nullopt;
  return std::vector<uint8_t>(reply.begin() + NLMSG_HDRLEN + GENL_HDRLEN,
                              reply.begin() + rh->nlmsg_len);
}

// The payload of attribute `type`, if present.
std::optional<std::vector<uint8_t>> find_attr(const std::vector<uint8_t>& attrs, uint16_t type) {
  size_t at = 0;
  while (at + NLA_HDRLEN <= attrs.size()) {
    nlattr a{};
    std::memcpy(&a, attrs.data() + at, sizeof(a));
    if (a.nla_len < NLA_HDRLEN || at + a.nla_len > attrs.size()) break;
    if ((a.nla_type & NLA_TYPE_MASK) == type)
      return std::vector<uint8_t>(attrs.begin() + static_cast<std::ptrdiff_t>(at + NLA_HDRLEN),
                                  attrs.begin() + static_cast<std::ptrdiff_t>(at + a.nla_len));
    at += NLA_ALIGN(a.nla_len);
  }
  return std::nullopt;
}

}  // namespace

Result<bool> rx_vlan_offload(const std::string& ifname) {
  UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) return last_os_error("open a socket to read the offloads of " + ifname);
  // The feature names tell which bits to read.
  auto info = ethtool_buffer<ethtool_sset_info>(sizeof(uint32_t));
  auto* si = reinterpret_cast<ethtool_sset_info*>(info.data());
  si->cmd = ETHTOOL_GSSET_INFO;
  si->sset_mask = 1ULL << ETH_SS_FEATURES;
  if (auto r = ethtool(sock.get(), ifname, si, "read the feature count"); !r)
    return unexpected(r.error());
  uint32_t count = 0;
  std::memcpy(&count, info.data() + sizeof(ethtool_sset_info), sizeof(count));
  auto strings = ethtool_buffer<ethtool_gstrings>(size_t{count} * ETH_GSTRING_LEN);
  auto* gs = reinterpret_cast<ethtool_gstrings*>(strings.data());
  gs->cmd = ETHTOOL_GSTRINGS;
  gs->string_set = ETH_SS_FEATURES;
  gs->len = count;
  if (auto r = ethtool(sock.get(), ifname, gs, "read the feature names"); !r)
    return unexpected(r.error());
  uint32_t blocks = (count + 31) / 32;
  auto features = ethtool_buffer<ethtool_gfeatures>(blocks * sizeof(ethtool_get_features_block));
  auto* gf = reinterpret_cast<ethtool_gfeatures*>(features.data());
  gf->cmd = ETHTOOL_GFEATURES;
  gf->size = blocks;
  if (auto r = ethtool(sock.get(), ifname, gf, "read the features"); !r)
    return unexpected(r.error());
  for (uint32_t i = 0; i < count; ++i) {
    const char* name = reinterpret_cast<const char*>(strings.data() + sizeof(ethtool_gstrings)) +
                       size_t{i} * ETH_GSTRING_LEN;
    std::string feature(name, strnlen(name, ETH_GSTRING_LEN));
    if (feature != "rx-vlan-hw-parse" && feature != "rx-vlan-stag-hw-parse") continue;
    ethtool_get_features_block block{};
    std::memcpy(&block, features.data() + sizeof(ethtool_gfeatures) + (i / 32) * sizeof(block),
                sizeof(block));
    if (block.active & (1u << (i % 32))) return true;
  }
  return false;
}

bool xdp_rx_vlan_metadata(int ifindex) {
  UniqueFd sock(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
  if (!sock) return false;
  timeval timeout{1, 0};
  (void)::setsockopt(sock.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::vector<uint8_t> attrs;
  put_attr(attrs, CTRL_ATTR_FAMILY_NAME, "netdev", 7);
  auto family = genl_request(sock.get(), GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attrs);
  if (!family) return false;
  auto id = find_attr(*family, CTRL_ATTR_FAMILY_ID);
  if (!id || id->size() < sizeof(uint16_t)) return false;
  uint16_t netdev = 0;
  std::memcpy(&netdev, id->data(), sizeof(netdev));
  attrs.clear();
  auto index = static_cast<uint32_t>(ifindex);
  put_attr(attrs, kNetdevAttrIfindex, &index, sizeof(index));
  auto dev = genl_request(sock.get(), netdev, kNetdevCmdDevGet, attrs);
  if (!dev) return false;
  auto features = find_attr(*dev, kNetdevAttrXdpRxMetadataFeatures);
  if (!features || features->size() < sizeof(uint64_t)) return false;
  uint64_t bits = 0;
  std::memcpy(&bits, features->data(), sizeof(bits));
  return (bits & kNetdevXdpRxMetadataVlanTag) != 0;
}

}  // namespace keepvip::guard
