// Reading a whole file through an already opened descriptor, with a size
// bound: the configuration reader and the runtime files both refuse anything
// larger than they could mean, and open their files with their own checks.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"

namespace keepvip {

// Reads `fd` to its end; fails with EFBIG past `max_bytes`. `name` is for
// the messages.
Result<std::string> read_to_end(int fd, const std::string& name, size_t max_bytes);

}  // namespace keepvip
