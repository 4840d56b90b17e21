// One move-only owner type per kernel object the guard holds: the loaded
// skeleton, an XDP bpf_link, a tc filter, the ring buffer reader. Each
// releases its object in the destructor, so an error path or an exception
// never leaves a program attached by this process.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "common/fd.h"
#include "common/result.h"

struct vrrp_guard_bpf;
struct vrrp_guard_vlan_bpf;
struct ring_buffer;

namespace keepvip::guard {

// The loaded BPF object (programs + maps) from the embedded skeleton.
class GuardSkeleton {
 public:
  static Result<GuardSkeleton> open_and_load();
  GuardSkeleton(GuardSkeleton&& other) noexcept : skel_(std::exchange(other.skel_, nullptr)) {}
  GuardSkeleton& operator=(GuardSkeleton&& other) noexcept;
  GuardSkeleton(const GuardSkeleton&) = delete;
  GuardSkeleton& operator=(const GuardSkeleton&) = delete;
  ~GuardSkeleton();

  vrrp_guard_bpf* get() const { return skel_; }
  vrrp_guard_bpf* operator->() const { return skel_; }

 private:
  explicit GuardSkeleton(vrrp_guard_bpf* skel) : skel_(skel) {}
  vrrp_guard_bpf* skel_ = nullptr;
};

// The VLAN-aware XDP program (vrrp_guard_vlan.bpf.c) loaded bound to one
// device, whose driver hands it the VLAN tags it takes off; it shares the
// main object's maps, so it counts and checks into the same tables.
class VlanXdpProgram {
 public:
  static Result<VlanXdpProgram> load(const GuardSkeleton& main, int ifindex);
  VlanXdpProgram(VlanXdpProgram&& other) noexcept : skel_(std::exchange(other.skel_, nullptr)) {}
  VlanXdpProgram& operator=(VlanXdpProgram&& other) noexcept;
  VlanXdpProgram(const VlanXdpProgram&) = delete;
  VlanXdpProgram& operator=(const VlanXdpProgram&) = delete;
  ~VlanXdpProgram();

  int fd() const;

 private:
  explicit VlanXdpProgram(vrrp_guard_vlan_bpf* skel) : skel_(skel) {}
  vrrp_guard_vlan_bpf* skel_ = nullptr;
};

enum class XdpMode { Native, Generic };

// An XDP program attached through a bpf_link: closing the link fd detaches
// it, and so does the kernel when this process dies, so a crash never leaves
// a stale program behind.
class XdpLink {
 public:
  static Result<XdpLink> attach(int prog_fd, int ifindex, XdpMode mode);

 private:
  explicit XdpLink(int fd) : fd_(fd) {}
  UniqueFd fd_;
};

enum class TcDirection { Ingress, Egress };

// Our cls_bpf filter (handle KV_TC_HANDLE, priority KV_TC_PRIORITY) on the
// interface's clsact qdisc. tc filters outlive a crashed process, so attach()
// replaces whatever an earlier run left under our handle, and the destructor
// removes exactly that filter (the clsact qdisc stays: others may use it).
class TcFilter {
 public:
  static Result<TcFilter> attach(int prog_fd, int ifindex, TcDirection direction);
  // Removes a filter of ours left by an earlier run; absent is fine.
  static void remove_stale(int ifindex, TcDirection direction);
  TcFilter(TcFilter&& other) noexcept
      : ifindex_(std::exchange(other.ifindex_, 0)), direction_(other.direction_) {}
  TcFilter& operator=(TcFilter&& other) noexcept;
  TcFilter(const TcFilter&) = delete;
  TcFilter& operator=(const TcFilter&) = delete;
  ~TcFilter();

 private:
  TcFilter(int ifindex, TcDirection direction) : ifindex_(ifindex), direction_(direction) {}
  int ifindex_ = 0;  // 0 = moved from
  TcDirection direction_ = TcDirection::Ingress;
};

// libbpf's ring buffer reader over the guard's event map.
class RingBufferReader {
 public:
  using Callback = int (*)(void* ctx, void* data, size_t size);
  static Result<RingBufferReader> open(int map_fd, Callback callback, void* ctx);
  RingBufferReader(RingBufferReader&& other) noexcept : rb_(std::exchange(other.rb_, nullptr)) {}
  RingBufferReader& operator=(RingBufferReader&& other) noexcept;
  RingBufferReader(const RingBufferReader&) = delete;
  RingBufferReader& operator=(const RingBufferReader&) = delete;
  ~RingBufferReader();

  int epoll_fd() const;
  // Calls the callback for every event waiting; never blocks.
  void consume() const;

 private:
  explicit RingBufferReader(ring_buffer* rb) : rb_(rb) {}
  ring_buffer* rb_ = nullptr;
};

}  // namespace keepvip::guard
