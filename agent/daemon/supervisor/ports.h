// Everything the daemon reaches outside itself, as one bundle: the
// composition root (agent/keepvipd/wiring.h) builds the real ones, the
// daemon's tests pass fakes. The daemon never names a concrete guard, the
// D-Bus service or systemd: it sees them only through these.
#pragma once

#include <systemd/sd-event.h>

#include <functional>
#include <memory>

#include "common/ip_address.h"
#include "common/result.h"
#include "config/parser.h"
#include "daemon/tracking/health_check.h"
#include "net/announce.h"
#include "net/netlink.h"
#include "net/vrrp_socket.h"
#include "ports/firewall.h"
#include "ports/guard.h"
#include "ports/mail.h"
#include "ports/process_events.h"
#include "ports/routes.h"
#include "ports/unit_health.h"

namespace keepvip::daemon {

// Reads the configuration again (SIGHUP, D-Bus Reload); the root decides
// against which host the scripts are settled.
using ReadConfig = std::function<config::ParseResult()>;

// The VRRP socket of one (interface, family), shared by every instance
// there; always joined to the multicast group (a reload may add multicast
// instances to an interface whose socket stays).
using OpenAdvertSocket =
    std::function<Result<std::unique_ptr<net::AdvertSocket>>(int ifindex, Family family)>;

struct Ports {
  sd_event* loop = nullptr;
  net::NetlinkOps* netlink = nullptr;         // VIPs, links, addresses
  ports::RouteTable* routes = nullptr;        // virtual/static routes and rules; null: none
  net::AnnounceOps* announcer = nullptr;      // GARP / unsolicited NA
  net::LinkEventSource* links = nullptr;      // link up/down; null: not followed
  ports::Guard* guard = nullptr;              // the BPF guard or NullGuard; never null
  ports::UnitHealth* units = nullptr;         // null: no systemd bus
  ports::MailSender* mail = nullptr;          // null: no mail alerts
  ports::ProcessEvents* processes = nullptr;  // null: track_process counts nothing
  ports::Firewall* firewall = nullptr;        // null: accept mode drops nothing
  OpenAdvertSocket open_socket;
  CheckFactories checks;  // vrrp_script runs, reference_ip probes
  ReadConfig read_config;
};

}  // namespace keepvip::daemon
