// `keepvipd --stats`: asks the running agent (SIGUSR1) to write its
// counters and prints them (the publisher writes RUNTIME_DIR/stats).
#pragma once

#include <string>

namespace keepvip::daemon {

// Returns the process exit code.
int print_running_stats(const std::string& runtime_dir);

}  // namespace keepvip::daemon
