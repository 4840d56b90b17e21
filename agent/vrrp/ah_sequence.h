// The AH sequence number of one instance, kept as keepalived 2.2.8 keeps it
// (vrrp.c, ipsecah_counter): ONE counter for what we send and what we
// accept. A received advert is taken only with a number above the counter,
// which then becomes that number, and our own adverts continue from it — so
// a backup that takes over sends numbers the old master's peers accept.
#pragma once

#include <cstdint>

namespace keepvip::vrrp {

class AhSequence {
 public:
  // The number of the next advert round. At 0xfffffffe the counter stops
  // (keepalived's "cycle"): adverts repeat the number, peers drop them, and
  // the counter restarts from 0 the next time we become MASTER.
  uint32_t next_to_send();
  // A received advert whose ICV was right: true when its number is above
  // the counter (which takes it), false for a replay.
  bool accept(uint32_t received);
  // As MASTER, an advert from a lower-priority router: keepalived jumps
  // past its number ("IPSEC-AH : Syncing seq_num - Increment seq").
  void sync_past(uint32_t received);
  // Entering MASTER: a stopped counter starts again from 0.
  void on_becoming_master();
  // A higher-priority master took over from us, or a backup heard the
  // master: the counter is no longer stuck.
  void clear_cycle() { cycled_ = false; }

  uint32_t value() const { return counter_; }
  bool cycled() const { return cycled_; }

 private:
  uint32_t counter_ = 0;
  bool cycled_ = false;
};

}  // namespace keepvip::vrrp
