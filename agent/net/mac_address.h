// An Ethernet (EUI-48) address as a value.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace keepvip::net {

using MacAddress = std::array<uint8_t, 6>;

inline constexpr MacAddress kBroadcastMac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

// "aa:bb:cc:dd:ee:ff"
std::string to_string(const MacAddress& mac);

}  // namespace keepvip::net
