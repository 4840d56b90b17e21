// RUNTIME_DIR/state: the VIPs this agent holds right now, rewritten (atomically:
// temp file + rename) on every change. When keepvipd dies while MASTER, a
// hand-over hook (ExecStopPost= / OnFailure=) reads it, removes the VIPs and
// sends priority-0 adverts so the peer takes over within its skew time instead
// of 3 x interval + skew.
//
// Format, version 1: UTF-8 text, one record per line, fields separated by one
// space, each field "key=value"; values are percent-encoded (%XX) for any byte
// outside [A-Za-z0-9._:/,+-]. The first line is "keepvip-state 1". Then one
// "instance" line per instance that holds its VIPs (MASTER):
//
//   keepvip-state 1
//   instance name=VI_1 interface=eth0 ifindex=2 family=ipv4 version=2 vrid=51
//            interval_cs=100 source=192.0.2.1 auth=wjy123 peers=
//            vips=192.0.2.100/32,192.0.2.101/24 excluded=
//
// (shown wrapped; it is one line; a later field "units=httpd.service,..."
// lists the master_units the hook stops; "firewall=keepvip", present only
// for an instance without accept, the nftables tables it removes; "routes="
// and "rules=" list the virtual_routes and virtual_rules it removes, each
// written as the configuration writes it and percent-encoded on its own).
// `peers` is empty in multicast mode, else the comma-separated unicast
// peers. `vips` are the addresses the adverts list, `excluded` the
// virtual_ipaddress_excluded ones (held, never advertised). `auth` is the v2
// PASS password ("" = none); the file is created mode 0600 for that reason.
// Unknown keys are ignored by readers so later versions can add fields. No
// instance lines = nothing held.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "daemon/instances/instance_spec.h"

namespace keepvip::daemon {

std::string format_state(const std::vector<HeldInstance>& held);
Result<std::vector<HeldInstance>> parse_state(std::string_view text);

// Writes `RUNTIME_DIR/state` atomically with mode 0600.
Result<> write_state_file(const std::string& runtime_dir, const std::vector<HeldInstance>& held);

}  // namespace keepvip::daemon
