// SPDX-License-Identifier: GPL-2.0-or-later
/* The in-kernel VRRP guard. On ingress (XDP, or tc where XDP cannot attach)
 * it checks adverts for the instances userspace configured, drops the ones
 * that fail the receive checks, counts per advertising router, and reports
 * evidence of a second master through a ring buffer. Everything that is not
 * an advert for one of our instances passes untouched: another VRRP daemon on
 * this host must keep seeing its own traffic. On egress (tc) it counts the
 * adverts we send. */
/* The UAPI types must come before libbpf's helpers. */
/* clang-format off */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#include "vrrp_checks_instance.h"

#define IPPROTO_VRRP KV_IPPROTO_VRRP
#define ICMPV6_NA 136
#define ND_OPT_TARGET_LL_ADDR 2
#define NSEC_PER_CS 10000000ULL
/* From <linux/if_arp.h>, which drags in libc headers a BPF build cannot use. */
#define ARPHRD_ETHER 1
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2

char LICENSE[] SEC("license") = "GPL";

/* Our instances and what their adverts must look like; written by userspace. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_INSTANCES);
  __type(key, struct kv_inst_key);
  __type(value, struct kv_inst_cfg);
} instances SEC(".maps");

/* Per instance: our current role and the master we follow; written by userspace. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_INSTANCES);
  __type(key, struct kv_inst_key);
  __type(value, struct kv_inst_live);
} roles SEC(".maps");

/* Per instance: the last two advertising sources, for two-masters detection. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_INSTANCES);
  __type(key, struct kv_inst_key);
  __type(value, struct kv_inst_state);
} inst_state SEC(".maps");

/* Our virtual addresses and the instance owning each; written by userspace. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_VIPS);
  __type(key, struct kv_addr_key);
  __type(value, struct kv_vip_owner);
} vips SEC(".maps");

/* Per (instance, VIP): its index in the advertised list (address list check). */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_VIPS);
  __type(key, struct kv_router_key);
  __type(value, struct kv_inst_vip);
} inst_vips SEC(".maps");

/* Per (instance, unicast_peer): the sources check_unicast_src accepts, and
 * the TTLs each may send with. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_PEERS);
  __type(key, struct kv_router_key);
  __type(value, struct kv_peer);
} unicast_peers SEC(".maps");

/* Scratch space for the address list check (one bitmap per CPU). */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct kv_vip_bitmap);
} vip_bitmap SEC(".maps");

/* Addresses this host sends from: their adverts are never foreign. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_OWN_ADDRS);
  __type(key, struct kv_addr_key);
  __type(value, __u8);
} own_addrs SEC(".maps");

/* MAC addresses of our interfaces: ARP/NA from them are ours. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_OWN_ADDRS);
  __type(key, struct kv_mac_key);
  __type(value, __u8);
} own_macs SEC(".maps");

/* Rows of configured unicast peers and current masters, written by
 * userspace: looked up before `routers`, so no flood of spoofed sources can
 * evict them. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_PROTECTED_ROUTERS);
  __type(key, struct kv_router_key);
  __type(value, struct kv_router_stats);
} protected_routers SEC(".maps");

/* Per (interface, VRID, family, source): advert counters, drops, token
 * bucket. VRID 0, source 0: drops no advert can be charged to. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, KV_MAX_ROUTERS);
  __type(key, struct kv_router_key);
  __type(value, struct kv_router_stats);
} routers SEC(".maps");

/* Per instance: adverts we sent (tc egress). */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_INSTANCES);
  __type(key, struct kv_inst_key);
  __type(value, __u64);
} sent SEC(".maps");

/* Per (kind, interface, source): when the last event went out (rate limit). */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, KV_MAX_ROUTERS);
  __type(key, struct kv_event_gate_key);
  __type(value, __u64);
} event_gate SEC(".maps");

/* Split-brain evidence for userspace (struct kv_event). */
struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 64 * 1024);
} events SEC(".maps");

enum verdict { PASS, DROP };

/* What a new router row starts from; inserted from here rather than the
 * stack, which the checks need. */
static const struct kv_router_stats empty_row = {};

/* What the IP layer tells the VRRP checks. */
struct advert_meta {
  struct kv_packet pkt;
  __u32 ifindex;
  __u8 smac[6];
  __u64 now;
  void* ctx;      /* struct xdp_md or struct __sk_buff */
  __u16 vrrp_off; /* VRRP header offset from the start of the frame */
};

