#include "daemon/tracking/icmp_echo.h"

#include <gtest/gtest.h>

#include "proto/advert.h"

namespace keepvip::daemon {
namespace {

using Bytes = std::vector<uint8_t>;

EchoProbe probe(uint16_t id = 0x1234, uint16_t seq = 7) {
  return EchoProbe{id, seq, {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04}};
}

TEST(IcmpEcho, Ipv4RequestBytes) {
  Bytes m = build_echo_request(Family::V4, probe());
  ASSERT_EQ(m.size(), 16u);
  EXPECT_EQ(m[0], 8);  // echo request
  EXPECT_EQ(m[1], 0);
  EXPECT_EQ(Bytes(m.begin() + 4, m.begin() + 8), (Bytes{0x12, 0x34, 0x00, 0x07}));
  EXPECT_EQ(Bytes(m.begin() + 8, m.end()), (Bytes{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4}));
  // A correct Internet checksum sums to zero over the whole message.
  EXPECT_EQ(proto::internet_checksum(m), 0);
}

TEST(IcmpEcho, Ipv6RequestLeavesTheChecksumToTheKernel) {
  Bytes m = build_echo_request(Family::V6, probe(1, 2));
  EXPECT_EQ(m[0], 128);
  EXPECT_EQ(m[2], 0);
  EXPECT_EQ(m[3], 0);
}

// What the reference sends back for `request`, behind a 20-byte IPv4 header:
// the request with type 0 and the checksum fixed.
Bytes ipv4_reply_to(const Bytes& request, uint8_t type = 0) {
  Bytes p = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 192, 0, 2, 254, 192, 0, 2, 1};
  p[3] = static_cast<uint8_t>(20 + request.size());
  Bytes icmp = request;
  icmp[0] = type;
  icmp[2] = icmp[3] = 0;
  uint16_t sum = proto::internet_checksum(icmp);
  icmp[2] = static_cast<uint8_t>(sum >> 8);
  icmp[3] = static_cast<uint8_t>(sum);
  p.insert(p.end(), icmp.begin(), icmp.end());
  return p;
}

Bytes ipv6_reply_to(const Bytes& request) {
  Bytes icmp = request;
  icmp[0] = 129;
  return icmp;
}

TEST(IcmpEcho, RecognisesAnIpv4ReplyAfterTheIpHeader) {
  auto packet = ipv4_reply_to(build_echo_request(Family::V4, probe(0xbeef, 42)));
  auto reply = parse_echo_reply(Family::V4, packet);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->id, 0xbeef);
  EXPECT_EQ(reply->seq, 42);
  EXPECT_EQ(reply->payload.size(), kEchoCookieBytes);
  EXPECT_TRUE(answers(Family::V4, packet, probe(0xbeef, 42)));
}

TEST(IcmpEcho, RecognisesAnIpv6Reply) {
  auto packet = ipv6_reply_to(build_echo_request(Family::V6, probe(9, 256)));
  auto reply = parse_echo_reply(Family::V6, packet);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->id, 9);
  EXPECT_EQ(reply->seq, 256);
  EXPECT_TRUE(answers(Family::V6, packet, probe(9, 256)));
}

TEST(IcmpEcho, IgnoresEverythingElse) {
  Bytes request = build_echo_request(Family::V4, probe(1, 1));
  EXPECT_FALSE(parse_echo_reply(Family::V4, ipv4_reply_to(request, 8)).has_value());  // request
  EXPECT_FALSE(parse_echo_reply(Family::V4, ipv4_reply_to(request, 3)).has_value());  // unreach
  auto truncated = ipv4_reply_to(request);
  truncated.resize(24);
  EXPECT_FALSE(parse_echo_reply(Family::V4, truncated).has_value());
  EXPECT_FALSE(parse_echo_reply(Family::V6, Bytes{128, 0, 0, 0, 0, 1, 0, 1}).has_value());
}

// A flooder who does not see our requests knows the reference's address, and
// may guess the id and sequence number; it cannot guess the cookie.
TEST(IcmpEcho, AReplyMustCarryTheRequestsIdSequenceAndCookie) {
  for (Family family : {Family::V4, Family::V6}) {
    auto reply = [&](const EchoProbe& p) {
      Bytes request = build_echo_request(family, p);
      return family == Family::V4 ? ipv4_reply_to(request) : ipv6_reply_to(request);
    };
    EchoProbe sent = probe();
    EXPECT_TRUE(answers(family, reply(sent), sent));

    EchoProbe wrong_id = sent;
    wrong_id.id ^= 1;
    EXPECT_FALSE(answers(family, reply(wrong_id), sent));

    EchoProbe wrong_seq = sent;
    wrong_seq.seq += 1;
    EXPECT_FALSE(answers(family, reply(wrong_seq), sent));

    EchoProbe wrong_cookie = sent;
    wrong_cookie.cookie[7] ^= 0x80;
    EXPECT_FALSE(answers(family, reply(wrong_cookie), sent));

    // The old fixed payload, as any keepvip before the cookie sent it.
    EchoProbe fixed = sent;
    fixed.cookie = {'k', 'e', 'e', 'p', 'v', 'i', 'p', '1'};
    EXPECT_FALSE(answers(family, reply(fixed), sent));

    Bytes cut = reply(sent);
    cut.resize(cut.size() - 1);  // the cookie's last byte missing
    EXPECT_FALSE(answers(family, cut, sent));
    Bytes header_only = reply(sent);
    header_only.resize(header_only.size() - kEchoCookieBytes);
    EXPECT_FALSE(answers(family, header_only, sent));
  }
}

TEST(IcmpEcho, Ipv4ReplyWithABadChecksumIsIgnored) {
  // The kernel hands raw IPv4 sockets ICMP messages before checking them.
  auto packet = ipv4_reply_to(build_echo_request(Family::V4, probe()));
  packet[22] ^= 0xff;
  EXPECT_FALSE(answers(Family::V4, packet, probe()));
}

}  // namespace
}  // namespace keepvip::daemon
