// An IPv4 or IPv6 address as a value: parsed from text, compared in network
// byte order (VRRP breaks priority ties by the numerically higher address).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace keepvip {

enum class Family : uint8_t { V4, V6 };

std::string_view to_string(Family f);
int to_af(Family f);  // AF_INET / AF_INET6

class IpAddress {
 public:
  IpAddress() = default;  // 0.0.0.0

  static IpAddress v4(std::array<uint8_t, 4> bytes);
  static IpAddress v6(std::array<uint8_t, 16> bytes);
  // Builds from raw network-order bytes; size must be 4 or 16.
  static std::optional<IpAddress> from_bytes(std::span<const uint8_t> bytes);
  // Accepts dotted quad or any inet_pton IPv6 form; nothing else.
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::V4; }
  bool is_v6() const { return family_ == Family::V6; }
  // Network-order bytes: 4 for IPv4, 16 for IPv6.
  std::span<const uint8_t> bytes() const {
    return {bytes_.data(), is_v4() ? size_t{4} : size_t{16}};
  }
  bool is_ipv6_link_local() const;  // fe80::/10
  bool is_multicast() const;
  bool is_unspecified() const;
  std::string to_string() const;

  // Same family: byte-wise (numeric) order. IPv4 sorts before IPv6.
  friend std::strong_ordering operator<=>(const IpAddress& a, const IpAddress& b);
  friend bool operator==(const IpAddress& a, const IpAddress& b) = default;

 private:
  Family family_ = Family::V4;
  std::array<uint8_t, 16> bytes_{};
};

// An address with a prefix length, e.g. 192.0.2.10/24.
struct IpPrefix {
  IpAddress address;
  uint8_t prefix_len = 32;
  // "A.B.C.D[/N]" or "X::Y[/N]"; without /N the host length (32 or 128).
  static std::optional<IpPrefix> parse(std::string_view text);
  std::string to_string() const;
  friend bool operator==(const IpPrefix&, const IpPrefix&) = default;
};

}  // namespace keepvip
