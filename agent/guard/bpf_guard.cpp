#include "guard/bpf_guard.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "common/fd.h"
#include "common/log.h"
#include "guard/kernel_values.h"
#include "guard/link_offloads.h"
#include "vrrp_guard_shared.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "vrrp_guard.skel.h"
#pragma GCC diagnostic pop

namespace keepvip::guard {

namespace {

template <typename K, typename V>
Result<> map_put(const bpf_map* map, const K& key, const V& value, const char* what) {
  if (bpf_map__update_elem(map, &key, sizeof(K), &value, sizeof(V), BPF_ANY) != 0) {
    return last_os_error(std::string("write the guard's ") + what + " map");
  }
  return {};
}

template <typename K>
std::vector<K> map_keys(const bpf_map* map) {
  std::vector<K> keys;
  K key{};
  const K* prev = nullptr;
  while (bpf_map__get_next_key(map, prev, &key, sizeof(K)) == 0) {
    keys.push_back(key);
    prev = &keys.back();
  }
  return keys;
}

template <typename K>
bool same_key(const K& a, const K& b) {
  return std::memcmp(&a, &b, sizeof(K)) == 0;
}

template <typename K>
bool contains(const std::vector<K>& keys, const K& key) {
  return std::any_of(keys.begin(), keys.end(), [&](const K& k) { return same_key(k, key); });
}

// Deletes every key of `map` for which `drop(key)` holds.
template <typename K, typename Drop>
void erase_keys_if(const bpf_map* map, Drop drop) {
  for (const K& key : map_keys<K>(map))
    if (drop(key)) (void)bpf_map__delete_elem(map, &key, sizeof(K), 0);
}

// Deletes every key of `map` not in `keep`.
template <typename K>
void prune(const bpf_map* map, const std::vector<K>& keep) {
  erase_keys_if<K>(map, [&](const K& key) { return !contains(keep, key); });
}

kv_addr_key address_key(const IpAddress& a) {
  kv_addr_key key{};
  key.family = kernel_family(a.family());
  copy_address(a, key.addr);
  return key;
}

// libbpf explains failures we also report as errors, and warns about
// things that are expected here (an existing clsact qdisc, no stale filter).
int forward_libbpf_log(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG || !log_enabled(LogLevel::Debug)) return 0;
  char text[1024];
  int n = std::vsnprintf(text, sizeof(text), format, args);
  std::string line(text, n > 0 ? std::min<size_t>(static_cast<size_t>(n), sizeof(text) - 1) : 0);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  log_debug("libbpf: " + line);
  return n;
}

uint64_t realtime_usec() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

BpfGuard::BpfGuard(GuardSkeleton skel) : skel_(std::move(skel)) {}

BpfGuard::~BpfGuard() {
  detach_all();
}

Result<std::unique_ptr<BpfGuard>> BpfGuard::load() {
  libbpf_set_print(forward_libbpf_log);
  auto skel = GuardSkeleton::open_and_load();
  if (!skel) return keepvip::unexpected(skel.error());
  std::unique_ptr<BpfGuard> guard(new BpfGuard(std::move(*skel)));
  // The reader keeps `guard.get()` as its context: the guard is heap
  // allocated and never moves.
  auto ring = RingBufferReader::open(bpf_map__fd(guard->skel_->maps.events), &BpfGuard::on_event,
                                     guard.get());
  if (!ring) return keepvip::unexpected(ring.error());
  guard->ring_.emplace(std::move(*ring));
  return guard;
}

Result<> BpfGuard::remember_own_mac(int ifindex, const std::string& ifname) {
  // SIOCGIFHWADDR answers for the caller's network namespace (sysfs may
  // show another one's).
  UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) return last_os_error("open a socket to read the MAC address of " + ifname);
  ifreq req{};
  std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  if (::ioctl(sock.get(), SIOCGIFHWADDR, &req) != 0)
    return last_os_error("read the MAC address of " + ifname);
  kv_mac_key key{};
  key.ifindex = static_cast<uint32_t>(ifindex);
  std::memcpy(key.mac, req.ifr_hwaddr.sa_data, 6);
  uint8_t yes = 1;
  return map_put(skel_->maps.own_macs, key, yes, "own MAC");
}

