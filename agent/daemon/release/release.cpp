#include "daemon/release/release.h"

#include <set>

#include "common/log.h"
#include "daemon/instances/instance_spec.h"
#include "daemon/instances/route_changes.h"
#include "daemon/publish/runtime_files.h"
#include "daemon/publish/state_file.h"
#include "daemon/release/release_plan.h"
#include "net/netlink.h"
#include "net/route_netlink.h"
#include "net/vrrp_socket.h"

namespace keepvip::daemon {
namespace {

// A state file lists a few instances; anything this large is not one.
constexpr size_t kMaxStateFileBytes = 1 << 20;

void send_leaving_advert(const HeldInstance& h) {
  // The AH sequence number died with the daemon: peers would drop the
  // advert as a replay. They take over after Master_Down_Interval instead.
  if (h.advert.ah) {
    log_info(h.name +
                 ": auth_type AH: no priority 0 advert (the sequence number is lost); "
                 "the backups take over after their master down interval",
             {{"INSTANCE", h.name}});
    return;
  }
  net::VrrpSocketOptions options;
  options.multicast = h.advert.unicast_peers.empty();
  auto socket = net::VrrpSocket::open(h.ifindex, h.advert.family, options);
  if (!socket) {
    log_error(h.name + ": " + socket.error().describe(), {{"INSTANCE", h.name}});
    return;
  }
  for (const auto& out : adverts_to_send(h.advert, /*priority=*/0)) {
    if (auto r = socket->send(out.bytes, out.destination, h.advert.source, out.ttl); !r)
      log_error(h.name + ": " + r.error().describe(), {{"INSTANCE", h.name}});
  }
}

}  // namespace

int release_held_vips(const std::string& runtime_dir, const StopUnits& stop_units,
                      const RemoveDropTables& remove_tables) {
  // The record decides which addresses are removed and which units stopped,
  // as root: only a directory nobody else could write into is believed.
  if (auto r = check_runtime_dir(runtime_dir); !r) {
    if (r.error().errnum == ENOENT) {
      log_info("nothing to release: no " + runtime_dir);
      return 0;
    }
    log_error(r.error().describe());
    return 1;
  }
  if (auto pid = running_agent(runtime_dir)) {
    log_error("keepvipd (pid " + std::to_string(*pid) + ") is still running for " + runtime_dir +
              ": it releases its VIPs itself on SIGTERM");
    return 1;
  }
  std::string path = runtime_dir + "/state";
  auto text = read_own_file(path, kMaxStateFileBytes);
  if (!text && text.error().errnum == ENOENT) {
    log_info("nothing to release: no " + path);
    return 0;
  }
  if (!text) {
    log_error(text.error().describe());
    return 1;
  }
  auto held = parse_state(*text);
  if (!held) {
    log_error(path + ": " + held.error().describe());
    return 1;
  }
  if (held->empty()) {
    log_info("nothing to release: no VIPs held");
    return 0;
  }
  auto netlink = net::Netlink::open();
  if (!netlink) {
    log_error(netlink.error().describe());
    return 1;
  }
  ReleasePlan plan = plan_release(*held, [&](const std::string& name) -> std::optional<int> {
    auto index = netlink->interface_index(name);
    return index ? std::optional<int>(*index) : std::nullopt;
  });
  for (const auto& why : plan.skipped) log_warning(why);
  auto routes = net::RouteNetlink::open();
  if (!routes) {
    log_error(routes.error().describe());
    return 1;
  }
  for (const auto& h : plan.release) {
    send_leaving_advert(h);
    // Before the VIPs, as keepalived leaves MASTER: rules, routes, addresses.
    remove_routes_and_rules(*routes, h.routes, h.rules, h.name, h.name);
    for (const auto* list : {&h.advert.vips, &h.excluded}) {
      for (const auto& vip : *list) {
        if (auto r = netlink->remove_address(h.ifindex, vip); !r) {
          log_error(h.name + ": " + r.error().describe(), {{"INSTANCE", h.name}});
        } else {
          log_notice(h.name + ": released " + vip.to_string(),
                     {{"INSTANCE", h.name}, {"VIP", vip.to_string()}});
        }
      }
    }
  }
  // After the VIPs, as keepvipd does: no packet reached them unfiltered.
  std::set<std::string> tables;
  for (const auto& h : *held)
    if (!h.firewall_table.empty()) tables.insert(h.firewall_table);
  for (const auto& table : tables) {
    if (auto r = remove_tables(table); !r)
      log_error("nftables table " + table + ": " + r.error().describe());
    else
      log_notice("removed the nftables drop tables " + table);
  }
  for (const auto& unit : plan.refused_units)
    log_warning(path + ": \"" + unit + "\" is not a unit name: not stopped");
  // After the VIPs: the peer can take over while systemd stops the units.
  if (auto r = stop_units(plan.units); !r) {
    log_error("master_units: " + r.error().describe());
  } else {
    for (const auto& unit : plan.units)
      log_notice("stopping " + unit + " (master_units)", {{"UNIT", unit}});
  }
  if (auto r = write_state_file(runtime_dir, {}); !r) log_warning(r.error().describe());
  return 0;
}

}  // namespace keepvip::daemon
