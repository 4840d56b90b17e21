// UniqueFd: the one owner type for a file descriptor. Move-only; closes on
// destruction. Every descriptor the agent keeps lives inside one of these
// (sockets, BPF links, files while they are read or written).
#pragma once

#include <unistd.h>

#include <utility>

namespace keepvip {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  // Gives up ownership without closing.
  int release() { return std::exchange(fd_, -1); }
  // Closes the current fd (if any) and takes `fd`.
  void reset(int fd = -1) {
    int old = std::exchange(fd_, fd);
    // close() errors are not actionable here: the fd is gone either way.
    if (old >= 0) ::close(old);
  }

 private:
  int fd_ = -1;
};

}  // namespace keepvip
