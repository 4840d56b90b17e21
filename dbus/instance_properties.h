// The properties of org.keepvip1.Instance, as one table: D-Bus name,
// signature, change contract, how to serialize a snapshot field and how to
// tell whether it changed. The vtable, the getters and the change signals are
// all generated from it, so they cannot drift apart.
//
// Change contracts:
//   CONST               Name, VirtualRouterId, Interface, Version: fixed for the
//                       life of an instance (a reload that changes them rebuilds
//                       the object: InterfacesRemoved + InterfacesAdded).
//   EMITS_CHANGE        everything an operator or monitor reacts to (State,
//                       priorities, master, VIPs, faults, split brain).
//   EMITS_INVALIDATION  SplitBrainEvidence: can be large; listeners learn that
//                       it changed and fetch it if they care.
//   no signal           AdvertsReceived, AdvertsSent, Drops: they move with
//                       every advert (10/s per instance at 100 ms intervals,
//                       far more under a flood); signalling them would flood
//                       the bus. Read them when needed: every read asks the
//                       daemon (Control::live_counters), kernel drops included.
#pragma once

#include <systemd/sd-bus.h>

#include <span>
#include <string_view>
#include <vector>

#include "ports/status.h"

namespace keepvip::dbus {

enum class ChangeContract { Const, EmitsChange, EmitsInvalidation, NoSignal };

struct InstanceProperty {
  const char* name;
  const char* signature;
  ChangeContract contract;
  int (*append)(sd_bus_message* reply, const ports::InstanceSnapshot& s);
  bool (*same)(const ports::InstanceSnapshot& a, const ports::InstanceSnapshot& b);
};

std::span<const InstanceProperty> instance_properties();

// The org.keepvip1.Instance vtable; userdata is a const InstanceSnapshot*.
const sd_bus_vtable* instance_vtable();

struct SnapshotDiff {
  std::vector<const char*> changed;  // EMITS_CHANGE / EMITS_INVALIDATION properties
  bool const_changed = false;        // the object must be re-announced
};
SnapshotDiff diff_snapshots(const ports::InstanceSnapshot& before,
                            const ports::InstanceSnapshot& after);

uint64_t vtable_flags(ChangeContract c);

}  // namespace keepvip::dbus
