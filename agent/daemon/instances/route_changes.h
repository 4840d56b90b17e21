// Installing and removing a set of routes and rules in keepalived's order:
// routes before rules on the way in, rules before routes on the way out (a
// rule never points into a table whose routes are not there yet). Each
// change is logged; a failure is logged and the rest still applied, as
// keepalived does.
#pragma once

#include <span>
#include <string>

#include "config/routes.h"
#include "ports/routes.h"

namespace keepvip::daemon {

// `owner` names who holds them in logs ("VI_1", "static"); `instance` is
// the INSTANCE journal field (empty: none). Returns the number of failures.
int add_routes_and_rules(ports::RouteTable& table, std::span<const config::Route> routes,
                         std::span<const config::Rule> rules, const std::string& owner,
                         const std::string& instance);
int remove_routes_and_rules(ports::RouteTable& table, std::span<const config::Route> routes,
                            std::span<const config::Rule> rules, const std::string& owner,
                            const std::string& instance);

}  // namespace keepvip::daemon
