// The seam for the in-kernel VRRP guard (bpf/). The daemon tells it what it
// owns and in which role; it reports counters and split-brain evidence.
// `--no-bpf` (and hosts without BPF) use NullGuard, which does nothing and
// says so once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "ports/status.h"
#include "proto/drop_reason.h"
#include "vrrp/evidence.h"
#include "vrrp/receive_checks.h"
#include "vrrp/state_machine.h"

namespace keepvip::ports {

// What the kernel side needs to know about one of our instances.
struct GuardInstance {
  int ifindex = 0;
  // What the guard checks adverts against: the same profile keepvipd's own
  // receive checks use (VRID, family, version, interval, password, VIPs,
  // unicast peers, our address).
  vrrp::ReceiveProfile receive;
  std::vector<IpAddress> vips;           // + excluded: VIP-conflict and VRID-mismatch detection
  std::vector<IpAddress> own_addresses;  // our sources: never foreign
  uint8_t priority = 0;                  // our effective priority

  uint8_t vrid() const { return receive.vrid; }
  Family family() const { return receive.family; }
};

struct RouterCounters {
  int ifindex = 0;
  uint8_t vrid = 0;
  Family family = Family::V4;
  IpAddress source;
  uint64_t adverts = 0;
  uint8_t last_priority = 0;
  uint16_t last_interval_cs = 0;
  uint64_t last_seen_usec = 0;  // CLOCK_MONOTONIC µs
  proto::DropCounts drops;
};

// How the guard sits on an interface. None: NullGuard, nothing attached.
enum class GuardMode : uint8_t { XdpNative, XdpGeneric, Tc, None };
// "xdp-native", "xdp-generic", "tc", "none"
std::string_view to_string(GuardMode mode);

struct GuardAttachment {
  GuardMode mode = GuardMode::None;
  std::string detail;  // why this mode, when a link's offloads decided it
};
// "xdp-native", "tc, rx VLAN offload hides the tags from XDP": the log's GUARD_MODE.
std::string describe(const GuardAttachment& attachment);

class Guard {
 public:
  using EvidenceCallback =
      std::function<void(uint8_t vrid, int ifindex, const vrrp::SplitBrainEvidence&)>;
  virtual ~Guard() = default;
  // Attaches to an interface; says how, for the log. Attaching again is a no-op
  // that says the same.
  virtual Result<GuardAttachment> attach(int ifindex, const std::string& ifname) = 0;
  virtual Result<> configure(const std::vector<GuardInstance>& instances) = 0;
  virtual Result<> set_role(int ifindex, uint8_t vrid, Family family, vrrp::State state) = 0;
  // The master the instance follows now (InstanceState::master_address):
  // the guard never rate-limits it and keeps its counters from eviction.
  virtual Result<> set_master(int ifindex, uint8_t vrid, Family family,
                              const std::optional<IpAddress>& master) = 0;
  virtual std::vector<RouterCounters> counters() const = 0;
  // An fd the event loop polls; when readable, call drain().
  virtual int event_fd() const = 0;
  virtual void drain(const EvidenceCallback& cb) = 0;
  // Leaves an interface no instance uses any more (after a reload): its
  // programs, and what the maps remember about it (own MAC, router rows).
  virtual void detach(int ifindex) = 0;
  virtual void detach_all() = 0;
};

}  // namespace keepvip::ports
