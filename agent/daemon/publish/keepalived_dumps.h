// The files keepalived 2.2.8 writes on its signals, in its layouts, so that
// what reads them today (the community Prometheus exporters above all) reads
// keepvipd's: SIGUSR1 keepalived.data (vrrp_data.c dump_data_vrrp), SIGUSR2
// keepalived.stats (vrrp_print.c vrrp_print_stats), SIGRTMIN+2
// keepalived.json (vrrp_json.c). Every line keepalived writes for a value
// keepvip has is written as keepalived writes it; lines for what keepvip does
// not have (sockets, VMAC, routes) are left out. Pure formatting.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "ports/status.h"

namespace keepvip::daemon {

inline constexpr const char* kKeepalivedDataFile = "keepalived.data";
inline constexpr const char* kKeepalivedStatsFile = "keepalived.stats";
inline constexpr const char* kKeepalivedJsonFile = "keepalived.json";

// One running instance: what it is doing and how it is configured.
struct DumpedInstance {
  ports::InstanceSnapshot snapshot;
  const config::Instance* config = nullptr;
  IpAddress source;  // what its adverts go out from
  bool has_source = true;
  int ifindex = 0;  // of its interface (keepalived prints it with an IPv6 group)
};

// One vrrp_script an instance tracks, with its current verdict.
struct DumpedScript {
  const config::Script* config = nullptr;
  bool good = false;
  std::vector<std::string> instances;  // the instances tracking it
};

// One vrrp_track_process an instance tracks, with its current count.
struct DumpedProcess {
  const config::TrackedProcess* config = nullptr;
  size_t current = 0;
  bool have_quorum = false;
  bool fork_timer = false;       // fork_delay running
  bool terminate_timer = false;  // terminate_delay running
  // The instances tracking it, with the weight and direction they apply.
  struct Tracker {
    std::string instance;
    int weight = 0;
    bool reverse = false;
  };
  std::vector<Tracker> trackers;
};

struct DumpView {
  const config::Global* global = nullptr;
  const std::vector<config::Route>* static_routes = nullptr;  // nullptr: none
  const std::vector<config::Rule>* static_rules = nullptr;
  std::vector<DumpedInstance> instances;
  std::vector<DumpedScript> scripts;
  std::vector<DumpedProcess> processes;
};

// keepalived.data's "VRRP Track processes" section, and an instance's
// "Tracked processes" lines (keepvip_dump_processes.cpp).
std::string track_process_sections(const DumpView& view);
// A tracked process's parameters as keepalived prints them: one line, words
// joined by spaces ("" without parameters).
std::string process_parameters(const config::TrackedProcess& process);
std::string instance_tracked_processes(const DumpView& view, const config::Instance& instance);

std::string keepalived_data(const DumpView& view);
std::string keepalived_stats(const DumpView& view);
std::string keepalived_json(const DumpView& view);

// keepalived's state numbers (vrrp.h: INIT 0, BACKUP 1, MASTER 2, FAULT 3),
// which its JSON carries and the exporters map back to names.
int keepalived_state_number(vrrp::State state);

}  // namespace keepvip::daemon
