// Whether a process counts for a vrrp_track_process, by keepalived 2.2.8's
// rules (track_process.c): the process name (comm, at most 15 characters)
// equal to `process`, or with full_command the command line's first word
// equal to it, and then, with param_match, the words after it:
//   exact   - exactly the configured parameters (none if none configured);
//   partial - the configured parameters, whole words, then anything;
//   initial - as partial, but the last configured parameter may be only
//             the start of the process's word.
// Pure: the command line is /proc/PID/cmdline's bytes (a NUL after each word).
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace keepvip::daemon {

bool process_matches(const config::TrackedProcess& spec, std::string_view comm,
                     std::string_view cmdline);

// What the kernel side filters on for `spec`: its comm, or its argv[0].
std::string watched_name(const config::TrackedProcess& spec);

}  // namespace keepvip::daemon
