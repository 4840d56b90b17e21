#include "dbus/systemd_units.h"

namespace keepvip::dbus {

UnitVerdict judge_unit(std::string_view, std::string_view, std::string_view, bool,
                       const UnitVerdict*) {
  return {false, "not implemented"};
}

struct SystemdUnits::Impl {};

SystemdUnits::SystemdUnits(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SystemdUnits::~SystemdUnits() = default;

Result<std::unique_ptr<SystemdUnits>> SystemdUnits::open(sd_event*, BusKind) {
  return logic_error("SystemdUnits not implemented yet");
}
Result<> SystemdUnits::watch(const std::string&) {
  return logic_error("not implemented");
}
void SystemdUnits::set_callback(Callback) {}
Result<> SystemdUnits::start_unit(const std::string&) {
  return logic_error("not implemented");
}
Result<> SystemdUnits::stop_unit(const std::string&) {
  return logic_error("not implemented");
}

}  // namespace keepvip::dbus
