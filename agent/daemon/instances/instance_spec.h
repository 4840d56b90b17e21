// One vrrp_instance as keepvipd runs it: the configuration it was given and
// where it sits on this host, built once (InstanceSpec) and never copied into
// the executor by hand again. Everything else about the instance is derived
// from it here, by pure functions: the state machine's parameters, what the
// receive checks and the guard check adverts against, the advert it sends at
// any priority (also the one `keepvipd --release` sends for it) and the
// record of what it holds for the crash hand-over.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "config/config.h"
#include "ports/guard.h"
#include "ports/status.h"
#include "vrrp/receive_checks.h"
#include "vrrp/state_machine.h"

namespace keepvip::daemon {

// Where an instance runs on this host, looked up when it starts.
struct Placement {
  int ifindex = 0;
  IpAddress source;  // unicast_src_ip, or the interface's primary address
  friend bool operator==(const Placement&, const Placement&) = default;
};

struct InstanceSpec {
  config::Instance instance;
  config::Global global;                                    // the global_defs it reads
  std::map<std::string, config::Script> scripts;            // the vrrp_scripts it tracks
  std::map<std::string, config::TrackedProcess> processes;  // the vrrp_track_processes it tracks
  std::map<std::string, config::TrackFile> track_files;     // the track_files it tracks
  Placement placement;

  const std::string& name() const { return instance.name; }
  Family family() const { return instance.family(); }
};

// The instance's part of `config` (its global_defs and tracked scripts).
InstanceSpec instance_spec(const config::Config& config, const config::Instance& instance,
                           const Placement& placement);

// What every advert of the instance carries, whatever its priority, and
// where it goes. The crash record keeps it (HeldInstance), so keepvipd and
// `keepvipd --release` send the same advert.
struct AdvertIdentity {
  Family family = Family::V4;
  uint8_t version = 2;
  uint8_t vrid = 0;
  uint16_t interval_cs = 100;
  IpAddress source;
  std::string auth_pass;  // v2 PASS as sent, or the AH key (at most 8 bytes); "" = none
  bool ah = false;        // auth_type AH: auth_pass keys the ICV and is not sent
  std::vector<IpAddress> unicast_peers;      // empty: the multicast group
  std::vector<IpPrefix> vips;                // the advertised addresses, configured lengths
  std::optional<IpAddress> multicast_group;  // unset: 224.0.0.18 / ff02::12
  bool v3_checksum_as_v2 = false;            // VRRPv3 IPv4 checksum without pseudo-header
  std::optional<uint8_t> unicast_ttl;        // unicast_ttl; unset: 255
  friend bool operator==(const AdvertIdentity&, const AdvertIdentity&) = default;
};

struct OutgoingAdvert {
  IpAddress destination;
  std::vector<uint8_t> bytes;  // the VRRP message, checksummed for (source, destination)
  std::optional<uint8_t> ttl;  // unicast_ttl for a unicast peer; unset: 255
};
// The group a multicast instance advertises to and listens on.
IpAddress multicast_group(const AdvertIdentity& identity);
// One advert per destination (each unicast peer, or the multicast group).
std::vector<OutgoingAdvert> adverts_to_send(const AdvertIdentity& identity, uint8_t priority);

// What the crash hand-over needs of an instance that holds its VIPs
// (state_file.h writes and reads it).
struct HeldInstance {
  std::string name;
  std::string interface;
  int ifindex = 0;
  AdvertIdentity advert;
  std::vector<IpPrefix> excluded;         // virtual_ipaddress_excluded: held, never advertised
  std::vector<std::string> master_units;  // started on MASTER: stopped on hand-over
  // The nftables tables (ip and ip6) that drop traffic to its VIPs (no
  // accept); empty: none.
  std::string firewall_table;
  std::vector<config::Route> routes;  // virtual_routes: removed on hand-over
  std::vector<config::Rule> rules;    // virtual_rules: removed on hand-over
  friend bool operator==(const HeldInstance&, const HeldInstance&) = default;
};

vrrp::Params vrrp_params(const InstanceSpec& spec);
vrrp::ReceiveProfile receive_profile(const InstanceSpec& spec);
AdvertIdentity advert_identity(const InstanceSpec& spec);
// `receive` is receive_profile(spec), which the executor keeps.
ports::GuardInstance guard_instance(const InstanceSpec& spec, const vrrp::ReceiveProfile& receive,
                                    uint8_t effective_priority);
HeldInstance held_instance(const InstanceSpec& spec, std::vector<std::string> started_units);
// The fields of a snapshot the configuration fixes (name, priorities, VIPs...).
ports::InstanceSnapshot configured_snapshot(const InstanceSpec& spec);

}  // namespace keepvip::daemon
