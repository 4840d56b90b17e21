// Parsers for the values keywords take. Each returns the value or a message
// saying what was expected ("expected an integer in 1..255, got '300'"), which
// the caller turns into a diagnostic at the argument's location.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/expected.h"
#include "common/ip_address.h"
#include "common/time.h"

namespace keepvip::config::detail {

template <typename T>
using Parsed = Expected<T, std::string>;

// Decimal integer, optional leading '-', within [min, max].
Parsed<int64_t> parse_integer(std::string_view text, int64_t min, int64_t max);

// Decimal seconds with up to six fractional digits ("1", "0.5", "2.25"),
// within [min, max].
Parsed<Usec> parse_seconds(std::string_view text, Usec min, Usec max);

// An IPv4 or IPv6 address without prefix.
Parsed<IpAddress> parse_address(std::string_view text);

// ADDR or ADDR/LEN; tells a bad address from a prefix too long for its family.
Parsed<IpPrefix> parse_prefix(std::string_view text);

// "1.5s"-style rendering used in messages: seconds with the needed decimals.
std::string format_seconds(Usec value);

}  // namespace keepvip::config::detail
