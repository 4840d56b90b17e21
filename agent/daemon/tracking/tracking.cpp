#include "daemon/tracking/tracking.h"

namespace keepvip::daemon {

std::string interface_key(std::string_view name) {
  return "interface:" + std::string(name);
}
std::string script_key(std::string_view name) {
  return "script:" + std::string(name);
}
std::string unit_key(std::string_view name) {
  return "unit:" + std::string(name);
}
std::string process_key(std::string_view name) {
  return "process:" + std::string(name);
}
std::string reference_key(const IpAddress& reference) {
  return "reference:" + reference.to_string();
}

std::string file_key(std::string_view name) {
  return "file:" + std::string(name);
}

std::vector<TrackedObject> tracked_objects(
    const std::map<std::string, config::Script>& scripts, const config::Instance& instance,
    const std::map<std::string, config::TrackedProcess>& processes,
    const std::map<std::string, config::TrackFile>& files) {
  std::vector<TrackedObject> objects;
  if (!instance.dont_track_primary) {
    objects.push_back({"interface " + instance.interface, true, 0, false,
                       interface_key(instance.interface), std::nullopt});
  }
  for (const auto& t : instance.track_interfaces) {
    objects.push_back({"interface " + t.name, true, t.weight.value_or(0), t.reverse.value_or(false),
                       interface_key(t.name), std::nullopt});
  }
  for (const auto& t : instance.track_scripts) {
    auto it = scripts.find(t.name);
    if (it == scripts.end()) continue;
    const config::Script& s = it->second;
    // As keepalived: the entry's weight replaces the script's, and its
    // direction stays the script's unless the entry says reverse/noreverse.
    objects.push_back({"script " + t.name, !s.init_fail, t.weight.value_or(s.weight),
                       t.reverse.value_or(s.weight_reverse), script_key(t.name), std::nullopt});
  }
  for (const auto& t : instance.track_units) {
    objects.push_back({"unit " + t.name, true, t.weight.value_or(0), t.reverse.value_or(false),
                       unit_key(t.name), std::nullopt});
  }
  for (const auto& t : instance.track_processes) {
    auto it = processes.find(t.name);
    if (it == processes.end()) continue;
    // As keepalived: the entry's weight and direction replace the definition's.
    objects.push_back({"process " + t.name, true, t.weight.value_or(it->second.weight),
                       t.reverse.value_or(it->second.weight_reverse), process_key(t.name),
                       std::nullopt});
  }
  for (const auto& t : instance.track_files) {
    auto it = files.find(t.name);
    if (it == files.end()) continue;
    const config::TrackFile& f = it->second;
    objects.push_back({"file " + t.name, true, t.weight.value_or(f.weight),
                       t.reverse.value_or(f.weight_reverse), file_key(t.name), int64_t{0}});
  }
  if (instance.arbitration) {
    const IpAddress& ref = instance.arbitration->reference;
    objects.push_back(
        {"reference " + ref.to_string(), false, 0, false, reference_key(ref), std::nullopt});
  }
  objects.push_back({"operator fault", true, 0, false, std::string(kOperatorKey), std::nullopt});
  objects.push_back(
      {"source address", true, 0, false, std::string(kSourceAddressKey), std::nullopt});
  if (instance.wire.unicast_fault_no_peer && !instance.unicast()) {
    objects.push_back({"unicast peer (unicast_fault_no_peer)", false, 0, false,
                       std::string(kNoUnicastPeerKey), std::nullopt});
  }
  return objects;
}

bool set_tracked(std::vector<TrackedObject>& objects, std::string_view key, bool up,
                 std::string_view description) {
  bool changed = false;
  for (auto& o : objects) {
    if (o.key != key) continue;
    if (!description.empty() && o.description != description) {
      o.description = std::string(description);
      changed = true;
    }
    if (o.up != up) {
      o.up = up;
      changed = true;
    }
  }
  return changed;
}

bool set_tracked_value(std::vector<TrackedObject>& objects, std::string_view key, int64_t value) {
  bool changed = false;
  for (auto& o : objects) {
    if (o.key != key || o.value == value) continue;
    o.value = value;
    changed = true;
  }
  return changed;
}

}  // namespace keepvip::daemon