void BpfGuard::attach_vlan_aware(Attachment& a, int ifindex, const std::string& ifname) {
  if (!xdp_rx_vlan_metadata(ifindex)) return;
  auto program = VlanXdpProgram::load(skel_, ifindex);
  if (!program) {
    log_debug("guard: " + program.error().describe(), {{"INTERFACE", ifname}});
    return;
  }
  auto link = XdpLink::attach(program->fd(), ifindex, XdpMode::Native);
  if (!link) {
    log_debug("guard: " + link.error().describe(), {{"INTERFACE", ifname}});
    return;
  }
  a.vlan_program.emplace(std::move(*program));
  a.xdp.emplace(std::move(*link));
  a.how = {ports::GuardMode::XdpNative, "VLAN tags from the driver"};
}

Result<ports::GuardAttachment> BpfGuard::attach(int ifindex, const std::string& ifname) {
  if (auto it = attached_.find(ifindex); it != attached_.end()) return it->second.how;
  if (auto mac = remember_own_mac(ifindex, ifname); !mac) {
    // Without it our own ARP/NA could not be told from a conflict; the
    // VRRP virtual MAC is still recognised, so say so and carry on.
    log_warning("guard: " + mac.error().describe(), {{"INTERFACE", ifname}});
  }

  Attachment a;
  int xdp_fd = bpf_program__fd(skel_->progs.vrrp_guard_xdp);
  std::string why_not_xdp;
  auto offload = rx_vlan_offload(ifname);
  if (!offload) log_debug("guard: " + offload.error().describe(), {{"INTERFACE", ifname}});
  const bool strips_tags = offload && *offload;
  if (strips_tags) {
    attach_vlan_aware(a, ifindex, ifname);
    why_not_xdp = "rx VLAN offload hides the tags from XDP";
  }
  for (XdpMode mode : {XdpMode::Native, XdpMode::Generic}) {
    if (strips_tags) break;
    auto link = XdpLink::attach(xdp_fd, ifindex, mode);
    if (link) {
      a.xdp.emplace(std::move(*link));
      a.how.mode =
          mode == XdpMode::Native ? ports::GuardMode::XdpNative : ports::GuardMode::XdpGeneric;
      break;
    }
    why_not_xdp = link.error().describe();
  }
  if (a.xdp) {
    // An earlier run that fell back to tc and crashed left its filter.
    TcFilter::remove_stale(ifindex, TcDirection::Ingress);
  } else {
    auto tc = TcFilter::attach(bpf_program__fd(skel_->progs.vrrp_guard_tc_ingress), ifindex,
                               TcDirection::Ingress);
    if (!tc) {
      return os_error(tc.error().errnum, "attach the VRRP guard to " + ifname + ": " + why_not_xdp +
                                             "; " + tc.error().describe());
    }
    a.ingress.emplace(std::move(*tc));
    a.how = {ports::GuardMode::Tc, strips_tags ? why_not_xdp : std::string()};
  }

  auto egress = TcFilter::attach(bpf_program__fd(skel_->progs.vrrp_guard_tc_egress), ifindex,
                                 TcDirection::Egress);
  if (egress) {
    a.egress.emplace(std::move(*egress));
  } else {
    log_warning("guard: no count of sent adverts: " + egress.error().describe(),
                {{"INTERFACE", ifname}});
  }
  ports::GuardAttachment how = a.how;
  attached_.emplace(ifindex, std::move(a));
  return how;
}

namespace {

// What configure() writes, computed before any map is touched.
struct GuardTables {
  std::vector<std::pair<kv_inst_key, kv_inst_cfg>> instances;
  std::vector<std::pair<kv_addr_key, kv_vip_owner>> vips;
  std::vector<std::pair<kv_router_key, kv_inst_vip>> inst_vips;
  std::vector<std::pair<kv_router_key, kv_peer>> unicast_peers;
  std::vector<kv_addr_key> own_addresses;

  std::vector<kv_inst_key> instance_keys() const { return firsts(instances); }
  std::vector<kv_addr_key> vip_keys() const { return firsts(vips); }
  std::vector<kv_router_key> inst_vip_keys() const { return firsts(inst_vips); }
  std::vector<kv_router_key> unicast_peer_keys() const { return firsts(unicast_peers); }

