#include "daemon/tracking/icmp_echo.h"

#include <algorithm>

#include "proto/advert.h"

namespace keepvip::daemon {
namespace {

constexpr uint8_t kEchoRequestV4 = 8;
constexpr uint8_t kEchoReplyV4 = 0;
constexpr uint8_t kEchoRequestV6 = 128;
constexpr uint8_t kEchoReplyV6 = 129;
constexpr uint8_t kIpProtoIcmp = 1;
constexpr size_t kEchoHeader = 8;

uint16_t read16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

}  // namespace

std::vector<uint8_t> build_echo_request(Family family, const EchoProbe& probe) {
  std::vector<uint8_t> m(kEchoHeader + kEchoCookieBytes, 0);
  m[0] = family == Family::V4 ? kEchoRequestV4 : kEchoRequestV6;
  m[4] = static_cast<uint8_t>(probe.id >> 8);
  m[5] = static_cast<uint8_t>(probe.id);
  m[6] = static_cast<uint8_t>(probe.seq >> 8);
  m[7] = static_cast<uint8_t>(probe.seq);
  std::copy(probe.cookie.begin(), probe.cookie.end(), m.begin() + kEchoHeader);
  if (family == Family::V4) {
    uint16_t sum = proto::internet_checksum(m);
    m[2] = static_cast<uint8_t>(sum >> 8);
    m[3] = static_cast<uint8_t>(sum);
  }
  return m;
}

std::optional<EchoReply> parse_echo_reply(Family family, std::span<const uint8_t> packet) {
  std::span<const uint8_t> icmp = packet;
  if (family == Family::V4) {
    if (packet.size() < 20 || (packet[0] >> 4) != 4) return std::nullopt;
    size_t ihl = static_cast<size_t>(packet[0] & 0x0f) * 4;
    if (ihl < 20 || packet.size() < ihl + kEchoHeader || packet[9] != kIpProtoIcmp)
      return std::nullopt;
    icmp = packet.subspan(ihl);
    if (icmp[0] != kEchoReplyV4 || icmp[1] != 0) return std::nullopt;
    if (proto::internet_checksum(icmp) != 0) return std::nullopt;
  } else {
    if (icmp.size() < kEchoHeader || icmp[0] != kEchoReplyV6 || icmp[1] != 0) return std::nullopt;
  }
  return EchoReply{read16(icmp, 4), read16(icmp, 6), icmp.subspan(kEchoHeader)};
}

bool answers(Family family, std::span<const uint8_t> packet, const EchoProbe& probe) {
  auto reply = parse_echo_reply(family, packet);
  return reply && reply->id == probe.id && reply->seq == probe.seq &&
         reply->payload.size() == probe.cookie.size() &&
         std::equal(probe.cookie.begin(), probe.cookie.end(), reply->payload.begin());
}

}  // namespace keepvip::daemon
