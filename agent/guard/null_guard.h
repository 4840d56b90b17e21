// The guard used when BPF is off (--no-bpf) or could not be loaded: no
// in-kernel filtering, no kernel counters, no kernel split-brain evidence.
// Every call succeeds so the daemon runs the same code path either way.
#pragma once

#include <string>
#include <vector>

#include "ports/guard.h"

namespace keepvip::guard {

class NullGuard final : public ports::Guard {
 public:
  Result<ports::GuardAttachment> attach(int ifindex, const std::string& ifname) override;
  Result<> configure(const std::vector<ports::GuardInstance>& instances) override;
  Result<> set_role(int ifindex, uint8_t vrid, Family family, vrrp::State state) override;
  Result<> set_master(int ifindex, uint8_t vrid, Family family,
                      const std::optional<IpAddress>& master) override;
  std::vector<ports::RouterCounters> counters() const override;
  int event_fd() const override;  // -1: nothing to poll
  void drain(const EvidenceCallback& cb) override;
  void detach(int ifindex) override;
  void detach_all() override;
};

}  // namespace keepvip::guard
