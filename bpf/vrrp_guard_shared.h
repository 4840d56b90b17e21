/* The one header shared by the VRRP guard's BPF programs (vrrp_guard.bpf.c)
 * and its userspace owner (agent/guard/). Plain C with fixed-width kernel
 * types and explicit padding, so both compilers lay every struct out the same
 * way. Addresses are network-order bytes; IPv4 uses the first 4 of 16. */
#ifndef KEEPVIP_VRRP_GUARD_SHARED_H
#define KEEPVIP_VRRP_GUARD_SHARED_H

#include <linux/types.h>

#define KV_FAMILY_V4 4
#define KV_FAMILY_V6 6

#define KV_MAX_INSTANCES 256
#define KV_MAX_VIPS 1024
#define KV_MAX_OWN_ADDRS 256
#define KV_MAX_ROUTERS 4096
#define KV_MAX_VIPS_PER_ADVERT 32 /* VIP list entries scanned for VRID mismatch */
#define KV_MAX_VRRP_LEN 1024      /* larger adverts are dropped as oversized */
/* What the tc fallback makes linear: Ethernet, the largest IP header, the
 * largest advert we accept. */
#define KV_TC_PULL_LEN (14 + 60 + KV_MAX_VRRP_LEN)

/* Attachments we own, so a restart can replace what a crash left behind. */
#define KV_TC_HANDLE 0x4b56 /* "KV" */
#define KV_TC_PRIORITY 112  /* the VRRP protocol number, easy to spot in `tc filter show` */

/* Events are emitted at most once per (kind, interface, source) per gap. */
#define KV_EVENT_GAP_NS 500000000ULL

enum kv_role {
  KV_ROLE_INIT = 0,
  KV_ROLE_BACKUP = 1,
  KV_ROLE_MASTER = 2,
  KV_ROLE_FAULT = 3,
};

/* Why an advert for one of our VRIDs was dropped. Keep drop_reason_name()
 * in agent/guard/guard_names.cpp in step. */
enum kv_drop_reason {
  KV_DROP_BAD_TTL = 0,       /* TTL / hop limit != 255 in multicast mode */
  KV_DROP_BAD_VERSION,       /* version field not 2 or 3 */
  KV_DROP_BAD_TYPE,          /* type field not 1 (ADVERTISEMENT) */
  KV_DROP_TRUNCATED,         /* shorter than its header says */
  KV_DROP_OVERSIZED,         /* longer than its header says, or > KV_MAX_VRRP_LEN */
  KV_DROP_BAD_CHECKSUM,      /* VRRP checksum wrong */
  KV_DROP_AUTH_MISMATCH,     /* v2 auth type or password differs from ours */
  KV_DROP_VERSION_MISMATCH,  /* valid advert of the other VRRP version */
  KV_DROP_INTERVAL_MISMATCH, /* v2 advert interval differs from ours (RFC 3768 7.1) */
  KV_DROP_RATE_LIMIT,        /* source exceeded its token bucket */
  KV_DROP__MAX,
};

/* What a ring buffer event reports. Keep event_kind_name() in step. */
enum kv_event_kind {
  KV_EVENT_FOREIGN_MASTER = 1, /* we are MASTER; it keeps advertising and we would not yield */
  KV_EVENT_VRID_MISMATCH,      /* we are MASTER; an advert of another VRID lists our VIP */
  KV_EVENT_AUTH_MISMATCH,      /* we are MASTER; our VRID, wrong password, keeps coming */
  KV_EVENT_VERSION_MISMATCH,   /* we are MASTER; our VRID, other version, keeps coming */
  KV_EVENT_INTERVAL_MISMATCH,  /* we are MASTER; our VRID, other interval, keeps coming */
  KV_EVENT_ARP_CONFLICT,       /* we are MASTER; ARP claims our VIP from a MAC not ours */
  KV_EVENT_NA_CONFLICT,        /* we are MASTER; NA claims our VIP from a MAC not ours */
  KV_EVENT_TWO_MASTERS,        /* we are BACKUP; adverts alternate between two sources */
};

/* An instance: one (interface, VRID, family). */
struct kv_inst_key {
  __u32 ifindex;
  __u8 vrid;
  __u8 family;
  __u8 pad[2];
};

struct kv_inst_cfg {
  __u8 version;      /* 2 or 3 */
  __u8 unicast;      /* 1: TTL/hop limit not checked */
  __u8 priority;     /* our effective priority */
  __u8 has_auth;     /* v2: 1 = auth type 1 (PASS) with auth_data, 0 = auth type 0 */
  __u16 interval_cs; /* our advert interval, centiseconds */
  __u16 pad;
  __u8 auth_data[8];  /* zero padded, as on the wire */
  __u8 primary[16];   /* our source address, for equal-priority tie-breaks */
  __u32 rate_per_sec; /* per-source token bucket: refill rate */
  __u32 burst;        /* per-source token bucket: depth */
};

/* Last two advertising sources of an instance (two-masters detection). */
struct kv_inst_state {
  __u8 last_src[16];
  __u8 prev_src[16];
  __u64 last_switch_ns;
  __u32 flips; /* consecutive quick returns to the previous source */
  __u32 pad;
};

struct kv_addr_key {
  __u8 family;
  __u8 pad[3];
  __u8 addr[16];
};

/* Which instance a VIP belongs to. */
struct kv_vip_owner {
  __u32 ifindex;
  __u8 vrid;
  __u8 family;
  __u8 pad[2];
};

struct kv_mac_key {
  __u32 ifindex;
  __u8 mac[6];
  __u8 pad[2];
};

/* One advertising router as seen on one of our instances. */
struct kv_router_key {
  __u32 ifindex;
  __u8 vrid;
  __u8 family;
  __u8 pad[2];
  __u8 addr[16];
};

struct kv_router_stats {
  __u64 adverts;      /* accepted adverts */
  __u64 last_seen_ns; /* CLOCK_MONOTONIC of the last advert, accepted or not */
  __u64 drops[KV_DROP__MAX];
  __u8 last_priority;
  __u8 pad;
  __u16 last_interval_cs;
  __u32 tokens_milli;     /* token bucket, in 1/1000 tokens */
  __u64 refill_ns;        /* last refill */
  __u64 suspect_start_ns; /* start of the current suspicion window (while MASTER) */
  __u32 suspect_count;    /* suspicious adverts in that window */
  __u32 pad2;
};

struct kv_event_gate_key {
  __u32 ifindex;
  __u8 kind;
  __u8 family;
  __u8 pad[2];
  __u8 addr[16];
};

struct kv_event {
  __u64 mono_ns; /* CLOCK_MONOTONIC when seen */
  __u32 ifindex;
  __u8 kind;         /* enum kv_event_kind */
  __u8 vrid;         /* our instance's VRID */
  __u8 advert_vrid;  /* VRID in the offending advert (differs for VRID mismatch) */
  __u8 family;       /* family of addr */
  __u8 priority;     /* priority in the offending advert, 0 for ARP/NA */
  __u8 version;      /* version in the offending advert, 0 for ARP/NA */
  __u16 interval_cs; /* interval in the offending advert, 0 for ARP/NA */
  __u8 mac[6];       /* Ethernet / link-layer source of the offender */
  __u8 pad[2];
  __u8 addr[16]; /* offender's IP source, or the claimed VIP for ARP/NA */
};

#endif /* KEEPVIP_VRRP_GUARD_SHARED_H */
