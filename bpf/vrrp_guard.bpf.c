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

#include "vrrp_guard_shared.h"

#define IPPROTO_VRRP 112
#define VRRP_TYPE_ADVERT 1
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

/* Our current VRRP role per instance (enum kv_role); written by userspace. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_MAX_INSTANCES);
  __type(key, struct kv_inst_key);
  __type(value, __u32);
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

/* Per (interface, VRID, family, source): advert counters, drops, token bucket. */
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

/* What the IP layer tells the VRRP checks. */
struct advert_meta {
  __u32 ifindex;
  __u8 family;
  __u8 ttl;
  __u16 vrrp_len; /* IP payload length */
  __u8 src[16];
  __u8 dst[16];
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
  __u32* role = bpf_map_lookup_elem(&roles, key);
  return role ? *role : KV_ROLE_INIT;
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
  ev->family = m->family;
  ev->priority = vrrp[2];
  ev->version = vrrp[0] >> 4;
  ev->interval_cs = interval_cs;
  __builtin_memcpy(ev->mac, m->smac, 6);
  __builtin_memcpy(ev->addr, m->src, 16);
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
  return bytes_less(cfg->primary, m->src, addr_len(m->family));
}

static __always_inline __u32 fold16(__u64 sum) {
  sum = (sum & 0xffffffff) + (sum >> 32);
  sum = (sum & 0xffffffff) + (sum >> 32);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return (__u32)sum;
}

/* One's-complement sum of the VRRP message (a multiple of 4 bytes long),
 * folded to 16 bits. */
static __always_inline __u32 sum_words(const __u8* data, const void* end, __u32 off, __u32 len) {
  __u64 sum = 0;
  for (__u32 i = 0; i < KV_MAX_VRRP_LEN / 4; i++) {
    if (i * 4 >= len) break;
    __u32 at = off + i * 4;
    if (at > 2 * KV_MAX_VRRP_LEN) break;
    const __u32* w = (const __u32*)(data + at);
    if ((const void*)(w + 1) > end) break;
    sum += *w;
  }
  return fold16(sum);
}

/* The sums are global functions: the verifier checks each once on its own,
 * instead of walking everything after the loop once per way out of it. */
__noinline int vrrp_sum_xdp(struct xdp_md* ctx, __u32 off, __u32 len) {
  return (int)sum_words((const __u8*)(long)ctx->data, (const void*)(long)ctx->data_end, off, len);
}

__noinline int vrrp_sum_skb(struct __sk_buff* skb, __u32 off, __u32 len) {
  return (int)sum_words((const __u8*)(long)skb->data, (const void*)(long)skb->data_end, off, len);
}

static __always_inline __u64 sum_addr(const __u8* a, __u8 family) {
  __u64 sum = 0;
  const __u32* w = (const __u32*)a;
  sum += w[0];
  if (family == KV_FAMILY_V6) sum += w[1] + (__u64)w[2] + w[3];
  return sum;
}

static __always_inline int folds_to_ones(__u64 sum) {
  return fold16(sum) == 0xffff;
}

/* v2 (RFC 3768) sums the message alone; v3 (RFC 5798) adds the IP
 * pseudo-header. For v3 over IPv4 we also accept the v2 form, which
 * keepalived sends with vrrp_v3_checksum_as_v2. */
/* `xdp` is a constant at each inlined call site, so each program calls
 * only the sum for its own context type. */
static __always_inline int checksum_ok(const struct advert_meta* m, const int xdp, __u8 version) {
  __u32 body = xdp ? (__u32)vrrp_sum_xdp(m->ctx, m->vrrp_off, m->vrrp_len)
                   : (__u32)vrrp_sum_skb(m->ctx, m->vrrp_off, m->vrrp_len);
  body &= 0xffff;
  if (version == 2) return folds_to_ones(body);
  __u64 pseudo = sum_addr(m->src, m->family) + sum_addr(m->dst, m->family);
  if (m->family == KV_FAMILY_V6)
    pseudo += bpf_htonl(m->vrrp_len) + (__u64)bpf_htonl(IPPROTO_VRRP);
  else
    pseudo += bpf_htonl((IPPROTO_VRRP << 16) | m->vrrp_len);
  if (folds_to_ones(body + pseudo)) return 1;
  return m->family == KV_FAMILY_V4 && folds_to_ones(body);
}

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

