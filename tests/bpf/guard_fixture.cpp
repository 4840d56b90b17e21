#include "guard_fixture.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <unistd.h>

#include <cerrno>

namespace keepvip::test {

std::string to_string(Program p) {
  return p == Program::Xdp ? "xdp" : "tc-ingress";
}

std::vector<ports::GuardInstance> GuardFixture::instances() {
  auto ip = [](const char* t) { return *IpAddress::parse(t); };
  ports::GuardInstance v2;
  v2.ifindex = kIfindex;
  v2.receive.vrid = 51;
  v2.receive.version = 2;
  v2.receive.interval_cs = 100;
  v2.receive.auth_pass = "secret";
  v2.priority = 100;
  v2.receive.local_address = ip("192.0.2.50");
  v2.own_addresses = {ip("192.0.2.50")};
  v2.receive.vips = {ip("192.0.2.10")};
  v2.vips = v2.receive.vips;

  ports::GuardInstance v3 = v2;
  v3.receive.vrid = 61;
  v3.receive.version = 3;
  v3.receive.interval_cs = 50;
  v3.receive.auth_pass.clear();
  v3.receive.vips = {ip("192.0.2.20")};
  v3.vips = v3.receive.vips;

  ports::GuardInstance v6 = v3;
  v6.receive.vrid = 71;
  v6.receive.family = Family::V6;
  v6.receive.interval_cs = 100;
  v6.receive.local_address = ip("fe80::50");
  v6.own_addresses = {ip("fe80::50")};
  v6.receive.vips = {ip("2001:db8::10")};
  v6.vips = v6.receive.vips;

  ports::GuardInstance uni = v2;
  uni.receive.vrid = 81;
  uni.receive.unicast = true;
  uni.receive.auth_pass.clear();
  uni.receive.vips = {ip("192.0.2.30")};
  uni.receive.unicast_peers = {ip("192.0.2.51"), ip("192.0.2.52")};
  uni.vips = uni.receive.vips;

  ports::GuardInstance checked = uni;
  checked.receive.vrid = 82;
  checked.receive.check_unicast_src = true;
  checked.receive.vips = {ip("192.0.2.40"), ip("192.0.2.41")};
  checked.vips = checked.receive.vips;
  ports::GuardInstance ah = v2;
  ah.receive.vrid = 91;
  ah.receive.auth_type = config::AuthType::Ah;
  ah.receive.vips = {ip("192.0.2.60")};
  ah.vips = ah.receive.vips;
  return {v2, v3, v6, uni, checked, ah};
}

void GuardFixture::SetUp() {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (CAP_BPF + CAP_NET_ADMIN) to load BPF programs";
  auto loaded = guard::BpfGuard::load();
  // EPERM: root without BPF (a locked-down kernel, a container). Not EACCES:
  // that is the verifier rejecting our programs, a failure to report.
  if (!loaded && loaded.error().errnum == EPERM) {
    GTEST_SKIP() << "BPF not permitted here: " << loaded.error().describe();
  }
  ASSERT_TRUE(loaded) << loaded.error().describe();
  guard_ = std::move(*loaded);
  auto configured = guard_->configure(instances());
  ASSERT_TRUE(configured) << configured.error().describe();
}

Verdict GuardFixture::run(Program p, const std::vector<uint8_t>& frame, uint32_t repeat) {
  bpf_test_run_opts opts{};
  opts.sz = sizeof(opts);
  opts.data_in = frame.data();
  opts.data_size_in = static_cast<uint32_t>(frame.size());
  opts.repeat = repeat;
  int fd = p == Program::Xdp ? guard_->xdp_program_fd() : guard_->tc_ingress_program_fd();
  int err = bpf_prog_test_run_opts(fd, &opts);
  EXPECT_EQ(err, 0) << "bpf_prog_test_run_opts: " << strerror(errno);
  if (p == Program::Xdp) {
    EXPECT_TRUE(opts.retval == XDP_PASS || opts.retval == XDP_DROP) << opts.retval;
    return opts.retval == XDP_DROP ? Verdict::Drop : Verdict::Pass;
  }
  // A pass is TC_ACT_UNSPEC so the filters after ours still run; TC_ACT_OK
  // would end the chain.
  int verdict = static_cast<int>(opts.retval);
  EXPECT_TRUE(verdict == TC_ACT_UNSPEC || verdict == TC_ACT_SHOT) << verdict;
  return verdict == TC_ACT_SHOT ? Verdict::Drop : Verdict::Pass;
}

std::optional<ports::RouterCounters> GuardFixture::router(uint8_t vrid,
                                                          const std::string& source) const {
  auto src = IpAddress::parse(source);
  for (auto& r : guard_->counters()) {
    if (r.ifindex == kIfindex && r.vrid == vrid && src && r.source == *src) return r;
  }
  return std::nullopt;
}

void GuardFixture::set_role(uint8_t vrid, Family family, vrrp::State state) {
  auto r = guard_->set_role(kIfindex, vrid, family, state);
  ASSERT_TRUE(r) << r.error().describe();
}

std::vector<SeenEvent> GuardFixture::drain() {
  std::vector<SeenEvent> seen;
  guard_->drain([&](uint8_t vrid, int ifindex, const vrrp::SplitBrainEvidence& e) {
    seen.push_back({vrid, ifindex, e});
  });
  return seen;
}

}  // namespace keepvip::test
