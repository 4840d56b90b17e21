// Parsing RTM_NEWADDR / RTM_NEWLINK messages hand-assembled as the kernel
// sends them (host-order fields, little endian).
#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <net/if.h>

#include <vector>

#include "net/netlink.h"
#include "net/netlink_message.h"

namespace keepvip::net {
namespace {

// RTM_NEWADDR for 192.0.2.10/24 on ifindex 3, as `ip addr add` leaves it:
// IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, then IFA_FLAGS with a bit above 8 bits.
std::vector<uint8_t> ipv4_address_message() {
  const std::vector<uint8_t> message = {
      // nlmsghdr: len 60, RTM_NEWADDR (20), flags 0, seq 0, pid 0
      60, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      // ifaddrmsg: AF_INET, /24, ifa_flags 0x80 (PERMANENT), scope 0, ifindex 3
      2, 24, 0x80, 0, 3, 0, 0, 0,
      // IFA_ADDRESS 192.0.2.10
      8, 0, 1, 0, 192, 0, 2, 10,
      // IFA_LOCAL 192.0.2.10
      8, 0, 2, 0, 192, 0, 2, 10,
      // IFA_LABEL (3) "kvd0\0" + 3 bytes of padding
      9, 0, 3, 0, 'k', 'v', 'd', '0', 0, 0, 0, 0,
      // IFA_FLAGS (8): PERMANENT | NOPREFIXROUTE (0x200)
      8, 0, 8, 0, 0x80, 0x02, 0, 0};
  return message;
}

TEST(ParseAddressMessage, ReadsPrefixIndexScopeAndExtendedFlags) {
  auto entry = parse_address_message(ipv4_address_message());
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->ifindex, 3);
  EXPECT_EQ(entry->prefix, *IpPrefix::parse("192.0.2.10/24"));
  EXPECT_EQ(entry->scope, 0);
  // IFA_FLAGS wins over the 8-bit ifa_flags, which cannot hold 0x200.
  EXPECT_EQ(entry->flags, uint32_t{IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE});
}

TEST(ParseAddressMessage, PrefersLocalOverPeerAddress) {
  auto message = ipv4_address_message();
  message[16 + 8 + 7] = 99;  // IFA_ADDRESS becomes the point-to-point peer 192.0.2.99
  auto entry = parse_address_message(message);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->prefix.address, *IpAddress::parse("192.0.2.10"));
}

TEST(ParseAddressMessage, FallsBackToIfaFlagsWithoutIfaFlagsAttribute) {
  auto message = ipv4_address_message();
  message.resize(52);  // drop IFA_FLAGS
  message[0] = 52;
  auto entry = parse_address_message(message);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->flags, uint32_t{IFA_F_PERMANENT});
}

TEST(ParseAddressMessage, ReadsIpv6) {
  const std::vector<uint8_t> message = {// len 44, RTM_NEWADDR
                                        44, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                        // AF_INET6, /64, NODAD, scope link (253), ifindex 5
                                        10, 64, 0x02, 253, 5, 0, 0, 0,
                                        // IFA_ADDRESS fe80::1 (IPv6 sends no IFA_LOCAL)
                                        20, 0, 1, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 1};
  auto entry = parse_address_message(message);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->prefix, *IpPrefix::parse("fe80::1/64"));
  EXPECT_EQ(entry->scope, 253);
  EXPECT_EQ(entry->flags, uint32_t{IFA_F_NODAD});
  EXPECT_EQ(entry->ifindex, 5);
}

TEST(ParseAddressMessage, RejectsOtherTypesAndDamagedMessages) {
  auto wrong_type = ipv4_address_message();
  wrong_type[4] = 16;  // RTM_NEWLINK
  EXPECT_FALSE(parse_address_message(wrong_type));

  auto too_long = ipv4_address_message();
  too_long[0] = 200;  // claims more bytes than there are
  EXPECT_FALSE(parse_address_message(too_long));

  // Header and ifaddrmsg only: no address attribute at all.
  auto no_address = ipv4_address_message();
  no_address.resize(24);
  no_address[0] = 24;
  EXPECT_FALSE(parse_address_message(no_address));

  // An IFA_ADDRESS with a 3-byte address is ignored, not read past.
  auto short_attr = ipv4_address_message();
  short_attr.resize(32);
  short_attr[0] = 32;
  short_attr[24] = 7;
  EXPECT_FALSE(parse_address_message(short_attr));
}

