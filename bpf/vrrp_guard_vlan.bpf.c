// SPDX-License-Identifier: GPL-2.0-or-later
/* The XDP guard for devices whose driver takes VLAN tags off before XDP
 * runs: vrrp_guard.bpf.c with vrrp_guard_xdp_vlan, which asks the driver for
 * the tag (bpf_xdp_metadata_rx_vlan_tag, Linux 6.8). A separate object, so
 * the main one still loads on kernels without that kfunc. keepvipd loads it
 * bound to one device at a time, sharing the main object's maps. */
#define KV_XDP_VLAN_METADATA 1
#include "vrrp_guard.bpf.c"
