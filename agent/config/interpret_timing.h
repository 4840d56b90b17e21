// keepalived's gratuitous-ARP and interface timing keywords: the
// garp_lower_prio_* and garp_master_refresh_repeat pair in global_defs and
// vrrp_instance, vrrp_min_garp, vrrp_startup_delay, garp_extra_if, and the
// top-level interface_up_down_delays and linkbeat_interfaces blocks. Each
// reads as keepalived 2.2.8 reads it (vrrp_parser.c, global_parser.c).
#pragma once

#include "config/interpret.h"

namespace keepvip::config::detail {

// global_defs
void vrrp_garp_master_refresh_repeat(Reader& r, const Node& n, Global& g);
void vrrp_garp_lower_prio_repeat(Reader& r, const Node& n, Global& g);
void vrrp_garp_lower_prio_delay(Reader& r, const Node& n, Global& g);
void vrrp_min_garp(Reader& r, const Node& n, Global& g);
void vrrp_startup_delay(Reader& r, const Node& n, Global& g);
void vrrp_garp_extra_if(Reader& r, const Node& n, Global& g);

// vrrp_instance
void garp_master_refresh_repeat(Reader& r, const Node& n, InstanceDraft& d);
void garp_lower_prio_repeat(Reader& r, const Node& n, InstanceDraft& d);
void garp_lower_prio_delay(Reader& r, const Node& n, InstanceDraft& d);
void garp_extra_if(Reader& r, const Node& n, InstanceDraft& d);
void instance_linkbeat_use_polling(Reader& r, const Node& n, InstanceDraft& d);

// top level
void read_interface_up_down_delays(Reader& r, const Node& n, Drafts& drafts);
void read_linkbeat_interfaces(Reader& r, const Node& n, Drafts& drafts);
void read_linkbeat_use_polling(Reader& r, const Node& n, Drafts& drafts);

}  // namespace keepvip::config::detail
