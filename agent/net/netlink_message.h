// Internal to agent/net: writing and walking netlink messages as bytes.
// Everything is copied with memcpy, never cast in place, so unaligned or
// truncated input from the kernel (or a test) cannot cause undefined behaviour.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

namespace keepvip::net::detail {

// Builds one message: header, fixed family struct, then attributes, each
// padded to 4 bytes as NLMSG_ALIGN / RTA_ALIGN require.
class MessageWriter {
 public:
  MessageWriter(uint16_t type, uint16_t flags, uint32_t seq);

  template <typename T>
  void put_struct(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    append(std::as_bytes(std::span{&value, 1}));
  }
  void put_attribute(uint16_t type, std::span<const uint8_t> data);
  template <typename T>
  void put_attribute_value(uint16_t type, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    auto bytes = std::as_bytes(std::span{&value, 1});
    put_attribute(type, {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  }
  // Sets nlmsg_len and returns the bytes.
  std::vector<uint8_t> finish() &&;

 private:
  void append(std::span<const std::byte> bytes);
  void pad();
  std::vector<uint8_t> bytes_;
};

// One message of a received buffer: its header and its payload (after the header).
struct MessageView {
  nlmsghdr header{};
  std::span<const uint8_t> payload;
  std::span<const uint8_t> whole;  // header included
};

// Splits a buffer into messages; stops at the first malformed length.
std::vector<MessageView> split_messages(std::span<const uint8_t> buffer);

// Reads a trivially copyable struct from the front of `bytes`.
template <typename T>
std::optional<T> read_struct(std::span<const uint8_t> bytes) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (bytes.size() < sizeof(T)) return std::nullopt;
  T value;
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

// Calls `fn(type, data)` for each attribute (type without the nested /
// byte-order flag bits); stops at the first malformed one.
void for_each_attribute(std::span<const uint8_t> attributes,
                        const std::function<void(uint16_t, std::span<const uint8_t>)>& fn);

}  // namespace keepvip::net::detail
