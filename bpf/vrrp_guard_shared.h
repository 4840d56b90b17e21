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
#define KV_MAX_PEERS 1024         /* unicast peers of all instances together */
#define KV_MAX_PROTECTED_ROUTERS (KV_MAX_PEERS + KV_MAX_INSTANCES)
/* The longest advert a count byte can describe: 255 IPv6 addresses. */
#define KV_MAX_VRRP_LEN (8 + 255 * 16)
/* IPv6 extension headers in front of an advert: at most this many, of at
 * most this many bytes together; a longer chain is dropped. */
#define KV_MAX_EXT_HEADERS 8
#define KV_MAX_EXT_BYTES 512
/* What the tc fallback makes linear: Ethernet, the largest IP header and
 * extension header chain we follow, the largest advert. */
#define KV_TC_PULL_LEN (14 + 60 + KV_MAX_EXT_BYTES + KV_MAX_VRRP_LEN)

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

/* Why an advert for one of our VRIDs was dropped, by the guard or by
 * keepvipd (they share the checks, see vrrp_checks_packet.h and
 * vrrp_checks_instance.h, and the names below). */
enum kv_drop_reason {
  KV_DROP_BAD_TTL = 0,           /* TTL / hop limit != 255 in multicast mode */
  KV_DROP_BAD_VERSION,           /* version field not 2 or 3, or v2 over IPv6 */
  KV_DROP_BAD_TYPE,              /* type field not 1 (ADVERTISEMENT) */
  KV_DROP_TRUNCATED,             /* shorter than its header says */
  KV_DROP_OVERSIZED,             /* longer than its header says */
  KV_DROP_BAD_CHECKSUM,          /* VRRP checksum wrong */
  KV_DROP_AUTH_MISMATCH,         /* v2 PASS password differs from ours */
  KV_DROP_VERSION_MISMATCH,      /* valid advert of the other VRRP version */
  KV_DROP_INTERVAL_MISMATCH,     /* v2 advert interval differs from ours (RFC 3768 7.1) */
  KV_DROP_RATE_LIMIT,            /* source exceeded its token bucket (guard only) */
  KV_DROP_ZERO_ADDRESS_COUNT,    /* the advert lists no address */
  KV_DROP_ZERO_INTERVAL,         /* advert interval 0 */
  KV_DROP_SOURCE_NOT_LINK_LOCAL, /* IPv6 multicast advert from a non-link-local source */
  KV_DROP_MULTICAST_IN_UNICAST,  /* multicast advert for a unicast instance */
  KV_DROP_UNICAST_IN_MULTICAST,  /* unicast advert for a multicast instance */
  KV_DROP_OWN_ADVERT,            /* from our own source address */
  KV_DROP_AUTH_TYPE_MISMATCH,    /* v2 auth type differs from ours */
  KV_DROP_ADDRESS_LIST_MISMATCH, /* the advert's addresses are not exactly our VIPs */
  KV_DROP_NOT_UNICAST_PEER,      /* check_unicast_src: source is not a unicast_peer */
  KV_DROP_FRAGMENT,              /* an IP fragment of an advert (guard only) */
  KV_DROP_EXT_HEADER_CHAIN,      /* IPv6 extension headers too long to follow (guard only) */
  KV_DROP_TTL_OUT_OF_RANGE,      /* unicast_peer min_ttl/max_ttl: TTL / hop limit outside */
  KV_DROP__MAX,
};

