// VRRP timer arithmetic (RFC 3768 §6.1, RFC 9568 §6.1) as free functions.
#pragma once

#include <cstdint>

#include "common/time.h"

namespace keepvip::vrrp {

// v2: (256 - priority) / 256 seconds.
// v3: ((256 - priority) * Master_Adver_Interval) / 256.
Usec skew_time(uint8_t version, uint8_t priority, Usec master_adver_interval);

// adverts * Master_Adver_Interval + Skew_Time; the RFCs' 3 adverts unless
// keepalived's down_timer_adverts says otherwise.
Usec master_down_interval(uint8_t version, uint8_t priority, Usec master_adver_interval,
                          unsigned adverts = 3);

// Centiseconds on the wire <-> microseconds; v3 intervals are 12-bit (max 40.95 s).
Usec from_centiseconds(uint16_t cs);
uint16_t to_centiseconds(Usec interval);

}  // namespace keepvip::vrrp
