// sd_bus_error owns heap strings; BusError frees them on every path.
#pragma once

#include <systemd/sd-bus.h>

namespace keepvip::dbus {

class BusError {
 public:
  BusError() = default;
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
  ~BusError() { sd_bus_error_free(&error_); }
  sd_bus_error* get() { return &error_; }
  const sd_bus_error* get() const { return &error_; }
  bool is_set() const { return sd_bus_error_is_set(&error_); }
  const char* name() const { return error_.name ? error_.name : ""; }
  const char* message() const { return error_.message ? error_.message : ""; }

 private:
  // SD_BUS_ERROR_NULL is a C compound literal; spell it out for C++.
  sd_bus_error error_{nullptr, nullptr, 0};
};

}  // namespace keepvip::dbus
