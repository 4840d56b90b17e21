// keepalived.data's lines for vrrp_track_process, as keepalived 2.2.8's
// vrrp_data.c dump_vprocess and dump_track_process write them.
#include <cstdio>

#include "daemon/publish/keepalived_dumps.h"

namespace keepvip::daemon {
namespace {

std::string line(const std::string& text) {
  return text + "\n";
}

std::string weight_text(int weight, bool reverse) {
  return std::to_string(weight) + (reverse ? " reverse" : "");
}

// keepalived prints delays with %f.
std::string seconds(Usec value) {
  char text[32];
  std::snprintf(text, sizeof text, "%fs", static_cast<double>(value.count()) / 1e6);
  return text;
}

std::string section(const DumpedProcess& d) {
  const config::TrackedProcess& p = *d.config;
  std::string out;
  out += line(" VRRP Track process = " + p.name);
  out += line("   Process = " + p.process);
  if (!p.params.empty()) out += line("   Parameters = " + process_parameters(p));
  if (p.param_match != config::ParamMatch::None)
    out += line(std::string("   Param match") +
                (p.param_match == config::ParamMatch::Partial   ? " = partial"
                 : p.param_match == config::ParamMatch::Initial ? " = initial"
                                                                : ""));
  out += line("   Min processes = " + std::to_string(p.quorum));
  if (p.quorum_max != 0xffffffffU)
    out += line("   Max processes = " + std::to_string(p.quorum_max));
  out += line("   Current processes = " + std::to_string(d.current));
  out += line(std::string("   Have quorum = ") + (d.have_quorum ? "true" : "false"));
  out += line("   Weight = " + weight_text(p.weight, p.weight_reverse));
  out += line("   Terminate delay = " + seconds(p.terminate_delay));
  out += line("   Fork delay = " + seconds(p.fork_delay));
  out += line(std::string("   Fork delay timer ") + (d.fork_timer ? "" : "not ") + "running");
  out += line(std::string("   Terminate delay timer ") + (d.terminate_timer ? "" : "not ") +
              "running");
  out += line(std::string("   Full command = ") + (p.full_command ? "true" : "false"));
  if (!d.trackers.empty()) {
    out += line("   Tracking instances :");
    for (const auto& t : d.trackers)
      out += line("     " + t.instance + ", weight " + weight_text(t.weight, t.reverse));
  }
  return out;
}

}  // namespace

std::string process_parameters(const config::TrackedProcess& process) {
  std::string params;
  for (const auto& word : process.params) params += (params.empty() ? "" : " ") + word;
  return params;
}

std::string track_process_sections(const DumpView& view) {
  if (view.processes.empty()) return {};
  std::string out = line("------< VRRP Track processes >------");
  for (const auto& process : view.processes) out += section(process);
  return out;
}

std::string instance_tracked_processes(const DumpView& view, const config::Instance& instance) {
  if (instance.track_processes.empty()) return {};
  std::string out = line("   Tracked processes :");
  for (const auto& process : view.processes)
    for (const auto& t : process.trackers)
      if (t.instance == instance.name)
        out +=
            line("     " + process.config->name + ", weight " + weight_text(t.weight, t.reverse));
  return out;
}

}  // namespace keepvip::daemon
