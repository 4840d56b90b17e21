// ICMP / ICMPv6 echo messages for arbitration (reference_ip): the request a
// probe sends and the recognition of its reply. Pure, unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/ip_address.h"

namespace keepvip::daemon {

// Echo request (ICMP type 8, or ICMPv6 type 128) with 8 bytes of payload.
// The IPv4 checksum is filled in; for ICMPv6 the kernel computes it (it
// needs the pseudo-header with the source the kernel picks).
std::vector<uint8_t> build_echo_request(Family family, uint16_t id, uint16_t seq);

struct EchoReply {
  uint16_t id = 0;
  uint16_t seq = 0;
};

// Recognises an echo reply in what a raw socket returned: IPv4 raw sockets
// include the IP header, IPv6 ones do not. nullopt for anything else.
std::optional<EchoReply> parse_echo_reply(Family family, std::span<const uint8_t> packet);

}  // namespace keepvip::daemon
