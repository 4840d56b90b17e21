// Which bus a keepvip component talks on. The system bus is the product; the
// user (session) bus serves `keepvipd --user`, unprivileged trials and tests,
// which point DBUS_SESSION_BUS_ADDRESS at a private dbus-daemon.
#pragma once

#include <string_view>

#include "common/result.h"
#include "common/sd_owners.h"

namespace keepvip::dbus {

enum class BusKind { System, User };

std::string_view to_string(BusKind kind);

// A new connection (never the shared default bus), not yet attached to a loop.
Result<BusPtr> connect_bus(BusKind kind, std::string_view description);

}  // namespace keepvip::dbus