static __always_inline enum verdict drop(struct kv_router_stats* st, enum kv_drop_reason reason) {
  __sync_fetch_and_add(&st->drops[reason], 1);
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
    __builtin_memcpy(fresh.last_src, m->src, 16);
    bpf_map_update_elem(&inst_state, key, &fresh, BPF_NOEXIST);
    return;
  }
  if (bytes_equal(st->last_src, m->src, 16)) return;
  __u16 longest = interval_cs > cfg->interval_cs ? interval_cs : cfg->interval_cs;
  __u64 window = 3ULL * (longest ? longest : 100) * NSEC_PER_CS;
  if (bytes_equal(st->prev_src, m->src, 16) && m->now - st->last_switch_ns < window)
    st->flips++;
  else
    st->flips = 0;
  __builtin_memcpy(st->prev_src, st->last_src, 16);
  __builtin_memcpy(st->last_src, m->src, 16);
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
  if (is_own_addr(m->family, m->src)) return;
  __u8 count = vrrp[3];
  int alen = addr_len(m->family);
  const __u8* list = vrrp + 8;
  struct kv_vip_owner found = {};
  /* Only look up here; acting on a hit once, after the loop, keeps the
   * verifier's work per iteration small. */
  for (int i = 0; i < KV_MAX_VIPS_PER_ADVERT; i++) {
    if (i >= count) break;
    struct kv_addr_key k = {.family = m->family};
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
  __u8 version = vrrp[0] >> 4;
  __u16 interval = version == 2 ? vrrp[5] * 100 : (((vrrp[4] & 0x0f) << 8) | vrrp[5]);
  struct kv_event ev = {};
  fill_event(&ev, m, KV_EVENT_VRID_MISMATCH, found.vrid, vrrp, interval);
  ev.ifindex = found.ifindex;
  emit(&ev);
}

/* The counters of the router `m` came from, for one of our instances; made
 * on its first advert (with a full token bucket). NULL if the map is full. */
static __always_inline struct kv_router_stats* router_stats(const struct kv_inst_cfg* cfg,
                                                            __u8 vrid,
                                                            const struct advert_meta* m) {
  struct kv_router_key rk = {.ifindex = m->ifindex, .vrid = vrid, .family = m->family};
  __builtin_memcpy(rk.addr, m->src, 16);
  struct kv_router_stats* st = bpf_map_lookup_elem(&routers, &rk);
  if (!st) {
    struct kv_router_stats fresh = {.tokens_milli = cfg->burst * 1000, .refill_ns = m->now};
    bpf_map_update_elem(&routers, &rk, &fresh, BPF_NOEXIST);
    st = bpf_map_lookup_elem(&routers, &rk);
    if (!st) return NULL;
  }
  st->last_seen_ns = m->now;
  return st;
}

/* Shorter than the fixed VRRP header: for one of our VRIDs a truncated advert
 * (dropped, counted); anyone else's passes untouched. */
static __always_inline enum verdict check_runt(__u8 vrid, const struct advert_meta* m) {
  struct kv_inst_key key = {.ifindex = m->ifindex, .vrid = vrid, .family = m->family};
  struct kv_inst_cfg* cfg = bpf_map_lookup_elem(&instances, &key);
  if (!cfg) return PASS;
  struct kv_router_stats* st = router_stats(cfg, vrid, m);
  return st ? drop(st, KV_DROP_TRUNCATED) : PASS;
}