  template <typename K, typename V>
  static std::vector<K> firsts(const std::vector<std::pair<K, V>>& pairs) {
    std::vector<K> keys;
    for (const auto& [key, value] : pairs) keys.push_back(key);
    return keys;
  }
};

template <typename K>
size_t distinct(std::vector<K> keys) {
  auto less = [](const K& a, const K& b) { return std::memcmp(&a, &b, sizeof(K)) < 0; };
  std::sort(keys.begin(), keys.end(), less);
  return static_cast<size_t>(std::unique(keys.begin(), keys.end(), same_key<K>) - keys.begin());
}

GuardTables guard_tables(const std::vector<ports::GuardInstance>& instances) {
  GuardTables t;
  for (const auto& inst : instances) {
    const vrrp::ReceiveProfile& r = inst.receive;
    kv_inst_key key = instance_key(inst.ifindex, r.vrid, r.family);
    t.instances.emplace_back(key, instance_config(inst));
    kv_vip_owner owner{};
    owner.ifindex = key.ifindex;
    owner.vrid = key.vrid;
    owner.family = key.family;
    for (const auto& vip : inst.vips) t.vips.emplace_back(address_key(vip), owner);
    // The advertised list, by position: what the address list check counts.
    for (size_t i = 0; i < r.vips.size(); ++i) {
      kv_inst_vip index{};
      index.index = static_cast<uint16_t>(i);
      t.inst_vips.emplace_back(router_key(inst.ifindex, r.vrid, r.vips[i]), index);
    }
    if (r.unicast) {
      for (const auto& peer : r.unicast_peers)
        if (peer.family() == r.family)
          t.unicast_peers.emplace_back(router_key(inst.ifindex, r.vrid, peer),
                                       vrrp::peer_ttls(r, peer));
    }
    auto own = inst.own_addresses;
    own.push_back(r.local_address);
    for (const auto& addr : own)
      if (!addr.is_unspecified()) t.own_addresses.push_back(address_key(addr));
  }
  return t;
}

// Why `t` does not fit the kernel maps, or "" when it does.
std::string overflow(const GuardTables& t) {
  auto check = [](size_t n, size_t room, const char* what) -> std::string {
    if (n <= room) return "";
    return std::to_string(n) + " " + what + " (the kernel maps hold " + std::to_string(room) + ")";
  };
  std::string why = check(distinct(t.instance_keys()), KV_MAX_INSTANCES, "instances");
  if (why.empty()) why = check(distinct(t.vip_keys()), KV_MAX_VIPS, "virtual addresses");
  if (why.empty()) why = check(distinct(t.inst_vip_keys()), KV_MAX_VIPS, "advertised addresses");
  if (why.empty()) why = check(distinct(t.unicast_peer_keys()), KV_MAX_PEERS, "unicast peers");
  if (why.empty()) why = check(distinct(t.own_addresses), KV_MAX_OWN_ADDRS, "own addresses");
  return why;
}

kv_inst_key owner_of(const kv_router_key& rk) {
  kv_inst_key owner{};
  owner.ifindex = rk.ifindex;
  owner.vrid = rk.vrid;
  owner.family = rk.family;
  return owner;
}

kv_router_key master_key(const kv_inst_key& inst, const kv_inst_live& live) {
  kv_router_key rk{};
  rk.ifindex = inst.ifindex;
  rk.vrid = inst.vrid;
  rk.family = inst.family;
  std::memcpy(rk.addr, live.master, sizeof(rk.addr));
  return rk;
}

}  // namespace

kv_inst_live BpfGuard::live_of(const kv_inst_key& key) const {
  kv_inst_live live{};
  (void)bpf_map__lookup_elem(skel_->maps.roles, &key, sizeof(key), &live, sizeof(live), 0);
  return live;
}

