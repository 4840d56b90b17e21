#include "common/time.h"

#include <time.h>

namespace keepvip {

MonoTime monotonic_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return MonoTime{Usec{static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000}};
}

}  // namespace keepvip