static __always_inline int bytes_equal(const __u8* a, const __u8* b, int n) {
  for (int i = 0; i < n; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* a < b as unsigned big-endian numbers of n bytes. */
static __always_inline int bytes_less(const __u8* a, const __u8* b, int n) {
  for (int i = 0; i < n; i++) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return 0;
}

static __always_inline int addr_len(__u8 family) {
  return family == KV_FAMILY_V6 ? 16 : 4;
}

static __always_inline __u32 role_of(const struct kv_inst_key* key) {
  struct kv_inst_live* live = bpf_map_lookup_elem(&roles, key);
  return live ? live->role : KV_ROLE_INIT;
}

static __always_inline int is_own_addr(__u8 family, const __u8* addr) {
  struct kv_addr_key k = {.family = family};
  __builtin_memcpy(k.addr, addr, 16);
  return bpf_map_lookup_elem(&own_addrs, &k) != NULL;
}

static __always_inline void emit(struct kv_event* ev) {
  struct kv_event_gate_key gk = {.ifindex = ev->ifindex, .kind = ev->kind, .family = ev->family};
  __builtin_memcpy(gk.addr, ev->addr, 16);
  __u64* last = bpf_map_lookup_elem(&event_gate, &gk);
  if (last && ev->mono_ns - *last < KV_EVENT_GAP_NS) return;
  bpf_map_update_elem(&event_gate, &gk, &ev->mono_ns, BPF_ANY);

  struct kv_event* out = bpf_ringbuf_reserve(&events, sizeof(*out), 0);
  if (!out) return; /* ring full: userspace is behind, losing evidence is fine */
  __builtin_memcpy(out, ev, sizeof(*out));
  bpf_ringbuf_submit(out, 0);
}

static __always_inline void fill_event(struct kv_event* ev, const struct advert_meta* m, __u8 kind,
                                       __u8 vrid, const __u8* vrrp, __u16 interval_cs) {
  ev->mono_ns = m->now;
  ev->ifindex = m->ifindex;
  ev->kind = kind;
  ev->vrid = vrid;
  ev->advert_vrid = vrrp[1];
  ev->family = m->pkt.family;
  ev->priority = vrrp[2];
  ev->version = vrrp[0] >> 4;
  ev->interval_cs = interval_cs;
  __builtin_memcpy(ev->mac, m->smac, 6);
  __builtin_memcpy(ev->addr, m->pkt.src, 16);
}

/* A foreign source did something a second master does; report it once it has
 * happened twice within three advert intervals, so a single stray advert (an
 * old master's last one during preemption) is not evidence. */
static __always_inline void suspect(struct kv_router_stats* st, const struct advert_meta* m,
                                    const struct kv_inst_cfg* cfg, __u8 kind, __u8 vrid,
                                    const __u8* vrrp, __u16 interval_cs) {
  __u16 longest = interval_cs > cfg->interval_cs ? interval_cs : cfg->interval_cs;
  __u64 window = 3ULL * (longest ? longest : 100) * NSEC_PER_CS;
  if (st->suspect_count == 0 || m->now - st->suspect_start_ns > window) {
    st->suspect_start_ns = m->now;
    st->suspect_count = 1;
    return;
  }
  st->suspect_count++;
  struct kv_event ev = {};
  fill_event(&ev, m, kind, vrid, vrrp, interval_cs);
  emit(&ev);
}

/* RFC 5798 6.4.3: would a MASTER with our priority and address yield to it? */
static __always_inline int we_would_yield(const struct kv_inst_cfg* cfg, __u8 prio,
                                          const struct advert_meta* m) {
  if (prio > cfg->priority) return 1;
  if (prio < cfg->priority) return 0;
  return bytes_less(cfg->primary, m->pkt.src, addr_len(m->pkt.family));
}

/* ---- what the shared checks need from the kernel side -----------------------
 * The loops (the message sum, the address list) run in global functions: the
 * verifier checks each once on its own, instead of walking everything after a
 * loop once per way out of it. */

struct kv_check_env {
  void* ctx;
  __u32 vrrp_off; /* the message's offset in the frame */
  __u32 ifindex;
  __u8 vrid;
  __u8 family;
  __u8 xdp; /* a constant at every inlined call site: picks the ctx type */
  __u8 pad;
  __u16 vip_count;
};

/* The farthest a message may start in the frame: Ethernet, an IP header with
 * options or an IPv6 extension header chain. */
#define MAX_VRRP_OFF (14 + 40 + KV_MAX_EXT_BYTES + 64)

static __always_inline __u32 message_sum(const __u8* data, const void* end, __u64 off, __u32 len) {
  if (off > MAX_VRRP_OFF) return 0;
  return kv_sum16(data + off, end, len);
}

__noinline int vrrp_sum_xdp(struct xdp_md* ctx, __u64 off, __u32 len) {
  return (int)message_sum((const __u8*)(long)ctx->data, (const void*)(long)ctx->data_end, off, len);
}

__noinline int vrrp_sum_skb(struct __sk_buff* skb, __u64 off, __u32 len) {
  return (int)message_sum((const __u8*)(long)skb->data, (const void*)(long)skb->data_end, off, len);
}

static __always_inline __u32 kv_env_message_sum(struct kv_check_env* env, __u32 len) {
  return env->xdp ? (__u32)vrrp_sum_xdp(env->ctx, env->vrrp_off, len)
                  : (__u32)vrrp_sum_skb(env->ctx, env->vrrp_off, len);
}

static __always_inline int kv_env_vip_index(struct kv_check_env* env, const __u8* addr) {
  struct kv_router_key k = {.ifindex = env->ifindex, .vrid = env->vrid, .family = env->family};
  __builtin_memcpy(k.addr, addr, 16);
  struct kv_inst_vip* vip = bpf_map_lookup_elem(&inst_vips, &k);
  return vip ? vip->index : -1;
}

static __always_inline int kv_env_unicast_peer(struct kv_check_env* env, const __u8* addr,
                                               struct kv_peer* peer) {
  struct kv_router_key k = {.ifindex = env->ifindex, .vrid = env->vrid, .family = env->family};
  __builtin_memcpy(k.addr, addr, 16);
  struct kv_peer* found = bpf_map_lookup_elem(&unicast_peers, &k);
  if (!found) return 0;
  *peer = *found;
  return 1;
}

/* `inst` packs the instance: ifindex, then vrid | family << 8 | count << 16
 * | (vip_count & 0xff) << 24 (a count byte never exceeds 255). */
static __always_inline int address_list(void* ctx, const __u8* data, const void* end, __u64 off,
                                        __u32 ifindex, __u32 inst, int xdp) {
  if (off > MAX_VRRP_OFF) return 0;
  __u32 zero = 0;
  struct kv_vip_bitmap* seen = bpf_map_lookup_elem(&vip_bitmap, &zero);
  if (!seen) return 0;
  struct kv_check_env env = {.ctx = ctx,
                             .ifindex = ifindex,
                             .vrid = (__u8)inst,
                             .family = (__u8)(inst >> 8),
                             .xdp = (__u8)xdp,
                             .vip_count = (__u16)(inst >> 24)};
  return kv_address_list_ok(data + off + KV_VRRP_HEADER_LEN, end, (__u8)(inst >> 16), env.family,
                            env.vip_count, seen, &env);
}

__noinline int vrrp_addrs_xdp(struct xdp_md* ctx, __u64 off, __u32 ifindex, __u32 inst) {
  return address_list(ctx, (const __u8*)(long)ctx->data, (const void*)(long)ctx->data_end, off,
                      ifindex, inst, 1);
}

__noinline int vrrp_addrs_skb(struct __sk_buff* skb, __u64 off, __u32 ifindex, __u32 inst) {
  return address_list(skb, (const __u8*)(long)skb->data, (const void*)(long)skb->data_end, off,
                      ifindex, inst, 0);
}

static __always_inline int kv_env_address_list_ok(struct kv_check_env* env, __u8 count) {
  /* More VIPs than an advert can list: none matches. */
  if (env->vip_count > 255) return 0;
  __u32 inst =
      env->vrid | (__u32)env->family << 8 | (__u32)count << 16 | (__u32)env->vip_count << 24;
  return env->xdp ? vrrp_addrs_xdp(env->ctx, env->vrrp_off, env->ifindex, inst)
                  : vrrp_addrs_skb(env->ctx, env->vrrp_off, env->ifindex, inst);
}

/* ---- token bucket, counters ------------------------------------------------- */

static __always_inline int take_token(struct kv_router_stats* st, const struct kv_inst_cfg* cfg,
                                      __u64 now) {
  __u64 elapsed = now - st->refill_ns;
  if (elapsed > 10000000000ULL) elapsed = 10000000000ULL;
  __u64 tokens = st->tokens_milli + elapsed * cfg->rate_per_sec / 1000000ULL;
  __u64 cap = (__u64)cfg->burst * 1000;
  if (tokens > cap) tokens = cap;
  st->refill_ns = now;
  if (tokens < 1000) {
    st->tokens_milli = (__u32)tokens;
    return 0;
  }
  st->tokens_milli = (__u32)(tokens - 1000);
  return 1;
}

static __always_inline enum verdict drop(struct kv_router_stats* st, int reason) {
  __u64 index = (__u32)reason;
  /* Bound the register the access uses, not a 32-bit copy of it. */
  asm volatile("" : "+r"(index));
  if (index < KV_DROP__MAX) __sync_fetch_and_add(&st->drops[index], 1);
  return DROP;
}

/* A BACKUP hearing adverts alternate A, B, A, B within a few intervals has two
 * masters on the link. A single change (failover, preemption, a restart) is
 * normal; so is one quick return (a restarted master preempting back). */
static __always_inline void watch_two_masters(const struct kv_inst_key* key,
                                              const struct kv_inst_cfg* cfg,
                                              const struct advert_meta* m, const __u8* vrrp,
                                              __u16 interval_cs) {
  struct kv_inst_state* st = bpf_map_lookup_elem(&inst_state, key);
  if (!st) {
    struct kv_inst_state fresh = {.last_switch_ns = m->now};
    __builtin_memcpy(fresh.last_src, m->pkt.src, 16);
    bpf_map_update_elem(&inst_state, key, &fresh, BPF_NOEXIST);
    return;
  }
  if (bytes_equal(st->last_src, m->pkt.src, 16)) return;
  __u16 longest = interval_cs > cfg->interval_cs ? interval_cs : cfg->interval_cs;
  __u64 window = 3ULL * (longest ? longest : 100) * NSEC_PER_CS;
  if (bytes_equal(st->prev_src, m->pkt.src, 16) && m->now - st->last_switch_ns < window)
    st->flips++;
  else
    st->flips = 0;
  __builtin_memcpy(st->prev_src, st->last_src, 16);
  __builtin_memcpy(st->last_src, m->pkt.src, 16);
  st->last_switch_ns = m->now;
  if (st->flips >= 2) {
    struct kv_event ev = {};
    fill_event(&ev, m, KV_EVENT_TWO_MASTERS, key->vrid, vrrp, interval_cs);
    emit(&ev);
  }
}

/* An advert for a VRID we do not run: it passes, but if it lists one of our
 * VIPs while we are MASTER, someone else serves our address under another
 * VRID (the classic mismatched virtual_router_id split brain). */
static __always_inline void watch_vrid_mismatch(const __u8* vrrp, const void* end,
                                                const struct advert_meta* m) {
  if ((const void*)(vrrp + KV_VRRP_HEADER_LEN) > end) return;
  if (is_own_addr(m->pkt.family, m->pkt.src)) return;
  __u8 count = vrrp[3];
  int alen = addr_len(m->pkt.family);
  const __u8* list = vrrp + 8;
  struct kv_vip_owner found = {};
  /* Only look up here; acting on a hit once, after the loop, keeps the
   * verifier's work per iteration small. */
  for (int i = 0; i < KV_MAX_VIPS_PER_ADVERT; i++) {
    if (i >= count) break;
    struct kv_addr_key k = {.family = m->pkt.family};
    const __u8* a = list + i * alen;
    if (alen == 16) {
      if ((const void*)(a + 16) > end) break;
      __builtin_memcpy(k.addr, a, 16);
    } else {
      if ((const void*)(a + 4) > end) break;
      __builtin_memcpy(k.addr, a, 4);
    }
    struct kv_vip_owner* owner = bpf_map_lookup_elem(&vips, &k);
    if (owner && owner->vrid != vrrp[1]) {
      found = *owner;
      break;
    }
  }
  if (!found.ifindex) return;
  struct kv_inst_key ik = {.ifindex = found.ifindex, .vrid = found.vrid, .family = found.family};
  if (role_of(&ik) != KV_ROLE_MASTER) return;
  struct kv_event ev = {};
  fill_event(&ev, m, KV_EVENT_VRID_MISMATCH, found.vrid, vrrp, kv_interval_cs(vrrp));
  ev.ifindex = found.ifindex;
  emit(&ev);
}

/* The counters of the router `m` came from, for one of our instances: its
 * protected row (a configured peer, the current master) or its LRU row, made
 * on its first advert with a full token bucket. NULL if neither can be had. */
static __always_inline struct kv_router_stats* router_stats(const struct kv_inst_cfg* cfg,
                                                            __u8 vrid,
                                                            const struct advert_meta* m) {
  struct kv_router_key rk = {.ifindex = m->ifindex, .vrid = vrid, .family = m->pkt.family};
  __builtin_memcpy(rk.addr, m->pkt.src, 16);
  struct kv_router_stats* st = bpf_map_lookup_elem(&protected_routers, &rk);
  if (!st) st = bpf_map_lookup_elem(&routers, &rk);
  if (!st) {
    bpf_map_update_elem(&routers, &rk, &empty_row, BPF_NOEXIST);
    st = bpf_map_lookup_elem(&routers, &rk);
    if (!st) return NULL;
    st->tokens_milli = cfg->burst * 1000;
    st->refill_ns = m->now;
  }
  st->last_seen_ns = m->now;
  return st;
}

/* Drops that belong to no advert (an extension header chain we cannot
 * follow): counted on the interface's VRID 0 row, source 0. */
static __always_inline enum verdict drop_unattributed(__u32 ifindex, __u8 family, __u64 now,
                                                      int reason) {
  struct kv_router_key rk = {.ifindex = ifindex, .family = family};
  struct kv_router_stats* st = bpf_map_lookup_elem(&routers, &rk);
  if (!st) {
    bpf_map_update_elem(&routers, &rk, &empty_row, BPF_NOEXIST);
    st = bpf_map_lookup_elem(&routers, &rk);
  }
  if (st) {
    st->last_seen_ns = now;
    drop(st, reason);
  }
  return DROP;
}

/* The first fragment of an advert for one of our VRIDs: dropped, so the
 * datagram is never reassembled past the guard. Later fragments carry no VRRP
 * header to tell whose they are; without their first fragment the stack
 * discards them, so they pass. A first fragment too short to show its VRID
 * could be anyone's: dropped, on the interface's VRID 0 row. */
static __always_inline enum verdict check_fragment(const __u8* vrrp, const void* end,
                                                   const struct advert_meta* m) {
  if ((const void*)(vrrp + 2) > end)
    return drop_unattributed(m->ifindex, m->pkt.family, m->now, KV_DROP_FRAGMENT);
  struct kv_inst_key key = {.ifindex = m->ifindex, .vrid = vrrp[1], .family = m->pkt.family};
  struct kv_inst_cfg* cfg = bpf_map_lookup_elem(&instances, &key);
  if (!cfg) return PASS;
  struct kv_router_stats* st = router_stats(cfg, key.vrid, m);
  return st ? drop(st, KV_DROP_FRAGMENT) : DROP;
}

static __always_inline __u8 event_for(int reason) {
  switch (reason) {
    case KV_DROP_VERSION_MISMATCH:
      return KV_EVENT_VERSION_MISMATCH;
    case KV_DROP_AUTH_TYPE_MISMATCH:
    case KV_DROP_AUTH_MISMATCH:
      return KV_EVENT_AUTH_MISMATCH;
    case KV_DROP_INTERVAL_MISMATCH:
      return KV_EVENT_INTERVAL_MISMATCH;
    default:
      return 0;
  }
}

/* The VRRP header fields the reactions need, packed into one argument. */
#define HDR(vrid, prio, version, interval_cs) \
  ((__u64)(vrid) | (__u64)(prio) << 8 | (__u64)(version) << 16 | (__u64)(interval_cs) << 24)

/* What becomes of an advert for one of our instances once the checks gave
 * `reason`: counted on its router's row, rate-limited, watched for a second
 * master. A global function, so the verifier checks it once whichever map
 * the row lives in. `live` may be NULL. */
__noinline int vrrp_react(struct kv_router_stats* st, struct advert_meta* m,
                          const struct kv_inst_cfg* cfg, const struct kv_inst_live* live,
                          __u64 hdr_and_reason) {
  if (!st || !m || !cfg) return PASS;
  __u8 vrid = (__u8)hdr_and_reason;
  __u8 prio = (__u8)(hdr_and_reason >> 8);
  __u8 version = (__u8)(hdr_and_reason >> 16);
  __u16 interval_cs = (__u16)(hdr_and_reason >> 24);
  int reason = (int)(__s8)(hdr_and_reason >> 40);
  __u8 hdr[4] = {version << 4, vrid, prio, 0};

  int master = live && live->role == KV_ROLE_MASTER && !is_own_addr(m->pkt.family, m->pkt.src);
  if (reason != KV_ACCEPT) {
    /* A router whose adverts we cannot accept (other version, password,
     * interval) and that keeps sending while we are MASTER is a second master. */
    __u8 kind = event_for(reason);
    if (master && kind) suspect(st, m, cfg, kind, vrid, hdr, interval_cs);
    return drop(st, reason);
  }

  /* Only adverts that passed every check are charged, and never the master
   * we follow: a flood forging its address must not silence it. */
  int from_master =
      live && live->has_master && bytes_equal(live->master, m->pkt.src, addr_len(m->pkt.family));
  if (!from_master && !take_token(st, cfg, m->now)) return drop(st, KV_DROP_RATE_LIMIT);

  __sync_fetch_and_add(&st->adverts, 1);
  st->last_priority = prio;
  st->last_interval_cs = interval_cs;

  /* Priority 0 is a master resigning; higher priority (or a tie we lose) is a
   * normal preemption: neither is evidence. */
  if (master && prio != 0 && !we_would_yield(cfg, prio, m)) {
    __u8 kind =
        interval_cs != cfg->interval_cs ? KV_EVENT_INTERVAL_MISMATCH : KV_EVENT_FOREIGN_MASTER;
    suspect(st, m, cfg, kind, vrid, hdr, interval_cs);
  }
  if (prio != 0 && live && live->role == KV_ROLE_BACKUP) {
    struct kv_inst_key key = {.ifindex = m->ifindex, .vrid = vrid, .family = m->pkt.family};
    watch_two_masters(&key, cfg, m, hdr, interval_cs);
  }
  return PASS;
}

static __always_inline enum verdict check_advert(const __u8* vrrp, const void* end,
                                                 struct advert_meta* m, int reason) {
  if ((const void*)(vrrp + 2) > end) return PASS; /* cannot tell whose it is */
  __u8 vrid = vrrp[1];

  struct kv_inst_key key = {.ifindex = m->ifindex, .vrid = vrid, .family = m->pkt.family};
  struct kv_inst_cfg* cfg = bpf_map_lookup_elem(&instances, &key);
  if (!cfg) {
    watch_vrid_mismatch(vrrp, end, m);
    return PASS;
  }
  struct kv_router_stats* st = router_stats(cfg, vrid, m);
  if (!st) return PASS;
  /* The header is there unless the checks said truncated. */
  if ((const void*)(vrrp + KV_VRRP_HEADER_LEN) > end)
    return drop(st, reason == KV_ACCEPT ? KV_DROP_TRUNCATED : reason);
  __u64 hdr = HDR(vrid, vrrp[2], vrrp[0] >> 4, kv_interval_cs(vrrp));
  hdr |= (__u64)(__u8)(__s8)reason << 40;
  return vrrp_react(st, m, cfg, bpf_map_lookup_elem(&roles, &key), hdr) == DROP ? DROP : PASS;
}

static __always_inline int is_our_mac(__u32 ifindex, const __u8* mac, __u8 vrid, __u8 family) {
  /* The VRRP virtual MAC of the instance (use_vmac) is ours too. */
  if (mac[0] == 0x00 && mac[1] == 0x00 && mac[2] == 0x5e && mac[3] == 0x00 &&
      mac[4] == (family == KV_FAMILY_V6 ? 0x02 : 0x01) && mac[5] == vrid)
    return 1;
  struct kv_mac_key k = {.ifindex = ifindex};
  __builtin_memcpy(k.mac, mac, 6);
  return bpf_map_lookup_elem(&own_macs, &k) != NULL;
}

/* Someone claims `vip` (ARP sender / NA target) from `mac`. */
static __always_inline void watch_claim(__u8 kind, __u8 family, const __u8* vip, const __u8* mac,
                                        __u32 ifindex, __u64 now) {
  struct kv_addr_key k = {.family = family};
  __builtin_memcpy(k.addr, vip, family == KV_FAMILY_V6 ? 16 : 4);
  struct kv_vip_owner* owner = bpf_map_lookup_elem(&vips, &k);
  if (!owner) return;
  struct kv_inst_key ik = {.ifindex = owner->ifindex, .vrid = owner->vrid, .family = owner->family};
  if (role_of(&ik) != KV_ROLE_MASTER) return;
  if (is_our_mac(ifindex, mac, owner->vrid, family)) return;
  struct kv_event ev = {.mono_ns = now,
                        .ifindex = owner->ifindex,
                        .kind = kind,
                        .vrid = owner->vrid,
                        .advert_vrid = owner->vrid,
                        .family = family};
  __builtin_memcpy(ev.mac, mac, 6);
  __builtin_memcpy(ev.addr, k.addr, 16);
  emit(&ev);
}

struct arp_eth_ipv4 {
  __be16 ar_hrd;
  __be16 ar_pro;
  __u8 ar_hln;
  __u8 ar_pln;
  __be16 ar_op;
  __u8 sha[ETH_ALEN];
  __u8 spa[4];
  __u8 tha[ETH_ALEN];
  __u8 tpa[4];
};

static __always_inline void check_arp(const __u8* p, const void* end, __u32 ifindex, __u64 now) {
  const struct arp_eth_ipv4* arp = (const struct arp_eth_ipv4*)p;
  if ((const void*)(arp + 1) > end) return;
  if (arp->ar_hrd != bpf_htons(ARPHRD_ETHER) || arp->ar_pro != bpf_htons(ETH_P_IP) ||
      arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
    return;
  if (arp->ar_op != bpf_htons(ARPOP_REQUEST) && arp->ar_op != bpf_htons(ARPOP_REPLY)) return;
  /* A probe (sender 0.0.0.0) asks, it does not claim. */
  if (arp->spa[0] == 0 && arp->spa[1] == 0 && arp->spa[2] == 0 && arp->spa[3] == 0) return;
  __u8 spa[16] = {};
  __builtin_memcpy(spa, arp->spa, 4);
  watch_claim(KV_EVENT_ARP_CONFLICT, KV_FAMILY_V4, spa, arp->sha, ifindex, now);
}

static __always_inline void check_na(const __u8* icmp, const void* end, const __u8* smac,
                                     __u32 ifindex, __u64 now) {
  /* type, code, checksum, flags, target[16], then options */
  if ((const void*)(icmp + 24) > end) return;
  if (icmp[0] != ICMPV6_NA || icmp[1] != 0) return;
  const __u8* mac = smac;
  const __u8* opt = icmp + 24;
  if ((const void*)(opt + 8) <= end && opt[0] == ND_OPT_TARGET_LL_ADDR && opt[1] == 1)
    mac = opt + 2;
  __u8 target[16];
  __builtin_memcpy(target, icmp + 8, 16);
  watch_claim(KV_EVENT_NA_CONFLICT, KV_FAMILY_V6, target, mac, ifindex, now);
}

/* vrrp_advert_*()'s `info`: what parsing the IP header found. */
#define INFO(family, fragment, ah, vrrp_len) \
  ((__u32)(family) | (__u32)(fragment) << 8 | (__u32)(ah) << 9 | (__u32)(vrrp_len) << 16)

/* What the IP header at its fixed place says about the advert at
 * `vrrp_off`; 0 when the frame is too short. */
static __always_inline int read_meta(struct advert_meta* m, void* ctx, const __u8* data,
                                     const void* end, __u32 ifindex, __u64 vrrp_off, __u32 info) {
  const struct ethhdr* eth = (const struct ethhdr*)data;
  if ((const void*)(eth + 1) > end) return 0;
  m->ifindex = ifindex;
  m->ctx = ctx;
  m->now = bpf_ktime_get_ns();
  __builtin_memcpy(m->smac, eth->h_source, 6);
  m->vrrp_off = (__u16)vrrp_off;
  m->pkt.family = (__u8)info;
  m->pkt.ah = (info >> 9) & 1;
  m->pkt.vrrp_len = info >> 16;
  if (m->pkt.family == KV_FAMILY_V4) {
    const struct iphdr* ip = (const struct iphdr*)(eth + 1);
    if ((const void*)(ip + 1) > end) return 0;
    m->pkt.ttl = ip->ttl;
    m->pkt.multicast = (bpf_ntohl(ip->daddr) >> 28) == 0xe;
    __builtin_memcpy(m->pkt.src, &ip->saddr, 4);
    __builtin_memcpy(m->pkt.dst, &ip->daddr, 4);
  } else {
    const struct ipv6hdr* ip6 = (const struct ipv6hdr*)(eth + 1);
    if ((const void*)(ip6 + 1) > end) return 0;
    m->pkt.ttl = ip6->hop_limit;
    m->pkt.multicast = ip6->daddr.in6_u.u6_addr8[0] == 0xff;
    __builtin_memcpy(m->pkt.src, &ip6->saddr, 16);
    __builtin_memcpy(m->pkt.dst, &ip6->daddr, 16);
  }
  return 1;
}

/* The receive checks keepvipd runs too (vrrp_checks_*.h), in its order:
 * KV_ACCEPT or the drop reason; KV_ACCEPT also for what is not ours. */
static __always_inline int checks_at(void* ctx, const int xdp, const __u8* data, const void* end,
                                     __u32 ifindex, __u64 vrrp_off, __u32 info) {
  if (vrrp_off > MAX_VRRP_OFF) return KV_ACCEPT;
  struct advert_meta m = {};
  if (!read_meta(&m, ctx, data, end, ifindex, vrrp_off, info)) return KV_ACCEPT;
  const __u8* vrrp = data + vrrp_off;
  if ((const void*)(vrrp + 2) > end) return KV_ACCEPT;
  struct kv_inst_key key = {.ifindex = ifindex, .vrid = vrrp[1], .family = m.pkt.family};
  struct kv_inst_cfg* cfg = bpf_map_lookup_elem(&instances, &key);
  if (!cfg) return KV_ACCEPT;
  struct kv_check_env env = {.ctx = ctx,
                             .vrrp_off = (__u32)vrrp_off,
                             .ifindex = ifindex,
                             .vrid = key.vrid,
                             .family = key.family,
                             .xdp = (__u8)xdp,
                             .vip_count = cfg->vip_count};
  __u32 flags = cfg->unicast ? 0 : KV_CHECK_TTL | KV_CHECK_LINK_LOCAL;
  if (cfg->v3_checksum_as_v2) flags |= KV_CHECK_V3_CHECKSUM_AS_V2;
  int reason = kv_check_packet(vrrp, end, &m.pkt, flags, &env);
  if (reason != KV_ACCEPT) return reason;
  return kv_check_instance(vrrp, end, &m.pkt, cfg, bpf_map_lookup_elem(&roles, &key), &env);
}

/* What becomes of one advert (or the first fragment of one) once the checks
 * gave `reason`: counted, rate-limited, watched for a second master. */
static __always_inline enum verdict advert_at(void* ctx, const int xdp, const __u8* data,
                                              const void* end, __u32 ifindex, __u64 vrrp_off,
                                              __u32 info, int reason) {
  if (vrrp_off > MAX_VRRP_OFF) return PASS;
  struct advert_meta m = {};
  if (!read_meta(&m, ctx, data, end, ifindex, vrrp_off, info)) return PASS;
  const __u8* vrrp = data + vrrp_off;
  if ((info >> 8) & 1) return check_fragment(vrrp, end, &m);
  return check_advert(vrrp, end, &m, reason);
}

/* Global functions: the verifier checks each once on its own, not once per
 * way the parsing before them can end (nor the reactions once per reason). */
__noinline int vrrp_checks_xdp(struct xdp_md* ctx, __u64 vrrp_off, __u32 info) {
  return checks_at(ctx, 1, (const __u8*)(long)ctx->data, (const void*)(long)ctx->data_end,
                   ctx->ingress_ifindex, vrrp_off, info);
}

__noinline int vrrp_checks_skb(struct __sk_buff* skb, __u64 vrrp_off, __u32 info) {
  return checks_at(skb, 0, (const __u8*)(long)skb->data, (const void*)(long)skb->data_end,
                   skb->ifindex, vrrp_off, info);
}

__noinline int vrrp_advert_xdp(struct xdp_md* ctx, __u64 vrrp_off, __u32 info, int reason) {
  return advert_at(ctx, 1, (const __u8*)(long)ctx->data, (const void*)(long)ctx->data_end,
                   ctx->ingress_ifindex, vrrp_off, info, reason);
}

__noinline int vrrp_advert_skb(struct __sk_buff* skb, __u64 vrrp_off, __u32 info, int reason) {
  return advert_at(skb, 0, (const __u8*)(long)skb->data, (const void*)(long)skb->data_end,
                   skb->ifindex, vrrp_off, info, reason);
}

static __always_inline enum verdict advert(void* ctx, const int xdp, __u32 vrrp_off, __u32 info) {
  int reason = KV_ACCEPT;
  if (!((info >> 8) & 1))
    reason = xdp ? vrrp_checks_xdp(ctx, vrrp_off, info) : vrrp_checks_skb(ctx, vrrp_off, info);
  int v = xdp ? vrrp_advert_xdp(ctx, vrrp_off, info, reason)
              : vrrp_advert_skb(ctx, vrrp_off, info, reason);
  return v == DROP ? DROP : PASS;
}

/* The AH header of an auth_type AH advert at `ah`: 1 when it carries VRRP
 * (anything else is IPsec traffic, not ours to judge). */
static __always_inline int ah_carries_vrrp(const __u8* ah, const void* end) {
  if ((const void*)(ah + KV_AH_LEN) > end) return 0;
  return ah[0] == IPPROTO_VRRP && ah[1] == KV_AH_PAYLOAD_LEN;
}

/* An IPv4 packet: adverts (and their first fragments) for our instances,
 * plain or after an AH header (auth_type AH). */
static __always_inline enum verdict guard_ipv4(void* ctx, const int xdp, const __u8* p,
                                               const void* end) {
  const struct iphdr* ip = (const struct iphdr*)p;
  if ((const void*)(ip + 1) > end) return PASS;
  if (ip->version != 4) return PASS;
  if (ip->protocol != IPPROTO_VRRP && ip->protocol != KV_IPPROTO_AH) return PASS;
  __u32 ihl = ip->ihl * 4;
  __u32 total = bpf_ntohs(ip->tot_len);
  if (ihl < sizeof(*ip) || total < ihl) return PASS; /* malformed: the stack drops it */
  __u16 frag = bpf_ntohs(ip->frag_off);
  if (frag & 0x1fff) return PASS; /* a later fragment: see check_fragment */
  __u32 ah = 0;
  if (ip->protocol == KV_IPPROTO_AH) {
    if (ihl > 60 || !ah_carries_vrrp(p + ihl, end) || total < ihl + KV_AH_LEN) return PASS;
    ah = KV_AH_LEN;
  }
  return advert(ctx, xdp, ETH_HLEN + ihl + ah,
                INFO(KV_FAMILY_V4, (frag & 0x2000) != 0, ah != 0, total - ihl - ah));
}

static __always_inline int is_ext_header(__u8 next) {
  return next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS ||
         next == IPPROTO_FRAGMENT;
}

/* An IPv6 packet: adverts for our instances, also behind hop-by-hop, routing,
 * destination options and fragment headers; neighbour adverts claiming our
 * VIPs. */
static __always_inline enum verdict guard_ipv6(void* ctx, const int xdp, const __u8* p,
                                               const void* end, const __u8* smac, __u32 ifindex,
                                               __u64 now) {
  const struct ipv6hdr* ip6 = (const struct ipv6hdr*)p;
  if ((const void*)(ip6 + 1) > end) return PASS;
  __u8 next = ip6->nexthdr;
  if (next == IPPROTO_ICMPV6) {
    /* RFC 4861 7.1.2: a valid NA has hop limit 255 (it was not routed). */
    if (ip6->hop_limit == 255) check_na((const __u8*)(ip6 + 1), end, smac, ifindex, now);
    return PASS;
  }
  __u32 ext = 0; /* bytes of extension headers */
  int fragment = 0;
  for (int i = 0; i < KV_MAX_EXT_HEADERS; i++) {
    if (!is_ext_header(next)) break;
    const __u8* h = (const __u8*)(ip6 + 1) + ext;
    if ((const void*)(h + 8) > end) return PASS; /* truncated: the stack drops it */
    if (next == IPPROTO_FRAGMENT) {
      if ((h[2] << 8 | h[3]) & 0xfff8) return PASS; /* a later fragment */
      fragment = 1;
    }
    ext += next == IPPROTO_FRAGMENT ? 8 : ((__u32)h[1] + 1) * 8;
    next = h[0];
    if (ext > KV_MAX_EXT_BYTES) break;
  }
  /* A chain we could not follow to its end: we cannot tell what it carries. */
  if (is_ext_header(next) || ext > KV_MAX_EXT_BYTES)
    return drop_unattributed(ifindex, KV_FAMILY_V6, now, KV_DROP_EXT_HEADER_CHAIN);
  if (next != IPPROTO_VRRP) return PASS;
  __u32 payload = bpf_ntohs(ip6->payload_len);
  if (payload < ext) return PASS; /* malformed: the stack drops it */
  return advert(ctx, xdp, ETH_HLEN + sizeof(*ip6) + ext,
                INFO(KV_FAMILY_V6, fragment, 0, payload - ext));
}

static __always_inline enum verdict guard(void* ctx, const int xdp, const __u8* data,
                                          const void* end, __u32 ifindex) {
  const struct ethhdr* eth = (const struct ethhdr*)data;
  if ((const void*)(eth + 1) > end) return PASS;
  const __u8* p = (const __u8*)(eth + 1);
  __u16 proto = eth->h_proto;
  /* A tagged frame belongs to a VLAN interface on top of this one, with
   * instances (and a guard) of its own: counting it under this interface
   * would judge another LAN's routers by our configuration. */
  if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) return PASS;
  __u64 now = bpf_ktime_get_ns();

  if (proto == bpf_htons(ETH_P_ARP)) {
    check_arp(p, end, ifindex, now);
    return PASS;
  }

  if (proto == bpf_htons(ETH_P_IP)) return guard_ipv4(ctx, xdp, p, end);
  if (proto == bpf_htons(ETH_P_IPV6))
    return guard_ipv6(ctx, xdp, p, end, eth->h_source, ifindex, now);
  return PASS;
}

static __always_inline int xdp_guard(struct xdp_md* ctx) {
  const void* data = (const void*)(long)ctx->data;
  const void* end = (const void*)(long)ctx->data_end;
  return guard(ctx, 1, data, end, ctx->ingress_ifindex) == DROP ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int vrrp_guard_xdp(struct xdp_md* ctx) {
  return xdp_guard(ctx);
}

#ifdef KV_XDP_VLAN_METADATA
extern int bpf_xdp_metadata_rx_vlan_tag(const struct xdp_md* ctx, __be16* vlan_proto,
                                        __u16* vlan_tci) __ksym;

/* For a driver that takes VLAN tags off before XDP runs (rx VLAN offload):
 * the frame looks untagged, so ask the driver whether it had a tag. Such a
 * frame is a VLAN interface's, judged by that interface's own guard. */
SEC("xdp")
int vrrp_guard_xdp_vlan(struct xdp_md* ctx) {
  __be16 proto = 0;
  __u16 tci = 0;
  if (bpf_xdp_metadata_rx_vlan_tag(ctx, &proto, &tci) == 0) return XDP_PASS;
  return xdp_guard(ctx);
}
#endif

/* Whether the tc fallback has to look at this frame at all: VRRP, ARP, or
 * ICMPv6 (neighbour adverts). Read through bpf_skb_load_bytes, so frames of
 * no interest are never made linear. */
static __always_inline int tc_wants(struct __sk_buff* skb) {
  __u8 next = 0;
  if (skb->protocol == bpf_htons(ETH_P_ARP)) return 1;
  if (skb->protocol == bpf_htons(ETH_P_IP)) {
    if (bpf_skb_load_bytes(skb, ETH_HLEN + __builtin_offsetof(struct iphdr, protocol), &next, 1) <
        0)
      return 0;
    return next == IPPROTO_VRRP || next == KV_IPPROTO_AH;
  }
  if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
    if (bpf_skb_load_bytes(skb, ETH_HLEN + __builtin_offsetof(struct ipv6hdr, nexthdr), &next, 1) <
        0)
      return 0;
    return next == IPPROTO_VRRP || next == IPPROTO_ICMPV6 || next == IPPROTO_HOPOPTS ||
           next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS || next == IPPROTO_FRAGMENT;
  }
  return 0;
}

/* Passing returns TC_ACT_UNSPEC, not TC_ACT_OK: in direct-action mode OK
 * would end the filter chain, and other tc filters on the interface must
 * still see what we do not drop. */
SEC("tc")
int vrrp_guard_tc_ingress(struct __sk_buff* skb) {
  /* The tag was taken off into skb->vlan_tci: a VLAN interface's frame. */
  if (skb->vlan_present || !tc_wants(skb)) return TC_ACT_UNSPEC;
  /* Direct access sees only the linear part. Anything longer than the
   * largest advert we accept is dropped as oversized on its header alone, so
   * pulling that much is enough. */
  __u32 len = skb->len < KV_TC_PULL_LEN ? skb->len : KV_TC_PULL_LEN;
  bpf_skb_pull_data(skb, len);
  const void* data = (const void*)(long)skb->data;
  const void* end = (const void*)(long)skb->data_end;
  return guard(skb, 0, data, end, skb->ifindex) == DROP ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}

SEC("tc")
int vrrp_guard_tc_egress(struct __sk_buff* skb) {
  const void* data = (const void*)(long)skb->data;
  const void* end = (const void*)(long)skb->data_end;
  const struct ethhdr* eth = (const struct ethhdr*)data;
  if ((const void*)(eth + 1) > end) return TC_ACT_UNSPEC;
  const __u8* p = (const __u8*)(eth + 1);
  struct kv_inst_key key = {.ifindex = skb->ifindex};
  const __u8* vrrp;
  if (eth->h_proto == bpf_htons(ETH_P_IP)) {
    const struct iphdr* ip = (const struct iphdr*)p;
    if ((const void*)(ip + 1) > end) return TC_ACT_UNSPEC;
    if (ip->protocol != IPPROTO_VRRP && ip->protocol != KV_IPPROTO_AH) return TC_ACT_UNSPEC;
    __u32 ihl = ip->ihl * 4;
    if (ihl < sizeof(*ip) || ihl > 60) return TC_ACT_UNSPEC;
    vrrp = p + ihl;
    if (ip->protocol == KV_IPPROTO_AH) {
      if (!ah_carries_vrrp(vrrp, end)) return TC_ACT_UNSPEC;
      vrrp += KV_AH_LEN;
    }
    key.family = KV_FAMILY_V4;
  } else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
    const struct ipv6hdr* ip6 = (const struct ipv6hdr*)p;
    if ((const void*)(ip6 + 1) > end || ip6->nexthdr != IPPROTO_VRRP) return TC_ACT_UNSPEC;
    vrrp = (const __u8*)(ip6 + 1);
    key.family = KV_FAMILY_V6;
  } else {
    return TC_ACT_UNSPEC;
  }
  if ((const void*)(vrrp + 2) > end) return TC_ACT_UNSPEC;
  key.vrid = vrrp[1];
  if (!bpf_map_lookup_elem(&instances, &key)) return TC_ACT_UNSPEC;
  __u64* count = bpf_map_lookup_elem(&sent, &key);
  if (count) {
    __sync_fetch_and_add(count, 1);
  } else {
    __u64 one = 1;
    bpf_map_update_elem(&sent, &key, &one, BPF_NOEXIST);
  }
  return TC_ACT_UNSPEC;
}
