// ICMP / ICMPv6 echo messages for arbitration (reference_ip): the request a
// probe sends and the recognition of its reply. Pure, unit-tested.
//
// A reply counts only when it carries back the request's id, sequence number
// and cookie: a random 8-byte payload drawn for each request. A host that
// does not see our requests cannot guess it, so flooding forged echo replies
// cannot make a dead reference look alive.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/ip_address.h"

namespace keepvip::daemon {

inline constexpr size_t kEchoCookieBytes = 8;
using EchoCookie = std::array<uint8_t, kEchoCookieBytes>;

struct EchoProbe {
  uint16_t id = 0;
  uint16_t seq = 0;
  EchoCookie cookie{};
};

// Echo request (ICMP type 8, or ICMPv6 type 128) whose payload is the cookie.
// The IPv4 checksum is filled in; for ICMPv6 the kernel computes it (it needs
// the pseudo-header with the source the kernel picks).
std::vector<uint8_t> build_echo_request(Family family, const EchoProbe& probe);

struct EchoReply {
  uint16_t id = 0;
  uint16_t seq = 0;
  std::span<const uint8_t> payload;  // points into the packet
};

// Recognises an echo reply in what a raw socket returned: IPv4 raw sockets
// include the IP header, IPv6 ones do not. nullopt for anything else,
// including an IPv4 message whose ICMP checksum is wrong (the kernel hands
// those to raw sockets; for ICMPv6 it checks them itself).
std::optional<EchoReply> parse_echo_reply(Family family, std::span<const uint8_t> packet);

// Whether `packet` answers `probe`: same id, sequence number and cookie.
bool answers(Family family, std::span<const uint8_t> packet, const EchoProbe& probe);

}  // namespace keepvip::daemon
