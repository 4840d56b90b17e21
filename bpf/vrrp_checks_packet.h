/* The receive checks of a VRRP advert that need only the packet (RFC 3768
 * 7.1, RFC 9568 7.1, keepalived's vrrp_check_packet). Written once for both
 * sides: the guard's programs (vrrp_guard.bpf.c) and keepvipd's decoder
 * (agent/proto/advert_decode.cpp) run kv_check_packet(), so whatever one
 * accepts the other accepts, and a drop has the same reason on both.
 * vrrp_checks_instance.h has the checks against an instance's configuration;
 * they run after these.
 *
 * Plain C over bytes with an explicit end pointer, bounded loops and no libc:
 * the BPF verifier accepts it and so does a C++ compiler. The includer
 * defines kv_env_message_sum() (the guard sums the packet in a function the
 * verifier checks on its own; keepvipd sums its buffer). */
#ifndef KEEPVIP_VRRP_CHECKS_PACKET_H
#define KEEPVIP_VRRP_CHECKS_PACKET_H

#include "vrrp_guard_shared.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define KV_ACCEPT (-1) /* the checks' verdict when no kv_drop_reason applies */
#define KV_VRRP_TTL 255
#define KV_VRRP_HEADER_LEN 8
#define KV_VRRP_AUTH_LEN 8 /* v2 only, after the addresses */
#define KV_VRRP_TYPE_ADVERT 1
#define KV_IPPROTO_VRRP 112
/* keepalived's auth_type AH: IPv4 protocol 51, then a 24-byte AH header
 * (next header 112, payload length 4, SPI, sequence, 96-bit ICV), then the
 * VRRPv2 message. */
#define KV_IPPROTO_AH 51
#define KV_AH_LEN 24
#define KV_AH_PAYLOAD_LEN 4

/* kv_check_packet() flags: which of the mode-dependent checks apply. */
#define KV_CHECK_TTL 1        /* TTL / hop limit 255 (multicast mode) */
#define KV_CHECK_LINK_LOCAL 2 /* IPv6 source is link-local (multicast mode) */
/* keepalived 2.2.8's v3_checksum_as_v2: a VRRPv3 checksum over IPv4 is not
 * verified (keepalived accepts it with or without the pseudo-header). */
#define KV_CHECK_V3_CHECKSUM_AS_V2 4

/* What the IP layer says about a received advert. Addresses are network
 * order, IPv4 in the first 4 of 16 bytes. */
struct kv_packet {
  __u8 family;    /* KV_FAMILY_V4 / KV_FAMILY_V6 */
  __u8 ttl;       /* TTL or hop limit */
  __u8 multicast; /* 1: sent to a multicast group */
  __u8 ah;        /* 1: IPv4 protocol 51, the message after an IPsec AH header */
  __u32 vrrp_len; /* the IP payload length the IP header declares */
  __u8 src[16];
  __u8 dst[16];
};

struct kv_check_env;
/* The includer's: the sum of the message's first `len` bytes (a multiple of
 * 4, all present) as kv_sum16() computes it. */
static __u32 kv_env_message_sum(struct kv_check_env* env, __u32 len);

static __always_inline __u32 kv_addr_len(__u8 family) {
  return family == KV_FAMILY_V6 ? 16 : 4;
}

/* The length of a complete message with `count` addresses. */
static __always_inline __u32 kv_message_len(__u8 version, __u8 family, __u8 count) {
  return KV_VRRP_HEADER_LEN + (__u32)count * kv_addr_len(family) +
         (version == 2 ? KV_VRRP_AUTH_LEN : 0);
}

/* The advert interval in centiseconds: v2 carries seconds, v3 12 bits of
 * centiseconds. */
static __always_inline __u16 kv_interval_cs(const __u8* vrrp) {
  if ((vrrp[0] >> 4) == 2) return (__u16)(vrrp[5] * 100);
  return (__u16)(((vrrp[4] & 0x0f) << 8) | vrrp[5]);
}

/* The sum of the big-endian 16-bit words of p[0, len), len a multiple of 4
 * (every complete message is), unfolded: at most KV_MAX_VRRP_LEN / 2 words
 * of 0xffff, no overflow. */
