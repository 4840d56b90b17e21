// Timer arithmetic in integer microseconds, rounding down the way keepalived
// 2.2.7 does (VRRP_TIMER_SKEW in vrrp.h), so both agents compute the same
// Master_Down_Interval to the microsecond.
#include "vrrp/timers.h"

#include <algorithm>

namespace keepvip::vrrp {
namespace {

constexpr int64_t kUsecPerCentisecond = 10'000;
constexpr int64_t kUsecPerSecond = 1'000'000;
constexpr int64_t kMaxCentiseconds = 0xffff;

}  // namespace

Usec skew_time(uint8_t version, uint8_t priority, Usec master_adver_interval) {
  const int64_t weight = 256 - priority;
  // RFC 3768 §6.1 ties v2's skew to one second; RFC 9568 §6.1 scales it by
  // the master's interval.
  const int64_t base = version == 2 ? kUsecPerSecond : master_adver_interval.count();
  return Usec{weight * base / 256};
}

Usec master_down_interval(uint8_t version, uint8_t priority, Usec master_adver_interval,
                          unsigned adverts) {
  return static_cast<int64_t>(adverts) * master_adver_interval +
         skew_time(version, priority, master_adver_interval);
}

Usec from_centiseconds(uint16_t cs) {
  return Usec{cs * kUsecPerCentisecond};
}

uint16_t to_centiseconds(Usec interval) {
  const int64_t cs = (interval.count() + kUsecPerCentisecond / 2) / kUsecPerCentisecond;
  return static_cast<uint16_t>(std::clamp<int64_t>(cs, 0, kMaxCentiseconds));
}

}  // namespace keepvip::vrrp
