// Monotonic time as the agent sees it. sd-event timers and the pure state
// machine both speak microseconds on CLOCK_MONOTONIC, so one type serves both.
#pragma once

#include <chrono>
#include <cstdint>

namespace keepvip {

using Usec = std::chrono::microseconds;

// A point on CLOCK_MONOTONIC, as microseconds since boot.
struct MonoTime {
  Usec since_boot{0};
  friend auto operator<=>(const MonoTime&, const MonoTime&) = default;
  friend MonoTime operator+(MonoTime t, Usec d) { return MonoTime{t.since_boot + d}; }
  friend Usec operator-(MonoTime a, MonoTime b) { return a.since_boot - b.since_boot; }
};

MonoTime monotonic_now();

}  // namespace keepvip
