// A route or rule as keepalived 2.2.8 writes it in keepalived.data
// (vrrp_iproute.c format_iproute, vrrp_iprule.c format_iprule), for the
// "Virtual Routes", "Virtual Rules", "Static Routes" and "Static Rules"
// sections of the SIGUSR1 dump.
#pragma once

#include <string>

#include "config/routes.h"

namespace keepvip::daemon {

std::string keepalived_route_line(const config::Route& route);
std::string keepalived_rule_line(const config::Rule& rule);

}  // namespace keepvip::daemon
