// The checks keepvipd runs on this host: vrrp_scripts as supervised child
// processes (scripts/script_runner.h), reference_ip as ICMP echo probes
// (tracking/reference_probe.h). The composition root passes them in Ports.
#pragma once

#include <systemd/sd-event.h>

#include "daemon/tracking/health_check.h"

namespace keepvip::daemon {

CheckFactories host_checks(sd_event* loop);

}  // namespace keepvip::daemon
