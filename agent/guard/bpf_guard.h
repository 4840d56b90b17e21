// ports::Guard on the in-kernel VRRP guard (bpf/vrrp_guard.bpf.c): loads the
// embedded skeleton, attaches per interface (XDP native, then XDP generic,
// then tc ingress; always a tc egress counter), mirrors the daemon's
// instances and roles into the config maps, reads the per-router counters
// and turns ring buffer events into split-brain evidence.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "guard/bpf_owners.h"
#include "ports/guard.h"
#include "vrrp_guard_shared.h"

namespace keepvip::guard {

class BpfGuard final : public ports::Guard {
 public:
  static Result<std::unique_ptr<BpfGuard>> load();
  ~BpfGuard() override;
  BpfGuard(const BpfGuard&) = delete;
  BpfGuard& operator=(const BpfGuard&) = delete;

  Result<ports::GuardAttachment> attach(int ifindex, const std::string& ifname) override;
  Result<> configure(const std::vector<ports::GuardInstance>& instances) override;
  Result<> set_role(int ifindex, uint8_t vrid, Family family, vrrp::State state) override;
  Result<> set_master(int ifindex, uint8_t vrid, Family family,
                      const std::optional<IpAddress>& master) override;
  std::vector<ports::RouterCounters> counters() const override;
  int event_fd() const override;
  void drain(const EvidenceCallback& cb) override;
  void detach(int ifindex) override;
  void detach_all() override;

  // Adverts we sent per instance, counted on tc egress.
  struct SentCounter {
    int ifindex = 0;
    uint8_t vrid = 0;
    Family family = Family::V4;
    uint64_t sent = 0;
  };
  std::vector<SentCounter> sent_counters() const;

  // The loaded programs, for running them on crafted packets
  // (bpf_prog_test_run_opts) without attaching anything.
  int xdp_program_fd() const;
  int tc_ingress_program_fd() const;
  int tc_egress_program_fd() const;

 private:
  struct Attachment {
    ports::GuardAttachment how;
    std::optional<VlanXdpProgram> vlan_program;  // outlives the link below
    std::optional<XdpLink> xdp;
    std::optional<TcFilter> ingress;
    std::optional<TcFilter> egress;
  };

  explicit BpfGuard(GuardSkeleton skel);
  static int on_event(void* ctx, void* data, size_t size);
  kv_inst_live live_of(const kv_inst_key& key) const;
  std::vector<kv_router_key> protected_keys() const;
  void protect_rows(const std::vector<kv_router_key>& keep);
  Result<> remember_own_mac(int ifindex, const std::string& ifname);
  // Where the driver strips VLAN tags: XDP bound to the device when it hands
  // the tags over, else nothing (the caller falls back to tc).
  void attach_vlan_aware(Attachment& a, int ifindex, const std::string& ifname);

  GuardSkeleton skel_;
  std::optional<RingBufferReader> ring_;
  std::map<int, Attachment> attached_;
  const EvidenceCallback* draining_ = nullptr;  // set only inside drain()
  std::vector<kv_router_key> peers_;            // the configured unicast peers' rows
};

}  // namespace keepvip::guard