// The rows no spoofed flood may evict: every configured unicast peer and the
// master each instance follows. Rows that leave the set go back to the LRU
// map with their counters; rows that join it take theirs along.
void BpfGuard::protect_rows(const std::vector<kv_router_key>& keep) {
  const bpf_map* prot = skel_->maps.protected_routers;
  const bpf_map* lru = skel_->maps.routers;
  for (const kv_router_key& key : map_keys<kv_router_key>(prot)) {
    if (contains(keep, key)) continue;
    kv_router_stats stats{};
    if (bpf_map__lookup_elem(prot, &key, sizeof(key), &stats, sizeof(stats), 0) == 0)
      (void)bpf_map__update_elem(lru, &key, sizeof(key), &stats, sizeof(stats), BPF_ANY);
    (void)bpf_map__delete_elem(prot, &key, sizeof(key), 0);
  }
  for (const kv_router_key& key : keep) {
    kv_router_stats stats{};
    if (bpf_map__lookup_elem(prot, &key, sizeof(key), &stats, sizeof(stats), 0) == 0) continue;
    // A zero bucket refills to full on the first advert (refill_ns 0).
    (void)bpf_map__lookup_elem(lru, &key, sizeof(key), &stats, sizeof(stats), 0);
    if (bpf_map__update_elem(prot, &key, sizeof(key), &stats, sizeof(stats), BPF_NOEXIST) == 0)
      (void)bpf_map__delete_elem(lru, &key, sizeof(key), 0);
  }
}

std::vector<kv_router_key> BpfGuard::protected_keys() const {
  std::vector<kv_router_key> keys = peers_;
  for (const kv_inst_key& inst : map_keys<kv_inst_key>(skel_->maps.roles)) {
    kv_inst_live live = live_of(inst);
    if (live.has_master) keys.push_back(master_key(inst, live));
  }
  return keys;
}

Result<> BpfGuard::configure(const std::vector<ports::GuardInstance>& instances) {
  GuardTables tables = guard_tables(instances);
  std::string too_many = overflow(tables);
  // Never half a configuration in the kernel: one that does not fit leaves
  // the guard with none, so it passes every packet untouched (as for a VRID
  // it does not own) instead of filtering by a mix of old and new settings.
  if (!too_many.empty()) tables = {};
  // Forget what the new configuration drops first, so that the entries it
  // adds always find room.
  const auto inst_keys = tables.instance_keys();
  prune(skel_->maps.instances, inst_keys);
  prune(skel_->maps.roles, inst_keys);
  prune(skel_->maps.inst_state, inst_keys);
  prune(skel_->maps.sent, inst_keys);
  prune(skel_->maps.vips, tables.vip_keys());
  prune(skel_->maps.inst_vips, tables.inst_vip_keys());
  prune(skel_->maps.unicast_peers, tables.unicast_peer_keys());
  prune(skel_->maps.own_addrs, tables.own_addresses);
  // And the routers seen on dropped instances: --stats would list them frozen.
  auto dropped = [&](const kv_router_key& rk) { return !contains(inst_keys, owner_of(rk)); };
  erase_keys_if<kv_router_key>(skel_->maps.routers, [&](const kv_router_key& rk) {
    // The VRID 0 rows count an interface's unattributed drops.
    return rk.vrid != 0 && dropped(rk);
  });
  erase_keys_if<kv_router_key>(skel_->maps.protected_routers, dropped);
  peers_ = tables.unicast_peer_keys();
  protect_rows(protected_keys());
  if (!too_many.empty())
    return logic_error("configuration too large for the guard: " + too_many +
                       "; in-kernel filtering is off until a reload fits");
  uint8_t yes = 1;
  for (const auto& [key, index] : tables.inst_vips)
    if (auto r = map_put(skel_->maps.inst_vips, key, index, "advertised VIP"); !r) return r;
  for (const auto& [key, peer] : tables.unicast_peers)
    if (auto r = map_put(skel_->maps.unicast_peers, key, peer, "unicast peer"); !r) return r;
  // Instances last: an instance is checked only once its VIPs and peers are there.
  for (const auto& [key, owner] : tables.vips)
    if (auto r = map_put(skel_->maps.vips, key, owner, "VIP"); !r) return r;
  for (const auto& key : tables.own_addresses)
    if (auto r = map_put(skel_->maps.own_addrs, key, yes, "own address"); !r) return r;
  for (const auto& [key, cfg] : tables.instances)
    if (auto r = map_put(skel_->maps.instances, key, cfg, "instances"); !r) return r;
  return {};
}

