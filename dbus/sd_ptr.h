// One owner type per sd-bus / sd-event object: unique_ptrs whose deleters
// drop our reference. Releasing a non-floating slot also removes the match,
// vtable or pending call it stands for, which is what makes these RAII.
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <memory>

namespace keepvip::dbus {

struct BusCloser {
  // flush first so replies and signals already queued still leave.
  void operator()(sd_bus* bus) const { sd_bus_flush_close_unref(bus); }
};
struct SlotUnref {
  void operator()(sd_bus_slot* slot) const { sd_bus_slot_unref(slot); }
};
struct MessageUnref {
  void operator()(sd_bus_message* m) const { sd_bus_message_unref(m); }
};
struct EventSourceUnref {
  void operator()(sd_event_source* s) const { sd_event_source_disable_unref(s); }
};
struct EventUnref {
  void operator()(sd_event* e) const { sd_event_unref(e); }
};

using BusPtr = std::unique_ptr<sd_bus, BusCloser>;
using SlotPtr = std::unique_ptr<sd_bus_slot, SlotUnref>;
using MessagePtr = std::unique_ptr<sd_bus_message, MessageUnref>;
using EventSourcePtr = std::unique_ptr<sd_event_source, EventSourceUnref>;
using EventPtr = std::unique_ptr<sd_event, EventUnref>;

// sd_bus_error owns heap strings; this frees them on every path.
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
