#include "guard/bpf_owners.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <unistd.h>

#include "vrrp_guard_shared.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "vrrp_guard.skel.h"
#include "vrrp_guard_vlan.skel.h"
#pragma GCC diagnostic pop

// Linux 6.3; the UAPI headers we build against may be older.
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#endif

namespace keepvip::guard {

// ---- GuardSkeleton -----------------------------------------------------------

Result<GuardSkeleton> GuardSkeleton::open_and_load() {
  vrrp_guard_bpf* skel = vrrp_guard_bpf__open_and_load();
  if (!skel) return last_os_error("load the VRRP guard BPF programs");
  return GuardSkeleton(skel);
}

GuardSkeleton& GuardSkeleton::operator=(GuardSkeleton&& other) noexcept {
  if (this != &other) {
    if (skel_) vrrp_guard_bpf__destroy(skel_);
    skel_ = std::exchange(other.skel_, nullptr);
  }
  return *this;
}

GuardSkeleton::~GuardSkeleton() {
  if (skel_) vrrp_guard_bpf__destroy(skel_);
}

// ---- VlanXdpProgram ----------------------------------------------------------

Result<VlanXdpProgram> VlanXdpProgram::load(const GuardSkeleton& main, int ifindex) {
  vrrp_guard_vlan_bpf* skel = vrrp_guard_vlan_bpf__open();
  if (!skel) return last_os_error("open the VLAN-aware XDP guard");
  VlanXdpProgram owner(skel);
  bpf_program* wanted = skel->progs.vrrp_guard_xdp_vlan;
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, skel->obj) {
    if (bpf_program__set_autoload(prog, prog == wanted) != 0)
      return last_os_error("select the VLAN-aware XDP program");
  }
  bpf_program__set_ifindex(wanted, static_cast<uint32_t>(ifindex));
  if (bpf_program__set_flags(wanted, bpf_program__flags(wanted) | BPF_F_XDP_DEV_BOUND_ONLY) != 0)
    return last_os_error("bind the VLAN-aware XDP program to ifindex " + std::to_string(ifindex));
  bpf_map* map = nullptr;
  bpf_object__for_each_map(map, skel->obj) {
    if (bpf_map__is_internal(map)) continue;
    const bpf_map* shared = bpf_object__find_map_by_name(main->obj, bpf_map__name(map));
    if (!shared || bpf_map__reuse_fd(map, bpf_map__fd(shared)) != 0)
      return last_os_error(std::string("share the guard's ") + bpf_map__name(map) + " map");
  }
  if (vrrp_guard_vlan_bpf__load(skel) != 0)
    return last_os_error("load the VLAN-aware XDP guard for ifindex " + std::to_string(ifindex));
  return owner;
}

VlanXdpProgram& VlanXdpProgram::operator=(VlanXdpProgram&& other) noexcept {
  if (this != &other) {
    if (skel_) vrrp_guard_vlan_bpf__destroy(skel_);
    skel_ = std::exchange(other.skel_, nullptr);
  }
  return *this;
}

VlanXdpProgram::~VlanXdpProgram() {
  if (skel_) vrrp_guard_vlan_bpf__destroy(skel_);
}

int VlanXdpProgram::fd() const {
  return bpf_program__fd(skel_->progs.vrrp_guard_xdp_vlan);
}

// ---- XdpLink -----------------------------------------------------------------

Result<XdpLink> XdpLink::attach(int prog_fd, int ifindex, XdpMode mode) {
  bpf_link_create_opts opts{};
  opts.sz = sizeof(opts);
  opts.flags = mode == XdpMode::Native ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
  int fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
  if (fd < 0) {
    return os_error(-fd, std::string("attach XDP (") +
                             (mode == XdpMode::Native ? "native" : "generic") + ") to ifindex " +
                             std::to_string(ifindex));
  }
  return XdpLink(fd);
}

// ---- TcFilter ----------------------------------------------------------------

namespace {

bpf_tc_hook tc_hook(int ifindex, TcDirection direction) {
  bpf_tc_hook hook{};
  hook.sz = sizeof(hook);
  hook.ifindex = ifindex;
  hook.attach_point = direction == TcDirection::Ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS;
  return hook;
}

bpf_tc_opts our_filter() {
  bpf_tc_opts opts{};
  opts.sz = sizeof(opts);
  opts.handle = KV_TC_HANDLE;
  opts.priority = KV_TC_PRIORITY;
  return opts;
}

const char* direction_name(TcDirection d) {
  return d == TcDirection::Ingress ? "ingress" : "egress";
}

}  // namespace

Result<TcFilter> TcFilter::attach(int prog_fd, int ifindex, TcDirection direction) {
  bpf_tc_hook hook = tc_hook(ifindex, direction);
  int err = bpf_tc_hook_create(&hook);
  if (err && err != -EEXIST) {
    return os_error(-err, "create clsact qdisc on ifindex " + std::to_string(ifindex));
  }
  bpf_tc_opts opts = our_filter();
  opts.prog_fd = prog_fd;
  opts.flags = BPF_TC_F_REPLACE;  // a filter left by a crashed run is replaced
  err = bpf_tc_attach(&hook, &opts);
  if (err) {
    return os_error(-err, std::string("attach tc ") + direction_name(direction) +
                              " filter to ifindex " + std::to_string(ifindex));
  }
  return TcFilter(ifindex, direction);
}

void TcFilter::remove_stale(int ifindex, TcDirection direction) {
  bpf_tc_hook hook = tc_hook(ifindex, direction);
  bpf_tc_opts opts = our_filter();
  (void)bpf_tc_detach(&hook, &opts);  // ENOENT (nothing left behind) is the usual case
}

TcFilter& TcFilter::operator=(TcFilter&& other) noexcept {
  if (this != &other) {
    if (ifindex_) remove_stale(ifindex_, direction_);
    ifindex_ = std::exchange(other.ifindex_, 0);
    direction_ = other.direction_;
  }
  return *this;
}

TcFilter::~TcFilter() {
  if (ifindex_) remove_stale(ifindex_, direction_);
}

// ---- RingBufferReader ----------------------------------------------------------

Result<RingBufferReader> RingBufferReader::open(int map_fd, Callback callback, void* ctx) {
  ring_buffer* rb = ring_buffer__new(map_fd, callback, ctx, nullptr);
  if (!rb) return last_os_error("open the guard's event ring buffer");
  return RingBufferReader(rb);
}

RingBufferReader& RingBufferReader::operator=(RingBufferReader&& other) noexcept {
  if (this != &other) {
    if (rb_) ring_buffer__free(rb_);
    rb_ = std::exchange(other.rb_, nullptr);
  }
  return *this;
}

RingBufferReader::~RingBufferReader() {
  if (rb_) ring_buffer__free(rb_);
}

int RingBufferReader::epoll_fd() const {
  return rb_ ? ring_buffer__epoll_fd(rb_) : -1;
}

void RingBufferReader::consume() const {
  if (rb_) (void)ring_buffer__consume(rb_);
}

}  // namespace keepvip::guard
