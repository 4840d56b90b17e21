#include "vrrp/ah_sequence.h"

namespace keepvip::vrrp {
namespace {

constexpr uint32_t kLastBeforeCycle = 0xfffffffd;

}  // namespace

uint32_t AhSequence::next_to_send() {
  if (counter_ > kLastBeforeCycle)
    cycled_ = true;
  else
    ++counter_;
  return counter_;
}

bool AhSequence::accept(uint32_t received) {
  if (received <= counter_) return false;
  counter_ = received;
  return true;
}

void AhSequence::sync_past(uint32_t received) {
  counter_ = received + 1;
  cycled_ = false;
}

void AhSequence::on_becoming_master() {
  if (!cycled_) return;
  cycled_ = false;
  counter_ = 0;
}

}  // namespace keepvip::vrrp
