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
#pragma GCC diagnostic pop

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

XdpLink& XdpLink::operator=(XdpLink&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

XdpLink::~XdpLink() {
  if (fd_ >= 0) ::close(fd_);
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
