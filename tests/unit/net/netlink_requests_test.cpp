// Every rtnetlink request compared byte for byte with a hand-assembled
// message. Multi-byte netlink fields are host order (little endian on the
// machines we build on); addresses are network order.
#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include <bit>
#include <vector>

#include "net/netlink.h"

namespace keepvip::net {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the expected bytes below are written for a little-endian host");

IpPrefix prefix(const char* text) {
  return *IpPrefix::parse(text);
}

TEST(BuildAddressRequest, AddsIpv4HostAddressWithScopeGlobal) {
  const std::vector<uint8_t> expected = {
      // nlmsghdr: len 32, RTM_NEWADDR (20), REQUEST|ACK|EXCL|CREATE (0x0605), seq 7, pid 0
      32, 0, 0, 0, 20, 0, 0x05, 0x06, 7, 0, 0, 0, 0, 0, 0, 0,
      // ifaddrmsg: AF_INET, /32, no flags, scope universe (global), ifindex 3
      2, 32, 0, 0, 3, 0, 0, 0,
      // IFA_LOCAL (2), len 8: 192.0.2.10
      8, 0, 2, 0, 192, 0, 2, 10};
  EXPECT_EQ(build_address_request(AddressOp::Add, 3, prefix("192.0.2.10/32"), 7), expected);
}

TEST(BuildAddressRequest, AddsIpv4LabelAsNulTerminatedString) {
  const std::vector<uint8_t> expected = {
      // len 44, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 7
      44, 0, 0, 0, 20, 0, 0x05, 0x06, 7, 0, 0, 0, 0, 0, 0, 0,
      // AF_INET, /24, no flags, scope universe, ifindex 3
      2, 24, 0, 0, 3, 0, 0, 0,
      // IFA_LOCAL 192.0.2.10
      8, 0, 2, 0, 192, 0, 2, 10,
      // IFA_LABEL (3), len 4 + 7: "eth0:1\0", then 1 byte of padding
      11, 0, 3, 0, 'e', 't', 'h', '0', ':', '1', 0, 0};
  EXPECT_EQ(build_address_request(AddressOp::Add, 3, prefix("192.0.2.10/24"), 7, "eth0:1"),
            expected);
}

TEST(BuildAddressRequest, LabelIsOnlyForIpv4Adds) {
  EXPECT_EQ(build_address_request(AddressOp::Add, 4, prefix("2001:db8::10/64"), 1, "eth0:1"),
            build_address_request(AddressOp::Add, 4, prefix("2001:db8::10/64"), 1));
  EXPECT_EQ(build_address_request(AddressOp::Remove, 3, prefix("192.0.2.10/24"), 1, "eth0:1"),
            build_address_request(AddressOp::Remove, 3, prefix("192.0.2.10/24"), 1));
}

TEST(BuildAddressRequest, RemovesIpv4WithLocalAndAddress) {
  const std::vector<uint8_t> expected = {// len 40, RTM_DELADDR (21), REQUEST|ACK (0x0005), seq 8
                                         40, 0, 0, 0, 21, 0, 0x05, 0x00, 8, 0, 0, 0, 0, 0, 0, 0,
                                         // AF_INET, /24, flags 0, scope 0, ifindex 3
                                         2, 24, 0, 0, 3, 0, 0, 0,
                                         // IFA_LOCAL 192.0.2.10
                                         8, 0, 2, 0, 192, 0, 2, 10,
                                         // IFA_ADDRESS (1) 192.0.2.10
                                         8, 0, 1, 0, 192, 0, 2, 10};
  EXPECT_EQ(build_address_request(AddressOp::Remove, 3, prefix("192.0.2.10/24"), 8), expected);
}

TEST(BuildAddressRequest, AddsIpv6WithNodad) {
  const std::vector<uint8_t> expected = {
      // len 44, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 9
      44, 0, 0, 0, 20, 0, 0x05, 0x06, 9, 0, 0, 0, 0, 0, 0, 0,
      // AF_INET6 (10), /64, IFA_F_NODAD (0x02), scope 0, ifindex 258 (two bytes used)
      10, 64, 0x02, 0, 0x02, 0x01, 0, 0,
      // IFA_LOCAL, len 20: 2001:db8::10
      20, 0, 2, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
  EXPECT_EQ(build_address_request(AddressOp::Add, 258, prefix("2001:db8::10/64"), 9), expected);
}

TEST(BuildAddressRequest, AddsIpv6HostAddressDeprecated) {
  const std::vector<uint8_t> expected = {
      // len 64, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE, seq 1
      64, 0, 0, 0, 20, 0, 0x05, 0x06, 1, 0, 0, 0, 0, 0, 0, 0,
      // AF_INET6, /128, NODAD, scope 0, ifindex 4
      10, 128, 0x02, 0, 4, 0, 0, 0,
      // IFA_LOCAL 2001:db8::10
      20, 0, 2, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
      // IFA_CACHEINFO (6), len 20: preferred 0, valid forever, cstamp 0, tstamp 0
      20, 0, 6, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(build_address_request(AddressOp::Add, 4, prefix("2001:db8::10/128"), 1), expected);
}

TEST(BuildAddressRequest, RemovesIpv6WithoutFlagsOrLifetimes) {
  const std::vector<uint8_t> expected = {// len 44, RTM_DELADDR, REQUEST|ACK, seq 2
                                         44, 0, 0, 0, 21, 0, 0x05, 0x00, 2, 0, 0, 0, 0, 0, 0, 0,
                                         // AF_INET6, /128, no flags, scope 0, ifindex 4
                                         10, 128, 0, 0, 4, 0, 0, 0,
                                         // IFA_LOCAL 2001:db8::10
                                         20, 0, 2, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0x10};
  EXPECT_EQ(build_address_request(AddressOp::Remove, 4, prefix("2001:db8::10/128"), 2), expected);
}

TEST(BuildAddressDumpRequest, AsksForOneFamily) {
  const std::vector<uint8_t> expected = {// len 24, RTM_GETADDR (22), REQUEST|DUMP (0x0301), seq 5
                                         24, 0, 0, 0, 22, 0, 0x01, 0x03, 5, 0, 0, 0, 0, 0, 0, 0,
                                         // ifaddrmsg with only the family: AF_INET6
                                         10, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(build_address_dump_request(Family::V6, 5), expected);
}

TEST(BuildLinkRequest, ByIndex) {
  const std::vector<uint8_t> expected = {
      // len 32, RTM_GETLINK (18), REQUEST|ACK, seq 3
      32, 0, 0, 0, 18, 0, 0x05, 0x00, 3, 0, 0, 0, 0, 0, 0, 0,
      // ifinfomsg: AF_UNSPEC, pad, type 0, index 7, flags 0, change 0
      0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(build_link_request(7, 3), expected);
}

TEST(BuildLinkRequest, ByNameIsNulTerminatedAndPadded) {
  const std::vector<uint8_t> expected = {
      // len 44, RTM_GETLINK, REQUEST|ACK, seq 4
      44, 0, 0, 0, 18, 0, 0x05, 0x00, 4, 0, 0, 0, 0, 0, 0, 0,
      // ifinfomsg, index 0: look up by name
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      // IFLA_IFNAME (3), len 4 + 6: "eth10\0", then 2 bytes of padding
      10, 0, 3, 0, 'e', 't', 'h', '1', '0', 0, 0, 0};
  EXPECT_EQ(build_link_request(std::string_view("eth10"), 4), expected);
}

}  // namespace
}  // namespace keepvip::net
