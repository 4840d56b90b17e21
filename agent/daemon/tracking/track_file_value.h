// What a tracked file says, read as keepalived 2.2.8 reads it
// (trackers/track_file.c): the first 127 bytes, a number in C's strtol
// base-0 syntax (leading blanks, a sign, 0x for hex, a leading 0 for octal;
// anything after the number is ignored). A missing, unreadable or empty
// file, or one that does not start with a number, reads as 0. A number
// outside -2147483648..2147483648 is ignored: the previous value stands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keepvip::daemon {

// Parses the file's content; nullopt when the number is out of range
// (keepalived: "Invalid number N read from PATH - ignoring").
std::optional<int64_t> parse_track_file_value(std::string_view content);

// Reads `path` as above; nullopt when its number is out of range (logged).
std::optional<int64_t> read_track_file_value(const std::string& path);

// The path that is watched: the file's own real path when it exists (a
// symlink is followed, as keepalived does), else the real path of its
// directory plus its name; nullopt when the directory does not exist.
std::optional<std::string> resolve_track_file_path(const std::string& path);

}  // namespace keepvip::daemon
