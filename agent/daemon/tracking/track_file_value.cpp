#include "daemon/tracking/track_file_value.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

#include "common/fd.h"
#include "common/log.h"

namespace keepvip::daemon {
namespace {

// keepalived reads at most this many bytes (a 128-byte buffer).
constexpr size_t kReadLimit = 127;

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// strtol(text, NULL, 0) without its locale and errno: nullopt on overflow.
std::optional<int64_t> strtol_base0(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  int base = 10;
  if (i < text.size() && text[i] == '0') {
    base = 8;
    // "0x" counts as a prefix only before a hex digit; "0xg" reads as 0.
    bool hex_prefix = i + 2 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X') &&
                      digit_value(text[i + 2]) < 16;
    if (hex_prefix) {
      base = 16;
      i += 2;
    }
  }
  // Accumulated as a magnitude below 2^63 + 1, so LONG_MIN still fits.
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  uint64_t magnitude = 0;
  bool overflow = false;
  for (; i < text.size() && digit_value(text[i]) < base; ++i) {
    uint64_t next = magnitude * base + digit_value(text[i]);
    if (magnitude > (kLimit / base) || next > kLimit) overflow = true;
    magnitude = next;
  }
  if (overflow || (!negative && magnitude == kLimit)) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

}  // namespace

std::optional<int64_t> parse_track_file_value(std::string_view content) {
  content = content.substr(0, std::min(content.size(), kReadLimit));
  auto value = strtol_base0(content);
  if (!value) return std::nullopt;
  if (*value < int64_t{INT32_MIN} || *value > int64_t{INT32_MAX} + 1) return std::nullopt;
  return value;
}

std::optional<int64_t> read_track_file_value(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return 0;
  char buffer[kReadLimit];
  ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
  if (n <= 0) return 0;
  std::string_view content(buffer, static_cast<size_t>(n));
  auto value = parse_track_file_value(content);
  if (!value) {
    // keepalived logs the number strtol returned; the text says the same.
    std::string shown(content.substr(0, content.find('\n')));
    log_info("Invalid number " + shown + " read from " + path + " - ignoring");
  }
  return value;
}

std::optional<std::string> resolve_track_file_path(const std::string& path) {
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved)) return std::string(resolved);
  if (errno != ENOENT) return std::nullopt;
  auto slash = path.rfind('/');
  std::string directory = slash == std::string::npos ? "." : path.substr(0, slash);
  if (directory.empty()) directory = "/";
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  struct stat st {};
  if (!::realpath(directory.c_str(), resolved) || ::stat(resolved, &st) != 0 ||
      !S_ISDIR(st.st_mode))
    return std::nullopt;
  std::string dir(resolved);
  return (dir == "/" ? dir : dir + "/") + name;
}

}  // namespace keepvip::daemon
