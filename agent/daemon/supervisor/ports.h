// Everything the daemon reaches outside itself, as one bundle: the
// composition root (agent/keepvipd/wiring.h) builds the real ones, the
// daemon's tests pass fakes. The daemon never names a concrete guard, the
// D-Bus service or systemd: it sees them only through these.
#pragma once

#include <systemd/sd-event.h>

#include <functional>

#include "config/parser.h"
#include "net/announce.h"
#include "net/netlink.h"
#include "ports/guard.h"
#include "ports/unit_health.h"

namespace keepvip::daemon {

// Reads the configuration again (SIGHUP, D-Bus Reload); the root decides
// against which host the scripts are settled.
using ReadConfig = std::function<config::ParseResult()>;

struct Ports {
  sd_event* loop = nullptr;
  net::NetlinkOps* netlink = nullptr;     // VIPs, links, addresses
  net::AnnounceOps* announcer = nullptr;  // GARP / unsolicited NA
  net::LinkEventSource* links = nullptr;  // link up/down; null: not followed
  ports::Guard* guard = nullptr;          // the BPF guard or NullGuard; never null
  ports::UnitHealth* units = nullptr;     // null: no systemd bus
  ReadConfig read_config;
};

}  // namespace keepvip::daemon
