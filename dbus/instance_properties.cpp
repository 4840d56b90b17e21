#include "dbus/instance_properties.h"

#include <array>

namespace keepvip::dbus {
namespace {

using ports::InstanceSnapshot;

int append_strings(sd_bus_message* m, const std::vector<std::string>& values) {
  int r = sd_bus_message_open_container(m, 'a', "s");
  for (const auto& v : values) {
    if (r < 0) return r;
    r = sd_bus_message_append(m, "s", v.c_str());
  }
  return r < 0 ? r : sd_bus_message_close_container(m);
}

int append_drops(sd_bus_message* m, const proto::DropCounts& drops) {
  int r = sd_bus_message_open_container(m, 'a', "{st}");
  for (const auto& [reason, count] : drops) {
    if (r < 0) return r;
    r = sd_bus_message_append(m, "{st}", std::string(to_string(reason)).c_str(), uint64_t{count});
  }
  return r < 0 ? r : sd_bus_message_close_container(m);
}

int append_evidence(sd_bus_message* m, const std::vector<vrrp::SplitBrainEvidence>& all) {
  int r = sd_bus_message_open_container(m, 'a', "(sssyytt)");
  for (const auto& e : all) {
    if (r < 0) return r;
    r = sd_bus_message_append(m, "(sssyytt)", std::string(to_string(e.kind)).c_str(),
                              e.source.to_string().c_str(), e.mac.c_str(), e.vrid, e.priority,
                              uint64_t{e.first_seen_usec}, uint64_t{e.last_seen_usec});
  }
  return r < 0 ? r : sd_bus_message_close_container(m);
}

std::string master_text(const InstanceSnapshot& s) {
  return s.master_address ? s.master_address->to_string() : std::string();
}

// Field accessors as captureless lambdas so the table stays declarative.
#define KV_FIELD(expr) \
  [](const InstanceSnapshot& a, const InstanceSnapshot& b) { return a.expr == b.expr; }

constexpr auto C = ChangeContract::Const;
constexpr auto E = ChangeContract::EmitsChange;
constexpr auto I = ChangeContract::EmitsInvalidation;
constexpr auto N = ChangeContract::NoSignal;

const std::array kProperties = {
    InstanceProperty{"Name", "s", C,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "s", s.name.c_str());
                     },
                     KV_FIELD(name)},
    InstanceProperty{"State", "s", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       // The names are literals: NUL-terminated.
                       return sd_bus_message_append(m, "s", vrrp::to_string(s.state).data());
                     },
                     KV_FIELD(state)},
    InstanceProperty{"Priority", "y", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "y", s.priority);
                     },
                     KV_FIELD(priority)},
    InstanceProperty{"EffectivePriority", "y", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "y", s.effective_priority);
                     },
                     KV_FIELD(effective_priority)},
    InstanceProperty{"VirtualRouterId", "y", C,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "y", s.vrid);
                     },
                     KV_FIELD(vrid)},
    InstanceProperty{"Interface", "s", C,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "s", s.interface.c_str());
                     },
                     KV_FIELD(interface)},
    InstanceProperty{"Version", "y", C,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "y", s.version);
                     },
                     KV_FIELD(version)},
    InstanceProperty{"VirtualAddresses", "as", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return append_strings(m, s.virtual_addresses);
                     },
                     KV_FIELD(virtual_addresses)},
    InstanceProperty{"MasterAddress", "s", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "s", master_text(s).c_str());
                     },
                     KV_FIELD(master_address)},
    InstanceProperty{"LastTransition", "t", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "t", uint64_t{s.last_transition_usec});
                     },
                     KV_FIELD(last_transition_usec)},
    InstanceProperty{"LastTransitionReason", "s", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "s", s.last_transition_reason.c_str());
                     },
                     KV_FIELD(last_transition_reason)},
    InstanceProperty{"FaultReasons", "as", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return append_strings(m, s.fault_reasons);
                     },
                     KV_FIELD(fault_reasons)},
    InstanceProperty{"AdvertsReceived", "t", N,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "t", uint64_t{s.counters.adverts_received});
                     },
                     KV_FIELD(counters.adverts_received)},
    InstanceProperty{"AdvertsSent", "t", N,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "t", uint64_t{s.counters.adverts_sent});
                     },
                     KV_FIELD(counters.adverts_sent)},
    InstanceProperty{"MasterTransitions", "t", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "t", uint64_t{s.counters.became_master});
                     },
                     KV_FIELD(counters.became_master)},
    InstanceProperty{"Drops", "a{st}", N,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return append_drops(m, s.counters.drops);
                     },
                     KV_FIELD(counters.drops)},
    InstanceProperty{"SplitBrain", "b", E,
                     [](sd_bus_message* m, const InstanceSnapshot& s) {
                       return sd_bus_message_append(m, "b", static_cast<int>(s.split_brain));
                     },
                     KV_FIELD(split_brain)},
    InstanceProperty{
        "SplitBrainEvidence", "a(sssyytt)", I,
        [](sd_bus_message* m, const InstanceSnapshot& s) { return append_evidence(m, s.evidence); },
        KV_FIELD(evidence)},
};

#undef KV_FIELD

int get_instance_property(sd_bus*, const char*, const char*, const char* property,
                          sd_bus_message* reply, void* userdata, sd_bus_error* error) {
  const auto* snapshot = static_cast<const InstanceSnapshot*>(userdata);
  for (const auto& p : kProperties) {
    if (std::string_view(p.name) == property) return p.append(reply, *snapshot);
  }
  return sd_bus_error_setf(error, SD_BUS_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", property);
}

// sd_bus_vtable.flags is a 56-bit bit-field; the SD_BUS_VTABLE_* values fit.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
std::vector<sd_bus_vtable> build_vtable() {
  std::vector<sd_bus_vtable> v;
  v.push_back(SD_BUS_VTABLE_START(0));
  for (const auto& p : kProperties) {
    v.push_back(
        SD_BUS_PROPERTY(p.name, p.signature, get_instance_property, 0, vtable_flags(p.contract)));
  }
  v.push_back(SD_BUS_VTABLE_END);
  return v;
}
#pragma GCC diagnostic pop

}  // namespace

uint64_t vtable_flags(ChangeContract c) {
  switch (c) {
    case ChangeContract::Const:
      return SD_BUS_VTABLE_PROPERTY_CONST;
    case ChangeContract::EmitsChange:
      return SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE;
    case ChangeContract::EmitsInvalidation:
      return SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION;
    case ChangeContract::NoSignal:
      break;
  }
  return 0;
}

std::span<const InstanceProperty> instance_properties() {
  return kProperties;
}

const sd_bus_vtable* instance_vtable() {
  // sd-bus keeps a pointer to the table for as long as it is registered.
  static const std::vector<sd_bus_vtable> vtable = build_vtable();
  return vtable.data();
}

SnapshotDiff diff_snapshots(const InstanceSnapshot& before, const InstanceSnapshot& after) {
  SnapshotDiff diff;
  for (const auto& p : kProperties) {
    if (p.same(before, after)) continue;
    switch (p.contract) {
      case ChangeContract::Const:
        diff.const_changed = true;
        break;
      case ChangeContract::EmitsChange:
      case ChangeContract::EmitsInvalidation:
        diff.changed.push_back(p.name);
        break;
      case ChangeContract::NoSignal:
        break;
    }
  }
  return diff;
}

}  // namespace keepvip::dbus
