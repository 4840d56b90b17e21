// Picks the guard implementation for the daemon.
#pragma once

#include <memory>

#include "ports/guard.h"

namespace keepvip::guard {

// enabled=false (--no-bpf) or a failed BPF load returns a NullGuard and logs
// one line saying what is lost (kernel filtering, kernel counters, kernel
// split-brain evidence). Never returns nullptr.
std::unique_ptr<ports::Guard> make_guard(bool enabled);

}  // namespace keepvip::guard
