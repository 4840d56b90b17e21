#include <gtest/gtest.h>

#include <array>

#include "advert_test_support.h"
#include "keepalived_vectors.h"
#include "proto/advert.h"

namespace keepvip::proto {
namespace {

TEST(InternetChecksum, MatchesRfc1071Example) {
  // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
  const std::array<uint8_t, 8> data = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(internet_checksum(data), 0x220d);
}

TEST(InternetChecksum, PadsAnOddTrailingByte) {
  const std::array<uint8_t, 3> odd = {0x12, 0x34, 0x56};
  const std::array<uint8_t, 4> padded = {0x12, 0x34, 0x56, 0x00};
  EXPECT_EQ(internet_checksum(odd), internet_checksum(padded));
  EXPECT_EQ(internet_checksum(odd), static_cast<uint16_t>(~(0x1234 + 0x5600) & 0xffff));
}

TEST(InternetChecksum, SeedAddsAPartialSum) {
  const std::array<uint8_t, 2> word = {0x00, 0x01};
  EXPECT_EQ(internet_checksum(word, 0x0002), static_cast<uint16_t>(~0x0003 & 0xffff));
  // Carries out of 16 bits wrap around (one's complement).
  const std::array<uint8_t, 2> big = {0xff, 0xff};
  EXPECT_EQ(internet_checksum(big, 0x0001), static_cast<uint16_t>(~0x0001 & 0xffff));
}

TEST(InternetChecksum, OfAnIntactV2AdvertIsZero) {
  EXPECT_EQ(internet_checksum(vectors::kV2Pass), 0);
  EXPECT_EQ(internet_checksum(vectors::kV2PassShutdown), 0);
}

TEST(InternetChecksum, IsTheCapturedIpv4HeaderChecksum) {
  // Cross-check against the kernel's own arithmetic: the IPv4 header of a
  // captured packet sums to zero.
  EXPECT_EQ(internet_checksum(std::span(vectors::kV2PassIpv4Packet).first(20)), 0);
  EXPECT_EQ(internet_checksum(std::span(vectors::kV3Ipv4Packet).first(20)), 0);
}

}  // namespace
}  // namespace keepvip::proto
