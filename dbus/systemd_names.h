// systemd's D-Bus names, for the unit tracker and the one-shot unit jobs.
#pragma once

namespace keepvip::dbus::systemd {

inline constexpr const char* kService = "org.freedesktop.systemd1";
inline constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
inline constexpr const char* kManagerInterface = "org.freedesktop.systemd1.Manager";
inline constexpr const char* kUnitInterface = "org.freedesktop.systemd1.Unit";
inline constexpr const char* kUnitPathPrefix = "/org/freedesktop/systemd1/unit";

}  // namespace keepvip::dbus::systemd