Result<> BpfGuard::set_role(int ifindex, uint8_t vrid, Family family, vrrp::State state) {
  kv_inst_key key = instance_key(ifindex, vrid, family);
  // Two-masters tracking starts afresh in every role.
  (void)bpf_map__delete_elem(skel_->maps.inst_state, &key, sizeof(key), 0);
  kv_inst_live live = live_of(key);
  live.role = kernel_role(state);
  return map_put(skel_->maps.roles, key, live, "roles");
}

Result<> BpfGuard::set_master(int ifindex, uint8_t vrid, Family family,
                              const std::optional<IpAddress>& master) {
  kv_inst_key key = instance_key(ifindex, vrid, family);
  kv_inst_live live = live_of(key);
  kv_inst_live next = live;
  next.has_master = master && master->family() == family ? 1 : 0;
  std::memset(next.master, 0, sizeof(next.master));
  if (next.has_master) copy_address(*master, next.master);
  if (std::memcmp(&next, &live, sizeof(live)) == 0) return {};
  if (auto r = map_put(skel_->maps.roles, key, next, "roles"); !r) return r;
  protect_rows(protected_keys());
  return {};
}

std::vector<ports::RouterCounters> BpfGuard::counters() const {
  std::vector<ports::RouterCounters> out;
  for (const bpf_map* map : {skel_->maps.protected_routers, skel_->maps.routers}) {
    for (const auto& key : map_keys<kv_router_key>(map)) {
      kv_router_stats stats{};
      if (bpf_map__lookup_elem(map, &key, sizeof(key), &stats, sizeof(stats), 0) != 0) continue;
      out.push_back(router_counters(key, stats));
    }
  }
  return out;
}

std::vector<BpfGuard::SentCounter> BpfGuard::sent_counters() const {
  std::vector<SentCounter> out;
  const bpf_map* map = skel_->maps.sent;
  for (const auto& key : map_keys<kv_inst_key>(map)) {
    uint64_t sent = 0;
    if (bpf_map__lookup_elem(map, &key, sizeof(key), &sent, sizeof(sent), 0) != 0) continue;
    out.push_back({static_cast<int>(key.ifindex), key.vrid, family_from_kernel(key.family), sent});
  }
  return out;
}

int BpfGuard::event_fd() const {
  return ring_ ? ring_->epoll_fd() : -1;
}

int BpfGuard::on_event(void* ctx, void* data, size_t size) {
  auto* self = static_cast<BpfGuard*>(ctx);
  if (size < sizeof(kv_event) || !self->draining_) return 0;
  kv_event ev{};
  std::memcpy(&ev, data, sizeof(ev));
  auto evidence = evidence_from_event(ev, monotonic_now(), realtime_usec());
  (*self->draining_)(ev.vrid, static_cast<int>(ev.ifindex), evidence);
  return 0;
}

void BpfGuard::drain(const EvidenceCallback& cb) {
  if (!ring_) return;
  draining_ = &cb;
  ring_->consume();
  draining_ = nullptr;
}

void BpfGuard::detach(int ifindex) {
  attached_.erase(ifindex);
  // Otherwise --stats and the D-Bus counters would show routers on an
  // interface keepvip no longer watches, frozen at their last values.
  auto on_it = [index = static_cast<uint32_t>(ifindex)](const auto& key) {
    return key.ifindex == index;
  };
  erase_keys_if<kv_mac_key>(skel_->maps.own_macs, on_it);
  erase_keys_if<kv_router_key>(skel_->maps.routers, on_it);
  erase_keys_if<kv_router_key>(skel_->maps.protected_routers, on_it);
}

void BpfGuard::detach_all() {
  attached_.clear();
}

int BpfGuard::xdp_program_fd() const {
  return bpf_program__fd(skel_->progs.vrrp_guard_xdp);
}

int BpfGuard::tc_ingress_program_fd() const {
  return bpf_program__fd(skel_->progs.vrrp_guard_tc_ingress);
}

int BpfGuard::tc_egress_program_fd() const {
  return bpf_program__fd(skel_->progs.vrrp_guard_tc_egress);
}

}  // namespace keepvip::guard
