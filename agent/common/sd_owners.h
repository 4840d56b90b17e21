// One owner type per sd-event / sd-bus object, for the daemon and the bus
// code alike: unique_ptrs whose deleters drop our reference. Releasing a
// non-floating slot also removes the match, vtable or pending call it stands
// for, and a source is disabled before it is let go (a source still
// referenced elsewhere, e.g. during its own dispatch, must not fire again),
// which is what makes these RAII.
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include <memory>

namespace keepvip {

struct EventUnref {
  void operator()(sd_event* e) const { sd_event_unref(e); }
};
struct EventSourceUnref {
  void operator()(sd_event_source* s) const { sd_event_source_disable_unref(s); }
};
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

using EventPtr = std::unique_ptr<sd_event, EventUnref>;
using EventSourcePtr = std::unique_ptr<sd_event_source, EventSourceUnref>;
using BusPtr = std::unique_ptr<sd_bus, BusCloser>;
using SlotPtr = std::unique_ptr<sd_bus_slot, SlotUnref>;
using MessagePtr = std::unique_ptr<sd_bus_message, MessageUnref>;

}  // namespace keepvip
