// VRRP timer arithmetic (RFC 3768 §6.1, RFC 9568 §6.1) as free functions.
#pragma once

#include <cstdint>

#include "common/time.h"

namespace keepvip::vrrp {

// v2: (256 - priority) / 256 seconds.
// v3: ((256 - priority) * Master_Adver_Interval) / 256.
Usec skew_time(uint8_t version, uint8_t priority, Usec master_adver_interval);

// 3 * Master_Adver_Interval + Skew_Time.
Usec master_down_interval(uint8_t version, uint8_t priority, Usec master_adver_interval);

// Centiseconds on the wire <-> microseconds; v3 intervals are 12-bit (max 40.95 s).
Usec from_centiseconds(uint16_t cs);
uint16_t to_centiseconds(Usec interval);

}  // namespace keepvip::vrrp