static __always_inline enum verdict check_advert(const __u8* vrrp, const void* end,
                                                 struct advert_meta* m, const int xdp) {
  if ((const void*)(vrrp + 2) > end) return PASS; /* cannot tell whose it is */
  if ((const void*)(vrrp + 8) > end) return check_runt(vrrp[1], m);
  __u8 vrid = vrrp[1];

  struct kv_inst_key key = {.ifindex = m->ifindex, .vrid = vrid, .family = m->family};
  struct kv_inst_cfg* cfg = bpf_map_lookup_elem(&instances, &key);
  if (!cfg) {
    watch_vrid_mismatch(vrrp, end, m);
    return PASS;
  }
  struct kv_router_stats* st = router_stats(cfg, vrid, m);
  if (!st) return PASS;
  __u8 version = vrrp[0] >> 4;
  __u8 type = vrrp[0] & 0x0f;
  __u8 prio = vrrp[2];
  __u8 count = vrrp[3];

  /* RFC 3768 7.1 / RFC 5798 7.1 receive checks, cheapest first. */
  if (!cfg->unicast && m->ttl != 255) return drop(st, KV_DROP_BAD_TTL);
  if (version != 2 && version != 3) return drop(st, KV_DROP_BAD_VERSION);
  if (type != VRRP_TYPE_ADVERT) return drop(st, KV_DROP_BAD_TYPE);
  __u32 expected = 8 + (__u32)count * addr_len(m->family) + (version == 2 ? 8 : 0);
  if (m->vrrp_len > KV_MAX_VRRP_LEN || m->vrrp_len > expected) return drop(st, KV_DROP_OVERSIZED);
  if (m->vrrp_len < expected || (const void*)(vrrp + m->vrrp_len) > end)
    return drop(st, KV_DROP_TRUNCATED);
  if (!checksum_ok(m, xdp, version)) return drop(st, KV_DROP_BAD_CHECKSUM);

  __u16 interval_cs = version == 2 ? vrrp[5] * 100 : (((vrrp[4] & 0x0f) << 8) | vrrp[5]);
  int master = role_of(&key) == KV_ROLE_MASTER && !is_own_addr(m->family, m->src);

  /* Config mismatches: we cannot hear this router, so if it keeps sending
   * while we are MASTER it is a second master. */
  if (version != cfg->version) {
    if (master) suspect(st, m, cfg, KV_EVENT_VERSION_MISMATCH, vrid, vrrp, interval_cs);
    return drop(st, KV_DROP_VERSION_MISMATCH);
  }
  if (version == 2) {
    __u8 auth_type = vrrp[4];
    const __u8* auth = vrrp + 8 + (__u32)count * 4;
    if ((const void*)(auth + 8) > end) return drop(st, KV_DROP_TRUNCATED);
    int auth_ok =
        cfg->has_auth ? auth_type == 1 && bytes_equal(auth, cfg->auth_data, 8) : auth_type == 0;
    if (!auth_ok) {
      if (master) suspect(st, m, cfg, KV_EVENT_AUTH_MISMATCH, vrid, vrrp, interval_cs);
      return drop(st, KV_DROP_AUTH_MISMATCH);
    }
    if (interval_cs != cfg->interval_cs) {
      if (master) suspect(st, m, cfg, KV_EVENT_INTERVAL_MISMATCH, vrid, vrrp, interval_cs);
      return drop(st, KV_DROP_INTERVAL_MISMATCH);
    }
  }

  if (!take_token(st, cfg, m->now)) return drop(st, KV_DROP_RATE_LIMIT);

  __sync_fetch_and_add(&st->adverts, 1);
  st->last_priority = prio;
  st->last_interval_cs = interval_cs;

  /* Priority 0 is a master resigning; higher priority (or a tie we lose) is a
   * normal preemption: neither is evidence. */
  if (master && prio != 0 && !we_would_yield(cfg, prio, m)) {
    __u8 kind =
        interval_cs != cfg->interval_cs ? KV_EVENT_INTERVAL_MISMATCH : KV_EVENT_FOREIGN_MASTER;
    suspect(st, m, cfg, kind, vrid, vrrp, interval_cs);
  }
  if (prio != 0 && role_of(&key) == KV_ROLE_BACKUP)
    watch_two_masters(&key, cfg, m, vrrp, interval_cs);
  return PASS;
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

  struct advert_meta m = {.ifindex = ifindex, .now = now, .ctx = ctx};
  __builtin_memcpy(m.smac, eth->h_source, 6);

  if (proto == bpf_htons(ETH_P_IP)) {
    const struct iphdr* ip = (const struct iphdr*)p;
    if ((const void*)(ip + 1) > end) return PASS;
    if (ip->protocol != IPPROTO_VRRP || ip->version != 4) return PASS;
    if (ip->frag_off & bpf_htons(0x3fff)) return PASS; /* fragments: leave to the stack */
    __u32 ihl = ip->ihl * 4;
    __u32 total = bpf_ntohs(ip->tot_len);
    if (ihl < sizeof(*ip) || total < ihl) return PASS;
    m.family = KV_FAMILY_V4;
    m.ttl = ip->ttl;
    m.vrrp_len = (__u16)(total - ihl);
    __builtin_memcpy(m.src, &ip->saddr, 4);
    __builtin_memcpy(m.dst, &ip->daddr, 4);
    m.vrrp_off = (__u16)(p + ihl - data);
    return check_advert(p + ihl, end, &m, xdp);
  }
  if (proto == bpf_htons(ETH_P_IPV6)) {
    const struct ipv6hdr* ip6 = (const struct ipv6hdr*)p;
    if ((const void*)(ip6 + 1) > end) return PASS;
    const __u8* l4 = (const __u8*)(ip6 + 1);
    if (ip6->nexthdr == IPPROTO_ICMPV6) {
      /* RFC 4861 7.1.2: a valid NA has hop limit 255 (it was not routed). */
      if (ip6->hop_limit == 255) check_na(l4, end, eth->h_source, ifindex, now);
      return PASS;
    }
    if (ip6->nexthdr != IPPROTO_VRRP) return PASS;
    m.family = KV_FAMILY_V6;
    m.ttl = ip6->hop_limit;
    m.vrrp_len = bpf_ntohs(ip6->payload_len);
    __builtin_memcpy(m.src, &ip6->saddr, 16);
    __builtin_memcpy(m.dst, &ip6->daddr, 16);
    m.vrrp_off = (__u16)(l4 - data);
    return check_advert(l4, end, &m, xdp);
  }
  return PASS;
}

SEC("xdp")
int vrrp_guard_xdp(struct xdp_md* ctx) {
  const void* data = (const void*)(long)ctx->data;
  const void* end = (const void*)(long)ctx->data_end;
  return guard(ctx, 1, data, end, ctx->ingress_ifindex) == DROP ? XDP_DROP : XDP_PASS;
}

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
    return next == IPPROTO_VRRP;
  }
  if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
    if (bpf_skb_load_bytes(skb, ETH_HLEN + __builtin_offsetof(struct ipv6hdr, nexthdr), &next, 1) <
        0)
      return 0;
    return next == IPPROTO_VRRP || next == IPPROTO_ICMPV6;
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
    if ((const void*)(ip + 1) > end || ip->protocol != IPPROTO_VRRP) return TC_ACT_UNSPEC;
    __u32 ihl = ip->ihl * 4;
    if (ihl < sizeof(*ip)) return TC_ACT_UNSPEC;
    vrrp = p + ihl;
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
