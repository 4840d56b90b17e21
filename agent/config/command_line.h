// Splits a script line from the config ("/scripts/notify.sh master 192.0.2.1")
// into an argv the way keepalived does, so scripts run without a shell and
// receive exactly the words their authors wrote.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace keepvip::config {

// Words are separated by blanks. Double and single quotes group words and may
// sit inside a word ("a'b c'd" is one word: "ab cd"). A backslash outside
// single quotes takes the next character literally. An unterminated quote or
// a trailing backslash is an error; an empty line gives an empty argv.
Result<std::vector<std::string>> split_command_line(std::string_view line);

}  // namespace keepvip::config
