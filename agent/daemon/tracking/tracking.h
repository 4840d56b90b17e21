// The list of objects an instance follows, built from its config: its own
// interface (down = FAULT, as in keepalived, unless dont_track_primary), track_interface,
// track_script (weights resolved against the vrrp_script definitions), track_unit, and an operator
// switch (D-Bus SetFault / keepvip-fault@.service).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "daemon/tracking/priority.h"

namespace keepvip::daemon {

std::string interface_key(std::string_view name);
std::string script_key(std::string_view name);
std::string unit_key(std::string_view name);
std::string process_key(std::string_view name);
std::string reference_key(const IpAddress& reference);
std::string file_key(std::string_view name);
inline constexpr std::string_view kOperatorKey = "operator";
// Down while the instance has no address to send its adverts from.
inline constexpr std::string_view kSourceAddressKey = "source address";
// Down for good with unicast_fault_no_peer and no unicast_peer (keepalived:
// "Cannot use unicast without any peers - going to fault state").
inline constexpr std::string_view kNoUnicastPeerKey = "no unicast peer";

// Initial states: interfaces and units up (the supervisor corrects them at
// once), scripts as their init_fail says, the arbitration reference down
// until it answers (reference_probe.h), the operator switch up. A
// track_script naming no vrrp_script is left out (keepalived ignores it; the
// parser warns).
// `scripts` are the vrrp_script definitions (by name), `processes` the
// vrrp_track_process ones (a tracked process starts up until its first
// count), `files` the track_file ones (a tracked file starts at value 0
// until its watch reports).
std::vector<TrackedObject> tracked_objects(
    const std::map<std::string, config::Script>& scripts, const config::Instance& instance,
    const std::map<std::string, config::TrackedProcess>& processes = {},
    const std::map<std::string, config::TrackFile>& files = {});

// Sets every object with `key`; returns true if any changed.
bool set_tracked(std::vector<TrackedObject>& objects, std::string_view key, bool up,
                 std::string_view description = {});
// Sets the value of every tracked file with `key`; returns true if any changed.
bool set_tracked_value(std::vector<TrackedObject>& objects, std::string_view key, int64_t value);

}  // namespace keepvip::daemon