static __always_inline __u32 kv_sum16(const __u8* p, const void* end, __u32 len) {
  __u32 sum = 0;
  for (__u32 i = 0; i < KV_MAX_VRRP_LEN; i += 4) {
    if (i >= len || (const void*)(p + i + 4) > end) break;
    sum += (((__u32)p[i] << 8) | p[i + 1]) + (((__u32)p[i + 2] << 8) | p[i + 3]);
  }
  return sum;
}

static __always_inline __u32 kv_fold16(__u32 sum) {
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

static __always_inline __u32 kv_sum_addr(const __u8* a, __u8 family) {
  __u32 sum = 0;
  for (__u32 i = 0; i < 16; i += 2) {
    if (i >= kv_addr_len(family)) break;
    sum += ((__u32)a[i] << 8) | a[i + 1];
  }
  return sum;
}

/* v2 (RFC 3768 5.3.8) sums the message alone. v3 (RFC 9568 5.2.8) adds the
 * IP pseudo-header for both families; keepalived checks v3 over IPv4 the same
 * way, unless v3_checksum_as_v2, where it checks none. */
static __always_inline int kv_checksum_ok(const struct kv_packet* pkt, __u8 version,
                                          __u32 message_sum, __u32 len, __u32 flags) {
  if (version == 3 && pkt->family == KV_FAMILY_V4 && (flags & KV_CHECK_V3_CHECKSUM_AS_V2)) return 1;
  __u32 sum = message_sum;
  if (version == 3) {
    sum += kv_sum_addr(pkt->src, pkt->family) + kv_sum_addr(pkt->dst, pkt->family);
    sum += (len >> 16) + (len & 0xffff) + KV_IPPROTO_VRRP;
  }
  return kv_fold16(sum) == 0xffff;
}

static __always_inline int kv_is_ipv6_link_local(const __u8* a) {
  return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* The packet-level checks, in the order both sides run them; KV_ACCEPT or
 * the kv_drop_reason. Reads only within [vrrp, end). */
static __always_inline int kv_check_packet(const __u8* vrrp, const void* end,
                                           const struct kv_packet* pkt, __u32 flags,
                                           struct kv_check_env* env) {
  if ((flags & KV_CHECK_TTL) && pkt->ttl != KV_VRRP_TTL) return KV_DROP_BAD_TTL;
  if (pkt->vrrp_len < KV_VRRP_HEADER_LEN || (const void*)(vrrp + KV_VRRP_HEADER_LEN) > end)
    return KV_DROP_TRUNCATED;
  __u8 version = vrrp[0] >> 4;
  /* VRRPv2 exists only for IPv4 (RFC 3768). */
  if (version == 2 ? pkt->family != KV_FAMILY_V4 : version != 3) return KV_DROP_BAD_VERSION;
  if ((vrrp[0] & 0x0f) != KV_VRRP_TYPE_ADVERT) return KV_DROP_BAD_TYPE;
  __u8 count = vrrp[3];
  if (count == 0) return KV_DROP_ZERO_ADDRESS_COUNT;
  __u32 expected = kv_message_len(version, pkt->family, count);
  if (pkt->vrrp_len < expected) return KV_DROP_TRUNCATED;
  if (pkt->vrrp_len > expected) return KV_DROP_OVERSIZED;
  if ((const void*)(vrrp + expected) > end) return KV_DROP_TRUNCATED;
  if (!kv_checksum_ok(pkt, version, kv_env_message_sum(env, expected), expected, flags))
    return KV_DROP_BAD_CHECKSUM;
  if (kv_interval_cs(vrrp) == 0) return KV_DROP_ZERO_INTERVAL;
  /* RFC 9568 5.1.2.1: an IPv6 advert comes from the sender's link-local
   * address (not checked in unicast mode, where unicast_src_ip may be global). */
  if (pkt->family == KV_FAMILY_V6 && (flags & KV_CHECK_LINK_LOCAL) &&
      !kv_is_ipv6_link_local(pkt->src))
    return KV_DROP_SOURCE_NOT_LINK_LOCAL;
  return KV_ACCEPT;
}

#endif /* KEEPVIP_VRRP_CHECKS_PACKET_H */
