#include "dbus/bus_service.h"

namespace keepvip::dbus {

struct BusService::Impl {};

BusService::BusService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BusService::~BusService() = default;

Result<std::unique_ptr<BusService>> BusService::open(sd_event*, ports::Control&, BusKind) {
  return logic_error("BusService not implemented yet");
}
void BusService::instances_reset(const std::vector<ports::InstanceSnapshot>&) {}
void BusService::instance_updated(const ports::InstanceSnapshot&) {}
std::string BusService::instance_path(std::string_view name) {
  return std::string(kInstancePrefix) + "/" + std::string(name);
}

}  // namespace keepvip::dbus