// RTM_NEWLINK for "kvd0", index 9, UP|RUNNING, MAC 02:11:22:33:44:55.
std::vector<uint8_t> link_message(uint32_t flags) {
  std::vector<uint8_t> m = {
      // nlmsghdr: len 56, RTM_NEWLINK (16)
      56, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      // ifinfomsg: AF_UNSPEC, pad, type ARPHRD_ETHER (1), index 9, flags (below), change
      0, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
      // IFLA_IFNAME (3) "kvd0\0" + padding
      9, 0, 3, 0, 'k', 'v', 'd', '0', 0, 0, 0, 0,
      // IFLA_ADDRESS (1), 6 bytes + padding
      10, 0, 1, 0, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0};
  for (int i = 0; i < 4; ++i) m[24 + i] = static_cast<uint8_t>(flags >> (8 * i));
  return m;
}

TEST(ParseLinkMessage, ReadsNameIndexMacAndState) {
  auto link = parse_link_message(link_message(IFF_UP | IFF_RUNNING | IFF_BROADCAST));
  ASSERT_TRUE(link);
  EXPECT_EQ(link->ifindex, 9);
  EXPECT_EQ(link->name, "kvd0");
  EXPECT_EQ(link->mac, (MacAddress{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}));
  EXPECT_TRUE(link->is_up());
}

TEST(ParseLinkMessage, UpWithoutCarrierIsNotUp) {
  auto link = parse_link_message(link_message(IFF_UP));
  ASSERT_TRUE(link);
  EXPECT_FALSE(link->is_up());
  auto down = parse_link_message(link_message(IFF_RUNNING));
  ASSERT_TRUE(down);
  EXPECT_FALSE(down->is_up());
}

TEST(ParseLinkMessage, RejectsNamelessOrOtherMessages) {
  auto nameless = link_message(IFF_UP);
  nameless[34] = 2;  // IFLA_IFNAME becomes IFLA_BROADCAST
  EXPECT_FALSE(parse_link_message(nameless));
  EXPECT_FALSE(parse_link_message(ipv4_address_message()));
}

TEST(SplitMessages, SplitsABufferOfTwoAndStopsAtGarbage) {
  auto one = ipv4_address_message();
  auto two = link_message(IFF_UP);
  std::vector<uint8_t> buffer = one;
  buffer.insert(buffer.end(), two.begin(), two.end());
  buffer.insert(buffer.end(), {3, 0, 0, 0});  // a length shorter than a header
  auto messages = detail::split_messages(buffer);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].header.nlmsg_type, 20);
  EXPECT_EQ(messages[0].payload.size(), one.size() - 16);
  EXPECT_EQ(messages[1].header.nlmsg_type, 16);
  EXPECT_EQ(messages[1].whole.size(), two.size());
}

TEST(ForEachAttribute, VisitsEachAndStopsAtAnOverlongOne) {
  const std::vector<uint8_t> attributes = {
      5,  0, 1, 0, 0xaa, 0,    0, 0,   // type 1, 1 byte + 3 padding
      6,  0, 2, 0, 0xbb, 0xcc,         // type 2, 2 bytes + 2 padding
      0,  0,                           //
      40, 0, 3, 0, 1,    2,    3, 4};  // type 3 claims 40 bytes: stop
  std::vector<std::pair<uint16_t, size_t>> seen;
  detail::for_each_attribute(
      attributes, [&](uint16_t type, auto data) { seen.emplace_back(type, data.size()); });
  EXPECT_EQ(seen, (std::vector<std::pair<uint16_t, size_t>>{{1, 1}, {2, 2}}));
}

}  // namespace
}  // namespace keepvip::net
