#include "config/values.h"

#include <charconv>

namespace keepvip::config::detail {
namespace {

// Keeps user text in messages short and printable.
std::string quote(std::string_view text) {
  std::string out = "'";
  for (char c : text.substr(0, 64)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (text.size() > 64) out += "...";
  return out + "'";
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Parsed<int64_t> parse_integer(std::string_view text, int64_t min, int64_t max) {
  auto expected = [&] {
    return "expected an integer in " + std::to_string(min) + ".." + std::to_string(max) + ", got " +
           quote(text);
  };
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (!all_digits(digits)) return keepvip::unexpected(expected());
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    return keepvip::unexpected(expected());
  }
  return value;
}

Parsed<Usec> parse_seconds(std::string_view text, Usec min, Usec max) {
  auto expected = [&] {
    return "expected seconds in " + format_seconds(min) + ".." + format_seconds(max) + ", got " +
           quote(text);
  };
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(fraction))) {
    return keepvip::unexpected(expected());
  }
  if (fraction.size() > 6) {
    return keepvip::unexpected("expected at most 6 decimals (microseconds), got " + quote(text));
  }
  // More than 9 digits of seconds overflows nothing but is far beyond any bound.
  if (whole.size() > 9) return keepvip::unexpected(expected());
  int64_t seconds = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  int64_t micros = 0;
  for (size_t i = 0; i < 6; ++i)
    micros = micros * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  Usec value{seconds * 1'000'000 + micros};
  if (value < min || value > max) return keepvip::unexpected(expected());
  return value;
}

Parsed<IpAddress> parse_address(std::string_view text) {
  // inet_pton would stop at an embedded NUL and accept what precedes it.
  auto address = text.find('\0') == std::string_view::npos ? IpAddress::parse(text) : std::nullopt;
  if (!address) return keepvip::unexpected("expected an IPv4 or IPv6 address, got " + quote(text));
  return *address;
}

Parsed<IpPrefix> parse_prefix(std::string_view text) {
  auto slash = text.find('/');
  auto address = text.find('\0') == std::string_view::npos ? IpAddress::parse(text.substr(0, slash))
                                                           : std::nullopt;
  if (!address) {
    return keepvip::unexpected("expected an IPv4 or IPv6 address[/prefix], got " + quote(text));
  }
  int64_t max_len = address->is_v4() ? 32 : 128;
  if (slash == std::string_view::npos) {
    return IpPrefix{*address, static_cast<uint8_t>(max_len)};
  }
  std::string_view len_text = text.substr(slash + 1);
  if (!all_digits(len_text) || len_text.size() > 3) {
    return keepvip::unexpected("expected a prefix length after '/', got " + quote(text));
  }
  int64_t len = 0;
  std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (len > max_len) {
    return keepvip::unexpected("prefix length " + std::to_string(len) + " is too long for " +
                               std::string(to_string(address->family())) + " (at most " +
                               std::to_string(max_len) + "), got " + quote(text));
  }
  return IpPrefix{*address, static_cast<uint8_t>(len)};
}

std::string format_seconds(Usec value) {
  int64_t us = value.count();
  std::string out = std::to_string(us / 1'000'000);
  int64_t fraction = us % 1'000'000;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 6 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + "s";
}

}  // namespace keepvip::config::detail
