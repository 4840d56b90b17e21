#include "common/read_file.h"

#include <unistd.h>

namespace keepvip {

Result<std::string> read_to_end(int fd, const std::string& name, size_t max_bytes) {
  std::string content;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_os_error("read " + name);
    }
    if (n == 0) return content;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > max_bytes)
      return os_error(EFBIG, name + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
}

}  // namespace keepvip
