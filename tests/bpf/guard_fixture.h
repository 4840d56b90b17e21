// Loads the real guard programs and runs them on crafted frames through
// bpf_prog_test_run_opts. Skips without root; a root run that cannot load
// the programs is a failure (the verifier rejected them).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <vector>

#include "guard/bpf_guard.h"

namespace keepvip::test {

enum class Program { Xdp, TcIngress };
enum class Verdict { Pass, Drop };

std::string to_string(Program p);
inline void PrintTo(Verdict v, std::ostream* os) {
  *os << (v == Verdict::Pass ? "PASS" : "DROP");
}

struct SeenEvent {
  uint8_t vrid = 0;  // our instance
  int ifindex = 0;
  vrrp::SplitBrainEvidence evidence;
};

class GuardFixture : public ::testing::Test {
 protected:
  // The instances every data-path test runs against, all on the loopback
  // (ifindex 1: bpf_prog_test_run_opts receives frames there):
  //  VRID 51 v2 IPv4, PASS "secret", 1 s, prio 100, us 192.0.2.50, VIP 192.0.2.10
  //  VRID 61 v3 IPv4, 0.5 s, prio 100, us 192.0.2.50, VIP 192.0.2.20
  //  VRID 71 v3 IPv6, 1 s, prio 100, us fe80::50, VIP 2001:db8::10
  //  VRID 81 v2 IPv4 unicast, no auth, 1 s, VIP 192.0.2.30, peers 192.0.2.51 and .52
  //  VRID 82 the same with check_unicast_src, VIPs 192.0.2.40 and .41
  //  VRID 91 v2 IPv4, auth_type AH "secret", 1 s, VIP 192.0.2.60
  static std::vector<ports::GuardInstance> instances();
  static constexpr int kIfindex = 1;

  void SetUp() override;

  Verdict run(Program p, const std::vector<uint8_t>& frame, uint32_t repeat = 1);
  std::optional<ports::RouterCounters> router(uint8_t vrid, const std::string& source) const;
  void set_role(uint8_t vrid, Family family, vrrp::State state);
  std::vector<SeenEvent> drain();

  std::unique_ptr<guard::BpfGuard> guard_;
};

}  // namespace keepvip::test
