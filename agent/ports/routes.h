// Routes and policy rules in the kernel, as a port: the instance runners
// (virtual_routes / virtual_rules), the static-route kind of the supervisor
// and the crash hand-over change them through it; the composition root gives
// rtnetlink (net/route_netlink.h), unit tests a fake.
#pragma once

#include "common/result.h"
#include "config/routes.h"

namespace keepvip::ports {

class RouteTable {
 public:
  virtual ~RouteTable() = default;
  // Idempotent, as keepalived treats them: a route or rule already there
  // counts as added, one already gone as removed.
  virtual Result<> add_route(const config::Route& route) = 0;
  virtual Result<> remove_route(const config::Route& route) = 0;
  virtual Result<> add_rule(const config::Rule& rule) = 0;
  virtual Result<> remove_rule(const config::Rule& rule) = 0;
};

}  // namespace keepvip::ports
