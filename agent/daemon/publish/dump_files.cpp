#include "daemon/publish/dump_files.h"

#include <cstdio>

#include "daemon/publish/format_counters.h"

namespace keepvip::daemon {
namespace {

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_strings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
  return out + "]";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out.empty() ? "-" : out;
}

}  // namespace

std::string format_data(const std::vector<ports::InstanceSnapshot>& instances) {
  std::string out;
  for (const auto& s : instances) {
    out += "VRRP instance " + s.name + "\n";
    out += "  state: " + std::string(vrrp::to_string(s.state)) + "\n";
    out += "  interface: " + s.interface + "\n";
    out += "  vrid: " + std::to_string(s.vrid) + "  version: " + std::to_string(s.version) + "\n";
    out += "  priority: " + std::to_string(s.priority) +
           "  effective: " + std::to_string(s.effective_priority) + "\n";
    out += "  virtual addresses: " + joined(s.virtual_addresses) + "\n";
    out += "  master: " + (s.master_address ? s.master_address->to_string() : "-") + "\n";
    out += "  last transition: " +
           (s.last_transition_reason.empty() ? "-" : s.last_transition_reason) + "\n";
    if (!s.fault_reasons.empty()) out += "  fault: " + joined(s.fault_reasons) + "\n";
    out += "  split brain: " + std::string(s.split_brain ? "yes" : "no") + "\n";
  }
  return out;
}

std::string format_json(const std::vector<ports::InstanceSnapshot>& instances) {
  std::string out = "[";
  for (size_t i = 0; i < instances.size(); ++i) {
    const auto& s = instances[i];
    out += i ? ",\n " : "\n ";
    out += "{\"name\": " + json_string(s.name) +
           ", \"state\": " + json_string(std::string(vrrp::to_string(s.state))) +
           ", \"interface\": " + json_string(s.interface) +
           ", \"vrid\": " + std::to_string(s.vrid) + ", \"version\": " + std::to_string(s.version) +
           ", \"priority\": " + std::to_string(s.priority) +
           ", \"effective_priority\": " + std::to_string(s.effective_priority) +
           ", \"virtual_addresses\": " + json_strings(s.virtual_addresses) + ", \"master\": " +
           (s.master_address ? json_string(s.master_address->to_string()) : "null") +
           ", \"last_transition_reason\": " + json_string(s.last_transition_reason) +
           ", \"fault_reasons\": " + json_strings(s.fault_reasons) +
           ", \"split_brain\": " + (s.split_brain ? "true" : "false") +
           ", \"adverts_received\": " + std::to_string(s.counters.adverts_received) +
           ", \"adverts_sent\": " + std::to_string(s.counters.adverts_sent) +
           ", \"became_master\": " + std::to_string(s.counters.became_master) + "}";
  }
  return out + (instances.empty() ? "]\n" : "\n]\n");
}

std::string format_stats(const std::vector<ports::RouterCounters>& guard,
                         const std::vector<ports::InstanceSnapshot>& instances, MonoTime now) {
  std::string text = format_counters(guard, now);
  text += "\n";
  for (const auto& s : instances) {
    text += s.name + ": " + std::string(vrrp::to_string(s.state)) +
            " received=" + std::to_string(s.counters.adverts_received) +
            " sent=" + std::to_string(s.counters.adverts_sent) +
            " became_master=" + std::to_string(s.counters.became_master);
    for (const auto& [reason, count] : s.counters.drops)
      text += " " + std::string(to_string(reason)) + "=" + std::to_string(count);
    text += "\n";
  }
  return text;
}

}  // namespace keepvip::daemon
