#include "daemon/icmp_echo.h"

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

std::vector<uint8_t> build_echo_request(Family family, uint16_t id, uint16_t seq) {
  std::vector<uint8_t> m(kEchoHeader + 8, 0);
  m[0] = family == Family::V4 ? kEchoRequestV4 : kEchoRequestV6;
  m[4] = static_cast<uint8_t>(id >> 8);
  m[5] = static_cast<uint8_t>(id);
  m[6] = static_cast<uint8_t>(seq >> 8);
  m[7] = static_cast<uint8_t>(seq);
  const char payload[8] = {'k', 'e', 'e', 'p', 'v', 'i', 'p', '1'};
  for (size_t i = 0; i < 8; ++i) m[kEchoHeader + i] = static_cast<uint8_t>(payload[i]);
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
  } else {
    if (icmp.size() < kEchoHeader || icmp[0] != kEchoReplyV6 || icmp[1] != 0) return std::nullopt;
  }
  return EchoReply{read16(icmp, 4), read16(icmp, 6)};
}

}  // namespace keepvip::daemon
