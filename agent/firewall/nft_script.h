// The nft scripts of keepvip's drop tables, as text: pure, so the rules a
// user sees with `nft list ruleset` are tested here byte for byte, and
// NftFirewall only runs what these return.
//
// The tables follow keepalived 2.2.8 (vrrp_nftables.c): one per family,
// "table ip NAME" and "table ip6 NAME", each with a set "vips", base chains
// "in" (hook input) and "out" (hook output) at nftables_priority, and
// "ip daddr @vips drop" / "ip saddr @vips drop". The ip6 table lets
// neighbour solicitations and advertisements through (set
// "neighbor-discovery") and sends link-local traffic to chains
// "in_link_local" / "out_link_local", which match the address with its
// interface (set "vips_link_local": by index; "vips_link_local_name": by
// name). Where keepvip differs: a table exists only while it drops
// something (keepalived keeps an empty one until it stops), so the crash
// record (state_file.h) names every table that exists.
#pragma once

#include <set>
#include <string>

#include "common/ip_address.h"
#include "config/config.h"
#include "ports/firewall.h"

namespace keepvip::firewall {

using Dropped = std::set<ports::DroppedAddress>;

// Removes the table of `family` if there is one (nft has no "delete if
// present" before 1.0.8: the script adds it first, in the same transaction).
std::string removal_script(Family family, const std::string& table);

// Replaces the table of `family` atomically by one that drops `addresses`
// (all of that family); none: removes it.
std::string table_script(Family family, const config::Nftables& settings, const Dropped& addresses);

// From `before` (what the table holds) to `after`: set elements added and
// deleted when the table keeps its sets, so the others' counters and
// traffic are untouched; otherwise table_script(after).
std::string change_script(Family family, const config::Nftables& settings, const Dropped& before,
                          const Dropped& after);

}  // namespace keepvip::firewall