/* The name counters and logs use for a drop reason, on both sides. */
static inline const char* kv_drop_reason_name(unsigned reason) {
  switch (reason) {
    case KV_DROP_BAD_TTL:
      return "bad-ttl";
    case KV_DROP_BAD_VERSION:
      return "bad-version";
    case KV_DROP_BAD_TYPE:
      return "bad-type";
    case KV_DROP_TRUNCATED:
      return "truncated";
    case KV_DROP_OVERSIZED:
      return "oversized";
    case KV_DROP_BAD_CHECKSUM:
      return "bad-checksum";
    case KV_DROP_AUTH_MISMATCH:
      return "auth-mismatch";
    case KV_DROP_VERSION_MISMATCH:
      return "version-mismatch";
    case KV_DROP_INTERVAL_MISMATCH:
      return "interval-mismatch";
    case KV_DROP_RATE_LIMIT:
      return "rate-limit";
    case KV_DROP_ZERO_ADDRESS_COUNT:
      return "zero-address-count";
    case KV_DROP_ZERO_INTERVAL:
      return "zero-interval";
    case KV_DROP_SOURCE_NOT_LINK_LOCAL:
      return "source-not-link-local";
    case KV_DROP_MULTICAST_IN_UNICAST:
      return "multicast-in-unicast-mode";
    case KV_DROP_UNICAST_IN_MULTICAST:
      return "unicast-in-multicast-mode";
    case KV_DROP_OWN_ADVERT:
      return "own-advert";
    case KV_DROP_AUTH_TYPE_MISMATCH:
      return "auth-type-mismatch";
    case KV_DROP_ADDRESS_LIST_MISMATCH:
      return "address-list-mismatch";
    case KV_DROP_NOT_UNICAST_PEER:
      return "not-unicast-peer";
    case KV_DROP_FRAGMENT:
      return "fragment";
    case KV_DROP_EXT_HEADER_CHAIN:
      return "ext-header-chain";
    case KV_DROP_TTL_OUT_OF_RANGE:
      return "ttl-out-of-range";
    default:
      return "unknown";
  }
}

/* What a ring buffer event reports; keepvipd names them (vrrp::EvidenceKind). */
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

/* VRRPv2 Auth Type values (RFC 2338 5.3.6). */
#define KV_AUTH_NONE 0
#define KV_AUTH_PASS 1
#define KV_AUTH_AH 2 /* keepalived's IPsec AH: the message follows an AH header */

struct kv_inst_cfg {
  __u8 version;       /* 2 or 3 */
  __u8 unicast;       /* 1: unicast_peer mode: TTL/hop limit and source scope not checked */
  __u8 priority;      /* our effective priority */
  __u8 auth_type;     /* v2: KV_AUTH_NONE, KV_AUTH_PASS (with auth_data) or KV_AUTH_AH */
  __u16 interval_cs;  /* our advert interval, centiseconds */
  __u16 vip_count;    /* our advertised VIPs (of this family): an advert must list exactly these */
  __u8 auth_data[8];  /* zero padded, as on the wire */
  __u8 primary[16];   /* our source address, for equal-priority tie-breaks */
  __u32 rate_per_sec; /* per-source token bucket: refill rate */
  __u32 burst;        /* per-source token bucket: depth */
  __u8 check_unicast_src;   /* unicast mode: only unicast_peer sources are accepted */
  __u8 skip_check_adv_addr; /* the current master's address list is not checked */
  __u8 v3_checksum_as_v2;   /* VRRPv3 over IPv4: checksums are not verified (keepalived 2.2.8) */
  __u8 pad;
};

/* A unicast peer of an instance (the unicast_peers map): the TTL / hop
 * limit its adverts may arrive with (unicast_peer min_ttl / max_ttl). */
struct kv_peer {
  __u8 min_ttl;
  __u8 max_ttl;
};

/* What keepvipd knows about an instance right now (the roles map). */
struct kv_inst_live {
  __u32 role;      /* enum kv_role */
  __u8 has_master; /* 1: master holds the master we follow (InstanceState::master_address) */
  __u8 pad[3];
  __u8 master[16]; /* never rate-limited; its router row is protected from eviction */
};

/* Where a VIP sits in its instance's list: adverts must name each index once. */
struct kv_inst_vip {
  __u16 index;
  __u16 pad;
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

/* An address on one of our instances: an advertising router (routers,
 * protected_routers), a VIP (inst_vips) or a unicast peer (unicast_peers). */
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
