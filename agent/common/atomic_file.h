// Replacing a file so that a reader never sees half of it and nobody can
// redirect the write: the one way keepvip writes a file (the crash hand-over
// record, the pid file, the dumps keepvipd writes on signals).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace keepvip {

// Replaces `path` with `content`: a temp file beside it under a name nobody
// can guess (O_CREAT|O_EXCL|O_NOFOLLOW, mode `mode` whatever the umask),
// fsync, rename. On failure the temp file is gone and `path` is untouched.
Result<> write_file_atomically(const std::string& path, std::string_view content, mode_t mode);

}  // namespace keepvip
