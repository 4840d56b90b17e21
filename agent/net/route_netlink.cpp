// The socket half of route_netlink.h.
#include "net/route_netlink.h"

#include <cerrno>

namespace keepvip::net {

Result<RouteNetlink> RouteNetlink::open() {
  auto netlink = Netlink::open();
  if (!netlink) return unexpected(netlink.error());
  return RouteNetlink(std::move(*netlink));
}

Result<> RouteNetlink::send(std::vector<uint8_t> request, const std::string& what, int harmless) {
  auto r = netlink_.acknowledged(std::move(request), what);
  if (!r && r.error().errnum != harmless) return r;
  return {};
}

Result<> RouteNetlink::add_route(const config::Route& route) {
  const std::string what = "add route " + config::to_string(route);
  int oif = 0;
  if (!route.dev.empty()) {
    auto index = netlink_.interface_index(route.dev);
    if (!index) return unexpected(index.error());
    oif = *index;
  }
  return send(build_route_request(RouteOp::Add, route, oif, netlink_.next_seq()), what, EEXIST);
}

Result<> RouteNetlink::remove_route(const config::Route& route) {
  const std::string what = "remove route " + config::to_string(route);
  int oif = 0;
  if (!route.dev.empty()) {
    auto index = netlink_.interface_index(route.dev);
    // The interface went away and took its routes with it.
    if (!index) return {};
    oif = *index;
  }
  return send(build_route_request(RouteOp::Remove, route, oif, netlink_.next_seq()), what, ESRCH);
}

Result<> RouteNetlink::add_rule(const config::Rule& rule) {
  return send(build_rule_request(RouteOp::Add, rule, netlink_.next_seq()),
              "add rule " + config::to_string(rule), EEXIST);
}

Result<> RouteNetlink::remove_rule(const config::Rule& rule) {
  return send(build_rule_request(RouteOp::Remove, rule, netlink_.next_seq()),
              "remove rule " + config::to_string(rule), ENOENT);
}

}  // namespace keepvip::net
