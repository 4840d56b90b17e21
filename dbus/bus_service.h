// keepvip's D-Bus API (org.keepvip1): publishes the daemon's instance
// snapshots as objects with properties and change signals, and turns method
// calls into ports::Control requests.
//
//   /org/keepvip1                        org.keepvip1.Manager + ObjectManager
//   /org/keepvip1/instance/<escaped>     org.keepvip1.Instance
//
// The shipped dbus/org.keepvip1.*.xml files are what these objects introspect
// to; tests/unit/dbus checks that they stay in step.
#pragma once

#include <systemd/sd-event.h>

#include <memory>

#include "common/result.h"
#include "dbus/bus_kind.h"
#include "ports/status.h"

namespace keepvip::dbus {

inline constexpr const char* kBusName = "org.keepvip1";
inline constexpr const char* kManagerPath = "/org/keepvip1";
inline constexpr const char* kInstancePrefix = "/org/keepvip1/instance";
inline constexpr const char* kManagerInterface = "org.keepvip1.Manager";
inline constexpr const char* kInstanceInterface = "org.keepvip1.Instance";

// D-Bus error names a caller may see.
inline constexpr const char* kErrorNoSuchInstance = "org.keepvip1.Error.NoSuchInstance";
inline constexpr const char* kErrorInvalidArgument = "org.keepvip1.Error.InvalidArgument";
inline constexpr const char* kErrorReloadFailed = "org.keepvip1.Error.ReloadFailed";
inline constexpr const char* kErrorFailed = "org.keepvip1.Error.Failed";

class BusService : public ports::StatusSink {
 public:
  // Connects to the bus, registers the objects, attaches to `loop` and
  // requests the name org.keepvip1 (fails if another keepvipd owns it).
  // A bus that is not reachable yet (keepvipd started before dbus, or in a
  // rescue boot) is retried in the background, as a lost bus is: the API
  // appears when the bus does.
  // `control` must outlive the service. Call instances_reset() with the
  // initial snapshot before sd_notify(READY=1).
  static Result<std::unique_ptr<BusService>> open(sd_event* loop, ports::Control& control,
                                                  BusKind kind);

  BusService(const BusService&) = delete;
  BusService& operator=(const BusService&) = delete;
  ~BusService() override;

  void instances_reset(const std::vector<ports::InstanceSnapshot>& all) override;
  void instance_updated(const ports::InstanceSnapshot& instance) override;

  // The object path of an instance: kInstancePrefix + "/" + escaped name.
  static std::string instance_path(std::string_view name);

  struct Impl;

 private:
  explicit BusService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keepvip::dbus
