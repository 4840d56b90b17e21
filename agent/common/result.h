// The one error idiom of keepvip (see docs/architecture.md):
//  - code that touches the OS or parses input returns Result<T>; the Error
//    carries errno (0 when the failure is not an OS error) and what was being
//    attempted, so the caller can log one line that says everything;
//  - exceptions are used only for fatal start-up misconfiguration and are
//    caught in main().
#pragma once

#include <cerrno>
#include <string>
#include <utility>

#include "common/expected.h"

namespace keepvip {

struct Error {
  int errnum = 0;       // errno value, or 0 for a logical error
  std::string context;  // what was attempted, e.g. "add 192.0.2.10/24 to eth0"

  // "context: strerror(errnum)" or just "context".
  std::string describe() const;
};

template <typename T = void>
using Result = Expected<T, Error>;

inline Unexpected<Error> os_error(int errnum, std::string context) {
  return keepvip::unexpected(Error{errnum, std::move(context)});
}

// Captures the current errno; call right after the failing system call.
inline Unexpected<Error> last_os_error(std::string context) {
  return os_error(errno, std::move(context));
}

inline Unexpected<Error> logic_error(std::string context) {
  return keepvip::unexpected(Error{0, std::move(context)});
}

}  // namespace keepvip
