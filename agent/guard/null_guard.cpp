#include "guard/null_guard.h"

#include "guard/bpf_owners.h"

namespace keepvip::guard {

Result<ports::GuardAttachment> NullGuard::attach(int ifindex, const std::string&) {
  // XDP links die with the process that made them, tc filters do not: a
  // guarded run that crashed in tc mode would go on filtering by its old
  // configuration under an agent that runs without the guard.
  TcFilter::remove_stale(ifindex, TcDirection::Ingress);
  TcFilter::remove_stale(ifindex, TcDirection::Egress);
  return ports::GuardAttachment{};
}

Result<> NullGuard::configure(const std::vector<ports::GuardInstance>&) {
  return {};
}

Result<> NullGuard::set_role(int, uint8_t, Family, vrrp::State) {
  return {};
}

Result<> NullGuard::set_master(int, uint8_t, Family, const std::optional<IpAddress>&) {
  return {};
}

std::vector<ports::RouterCounters> NullGuard::counters() const {
  return {};
}

int NullGuard::event_fd() const {
  return -1;
}

void NullGuard::drain(const EvidenceCallback&) {}

void NullGuard::detach(int) {}
void NullGuard::detach_all() {}

}  // namespace keepvip::guard
