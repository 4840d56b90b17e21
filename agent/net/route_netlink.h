// rtnetlink for routes and policy rules, as keepalived 2.2.8 sends them
// (vrrp_iproute.c netlink_route, vrrp_iprule.c netlink_rule): routes are
// added with NLM_F_CREATE but not NLM_F_EXCL (ip route prepend), marked with
// the route's protocol (keepalived's 18 unless written), scope universe
// unless written; a deletion uses scope nowhere and names the type only when
// it was written. Rules are added with NLM_F_EXCL.
//
// The requests are built by pure functions (checked byte for byte in unit
// tests); RouteNetlink sends them.
#pragma once

#include <cstdint>
#include <vector>

#include "config/routes.h"
#include "net/netlink.h"
#include "ports/routes.h"

namespace keepvip::net {

enum class RouteOp : uint8_t { Add, Remove };

// `oif` is the index of route.dev (0: no dev written).
std::vector<uint8_t> build_route_request(RouteOp op, const config::Route& route, int oif,
                                         uint32_t seq);
std::vector<uint8_t> build_rule_request(RouteOp op, const config::Rule& rule, uint32_t seq);

class RouteNetlink final : public ports::RouteTable {
 public:
  static Result<RouteNetlink> open();

  Result<> add_route(const config::Route& route) override;
  Result<> remove_route(const config::Route& route) override;
  Result<> add_rule(const config::Rule& rule) override;
  Result<> remove_rule(const config::Rule& rule) override;

 private:
  explicit RouteNetlink(Netlink netlink) : netlink_(std::move(netlink)) {}
  // `harmless`: the errno that means "already so" (EEXIST, ESRCH, ENOENT).
  Result<> send(std::vector<uint8_t> request, const std::string& what, int harmless);

  Netlink netlink_;
};

}  // namespace keepvip::net
