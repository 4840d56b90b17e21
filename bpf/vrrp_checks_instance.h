/* The receive checks of a VRRP advert against one instance's configuration,
 * run after kv_check_packet() (vrrp_checks_packet.h) accepted it. Shared like
 * those: the guard (vrrp_guard.bpf.c) and keepvipd
 * (agent/vrrp/receive_checks.cpp) both run kv_check_instance(), in the order
 * keepalived 2.2.8's vrrp_check_packet uses: version, authentication,
 * interval, address list, unicast source.
 *
 * The includer defines the kv_env_* functions below: the guard looks VIPs
 * and peers up in its maps, keepvipd in the configuration. */
#ifndef KEEPVIP_VRRP_CHECKS_INSTANCE_H
#define KEEPVIP_VRRP_CHECKS_INSTANCE_H

#include "vrrp_checks_packet.h"

/* The includer's: kv_address_list_ok() over the address list of the
 * message being checked (`count` addresses after its header), run where the
 * includer can afford its loop. */
static int kv_env_address_list_ok(struct kv_check_env* env, __u8 count);
/* The includer's: the index of `addr` (16 bytes, IPv4 in the first 4) among
 * the instance's advertised VIPs, or -1. */
static int kv_env_vip_index(struct kv_check_env* env, const __u8* addr);
/* The includer's: 1 when `addr` is one of the instance's unicast_peer, with
 * the TTLs its adverts may have in `peer`. */
static int kv_env_unicast_peer(struct kv_check_env* env, const __u8* addr, struct kv_peer* peer);

static __always_inline int kv_same_addr(const __u8* a, const __u8* b, __u8 family) {
  for (__u32 i = 0; i < 16; i++) {
    if (i >= kv_addr_len(family)) break;
    if (a[i] != b[i]) return 0;
  }
  return 1;
}

/* Which of an instance's VIPs an advert named: one bit per index (0..255).
 * The guard keeps it in a per-CPU map value (indexing a stack array by a
 * value the verifier cannot bound costs far more to verify). */
struct kv_vip_bitmap {
  __u64 words[4];
};

/* Marks each listed address's VIP index in `seen`; 0 when an address is
 * not one of our VIPs or names one twice. `alen` is a constant at each call
 * site, so the verifier sees a fixed stride. */
static __always_inline int kv_mark_listed(const __u8* list, const void* end, __u8 count,
                                          __u16 vip_count, struct kv_vip_bitmap* seen,
                                          struct kv_check_env* env, const __u32 alen) {
  for (__u32 i = 0; i < 255; i++) {
    if (i >= count) break;
    const __u8* a = list + i * alen;
    if ((const void*)(a + alen) > end) return 0;
    __u8 addr[16] = {0};
    __builtin_memcpy(addr, a, alen);
    int index = kv_env_vip_index(env, addr);
    if (index < 0 || index >= vip_count) return 0;
    __u64 bit = 1ULL << (index & 63);
    __u64* word = &seen->words[(index >> 6) & 3];
    if (*word & bit) return 0;
    *word |= bit;
  }
  return 1;
}

/* keepalived's address list check: the advert lists as many addresses as we
 * have VIPs, and every VIP of ours is among them. Counting each of our VIPs
 * at most once makes that exact even when an advert repeats an address.
 * `seen` is scratch space, cleared here. */
static __always_inline int kv_address_list_ok(const __u8* list, const void* end, __u8 count,
                                              __u8 family, __u16 vip_count,
                                              struct kv_vip_bitmap* seen,
                                              struct kv_check_env* env) {
  if (count != vip_count) return 0;
  for (__u32 w = 0; w < 4; w++) seen->words[w] = 0;
  if (family == KV_FAMILY_V6) return kv_mark_listed(list, end, count, vip_count, seen, env, 16);
  return kv_mark_listed(list, end, count, vip_count, seen, env, 4);
}

/* The instance-level checks, in the order both sides run them; KV_ACCEPT or
 * the kv_drop_reason. `live` is what keepvipd knows now (the master it
 * follows), NULL when nothing. */
static __always_inline int kv_check_instance(const __u8* vrrp, const void* end,
                                             const struct kv_packet* pkt,
                                             const struct kv_inst_cfg* cfg,
                                             const struct kv_inst_live* live,
                                             struct kv_check_env* env) {
  if ((const void*)(vrrp + KV_VRRP_HEADER_LEN) > end) return KV_DROP_TRUNCATED;
  /* keepalived: "Expected (un|mult)icast packet but received ..." */
  if (cfg->unicast && pkt->multicast) return KV_DROP_MULTICAST_IN_UNICAST;
  if (!cfg->unicast && !pkt->multicast) return KV_DROP_UNICAST_IN_MULTICAST;
  /* Multicast loopback, or a unicast peer list that names ourselves. */
  if (kv_same_addr(pkt->src, cfg->primary, pkt->family)) return KV_DROP_OWN_ADVERT;
  /* keepalived: "Received AH header but auth type not AH" / "No AH header
   * but auth type is AH" (authtype_mismatch). */
  if (pkt->ah != (cfg->auth_type == KV_AUTH_AH)) return KV_DROP_AUTH_TYPE_MISMATCH;
  __u8 version = vrrp[0] >> 4;
  __u8 count = vrrp[3];
  if (version != cfg->version) return KV_DROP_VERSION_MISMATCH;
  if (version == 2) {
    if (vrrp[4] != cfg->auth_type) return KV_DROP_AUTH_TYPE_MISMATCH;
    const __u8* auth = vrrp + KV_VRRP_HEADER_LEN + (__u32)count * 4;
    if ((const void*)(auth + KV_VRRP_AUTH_LEN) > end) return KV_DROP_TRUNCATED;
    /* keepalived compares the whole 8-byte field, NUL padded (AH: the ICV
     * is checked by keepvipd, which holds the key). */
    if (cfg->auth_type == KV_AUTH_PASS) {
      for (__u32 i = 0; i < KV_VRRP_AUTH_LEN; i++)
        if (auth[i] != cfg->auth_data[i]) return KV_DROP_AUTH_MISMATCH;
    }
    /* RFC 3768 7.1: v2 routers must agree on the interval (v3 backups learn it). */
    if (kv_interval_cs(vrrp) != cfg->interval_cs) return KV_DROP_INTERVAL_MISMATCH;
  }
  /* keepalived checks the address list (and the unicast source) of every
   * advert, vrrp_strict or not; vrrp_skip_check_adv_addr skips both for the
   * master it already follows (vrrp_state_backup). */
  int from_master = live && live->has_master && kv_same_addr(pkt->src, live->master, pkt->family);
  if (cfg->skip_check_adv_addr && from_master) return KV_ACCEPT;
  if (!kv_env_address_list_ok(env, count)) return KV_DROP_ADDRESS_LIST_MISMATCH;
  if (cfg->unicast && cfg->check_unicast_src) {
    struct kv_peer peer = {0, 255};
    if (!kv_env_unicast_peer(env, pkt->src, &peer)) return KV_DROP_NOT_UNICAST_PEER;
    /* keepalived: "TTL/HL %d not in range %d - %d" (ip_ttl_err). */
    if (pkt->ttl < peer.min_ttl || pkt->ttl > peer.max_ttl) return KV_DROP_TTL_OUT_OF_RANGE;
  }
  return KV_ACCEPT;
}

#endif /* KEEPVIP_VRRP_CHECKS_INSTANCE_H */
