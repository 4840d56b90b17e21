// GARP and unsolicited NA frames compared byte for byte with hand-assembled
// frames (all fields network order).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "net/announce.h"

namespace keepvip::net {
namespace {

constexpr MacAddress kOurMac{0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

TEST(BuildGarpFrame, IsABroadcastArpRequestForTheVip) {
  const std::vector<uint8_t> expected = {
      // Ethernet: broadcast destination, our MAC, EtherType ARP
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x06,
      // ARP: Ethernet (1), IPv4 (0x0800), hlen 6, plen 4, request (1)
      0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
      // sender: our MAC, the VIP
      0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 192, 0, 2, 10,
      // target: broadcast MAC, the VIP again
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 192, 0, 2, 10};
  EXPECT_EQ(build_garp_frame(kOurMac, *IpAddress::parse("192.0.2.10")), expected);
}

std::vector<uint8_t> expected_na(uint8_t flags, uint8_t checksum_hi, uint8_t checksum_lo) {
  return {// Ethernet: 33:33:00:00:00:01 (ff02::1), our MAC, EtherType IPv6
          0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x86, 0xdd,
          // IPv6: version 6, class 0, flow 0; payload 32; next header ICMPv6 (58); hop limit 255
          0x60, 0, 0, 0, 0, 32, 58, 255,
          // source: the VIP 2001:db8::10
          0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
          // destination: ff02::1
          0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
          // ICMPv6: type 136, code 0, checksum
          136, 0, checksum_hi, checksum_lo,
          // flags (R 0x80, S 0x40, O 0x20) and reserved
          flags, 0, 0, 0,
          // target: the VIP
          0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
          // option: target link-layer address (2), length 1 (8 bytes), our MAC
          2, 1, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
}

// The checksums below were computed independently (RFC 1071 over the RFC 8200
// pseudo-header and the ICMPv6 message) with a short Python script.
TEST(BuildUnsolicitedNaFrame, OverridesFromTheVipToAllNodes) {
  EXPECT_EQ(build_unsolicited_na_frame(kOurMac, *IpAddress::parse("2001:db8::10")),
            expected_na(0x20, 0x92, 0x74));
}

TEST(BuildUnsolicitedNaFrame, SetsTheRouterFlagWhenAsked) {
  EXPECT_EQ(
      build_unsolicited_na_frame(kOurMac, *IpAddress::parse("2001:db8::10"), {.router = true}),
      expected_na(0xa0, 0x12, 0x74));
}

// Verifying the checksum the way a receiver does: the one's complement sum
// of pseudo-header and message, checksum included, is 0xffff.
TEST(BuildUnsolicitedNaFrame, ChecksumVerifiesForAnotherVip) {
  auto vip = *IpAddress::parse("2001:db8::ab:cdef");
  auto frame = build_unsolicited_na_frame(kOurMac, vip);
  ASSERT_EQ(frame.size(), 86u);
  uint32_t sum = 0;
  auto add_words = [&](const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  };
  add_words(frame.data() + 22, 32);  // source and destination addresses
  sum += 32 + 58;                    // upper-layer length, next header
  add_words(frame.data() + 54, 32);  // the ICMPv6 message
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  EXPECT_EQ(sum, 0xffffu);
}

TEST(MacAddressToString, IsLowerCaseColonSeparated) {
  EXPECT_EQ(to_string(MacAddress{0x02, 0xab, 0, 0x0f, 0x10, 0xff}), "02:ab:00:0f:10:ff");
}

}  // namespace
}  // namespace keepvip::net
