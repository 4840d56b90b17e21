#include "guard/null_guard.h"

namespace keepvip::guard {

Result<std::string> NullGuard::attach(int, const std::string&) {
  return std::string("none");
}

Result<> NullGuard::configure(const std::vector<ports::GuardInstance>&) {
  return {};
}

Result<> NullGuard::set_role(int, uint8_t, Family, vrrp::State) {
  return {};
}

std::vector<ports::RouterCounters> NullGuard::counters() const {
  return {};
}

int NullGuard::event_fd() const {
  return -1;
}

void NullGuard::drain(const EvidenceCallback&) {}

void NullGuard::detach_all() {}

}  // namespace keepvip::guard
