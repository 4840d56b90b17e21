#include "config/validate.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "config/interpret_wire.h"
#include "config/values.h"

namespace keepvip::config::detail {
namespace {

constexpr Usec kSecond{1'000'000};
constexpr Usec kCentisecond{10'000};

class InstanceSettler {
 public:
  InstanceSettler(InstanceDraft& draft, const Global& global, DiagnosticSink& diags)
      : d_(draft), i_(draft.instance), global_(global), diags_(diags) {}

  // strict_mode, else global_defs vrrp_strict.
  bool strict() const { return d_.strict.value_or(global_.vrrp_strict); }

  void run() {
    required_fields();
    addresses();
    version();
    no_virtual_addresses();
    advert_fits();
    ipv6_first_address();
    strict_unicast();
    unicast_src_check();
    advert_interval();
    state_and_priority();
    authentication();
    preemption();
    advert_answers();
    i_.notify_priority_changes =
        d_.notify_priority_changes.value_or(global_.vrrp_notify_priority_changes);
    accept_mode();
    stall_step_down();
    garp_defaults();
    arbitration();
    settle_wire(d_, global_, diags_);
  }

 private:
  void required_fields() {
    if (!d_.interface_at) {
      diags_.error(
          i_.where, "interface",
          "vrrp_instance " + i_.name + " has no 'interface'; expected e.g. 'interface eth0'");
    }
    if (!d_.vrid_at) {
      diags_.error(i_.where, "virtual_router_id",
                   "vrrp_instance " + i_.name +
                       " has no 'virtual_router_id'; expected an integer in 1..255");
    }
  }

  void addresses() { i_.address_family = d_.family.value_or(Family::V4); }

  // keepalived runs a VRRPv2 instance without virtual addresses (a warning),
  // and any with no_virtual_ipaddress (not in strict mode); it drops a
  // VRRPv3 or strict one, which keepvip refuses.
  void no_virtual_addresses() {
    if (!i_.virtual_addresses.empty()) return;
    bool allowed = d_.no_virtual_ipaddress_at.has_value();
    if (allowed && strict()) {
      diags_.warning(*d_.no_virtual_ipaddress_at, "no_virtual_ipaddress",
                     "no_virtual_ipaddress does not work in strict mode; cleared, as keepalived "
                     "does");
      allowed = false;
    }
    // A keyword without its block, or entries with errors: reported already.
    if (allowed || (d_.vip_keyword_at && !d_.vip_has_block) || d_.vip_entry_error) return;
    const SourceLocation& at = d_.vip_keyword_at.value_or(i_.where);
    const std::string what = "vrrp_instance " + i_.name + " has no virtual addresses";
    if (i_.version == 3 || strict()) {
      diags_.error(at, "virtual_ipaddress",
                   what + "; " + (strict() ? "strict mode" : "VRRPv3") +
                       " needs at least one (keepalived drops the instance); write "
                       "no_virtual_ipaddress if notify scripts move the address");
    } else {
      diags_.warning(at, "virtual_ipaddress",
                     what +
                         "; at least one is sensible (keepalived runs it too); write "
                         "no_virtual_ipaddress if notify scripts move the address");
    }
  }

  void version() {
    bool ipv6 = i_.family() == Family::V6;
    if (d_.version) {
      i_.version = *d_.version;
    } else {
      // keepalived: IPv6 instances are VRRPv3 whatever the global default.
      i_.version = ipv6 ? 3 : global_.vrrp_version;
    }
    if (ipv6 && i_.version == 2) {
      diags_.warning(d_.version_at.value_or(i_.where), "version",
                     "VRRPv2 carries IPv4 only; using version 3 for this IPv6 instance (as "
                     "keepalived does)");
      i_.version = 3;
    }
  }

  // keepalived's rule (vrrp.c): as many VIPs as fit one advert at the
  // interface MTU, at most 255 (the count is one byte); the rest move to
  // virtual_ipaddress_excluded, still moved with the instance but not
  // advertised. The file is judged without the host, so at a 1500-byte MTU.
  void advert_fits() {
    if (i_.virtual_addresses.empty()) return;
    constexpr size_t kMtu = 1500, kEthernet = 14, kVrrpHeader = 8, kV2Auth = 8, kMaxCount = 255;
    bool v6 = i_.virtual_addresses.front().prefix.address.is_v6();
    constexpr size_t kIpsecAh = 24;
    const bool ah = !v6 && i_.version == 2 && !strict() && d_.auth_type == AuthType::Ah;
    size_t header = kEthernet + (v6 ? 40 : 20) + kVrrpHeader +
                    (!v6 && i_.version == 2 ? kV2Auth : 0) + (ah ? kIpsecAh : 0);
    size_t fit = std::min(kMaxCount, (kMtu - header) / (v6 ? 16 : 4));
    if (i_.virtual_addresses.size() <= fit) return;
    size_t moved = i_.virtual_addresses.size() - fit;
    diags_.warning(i_.virtual_addresses[fit].where, "virtual_ipaddress",
                   std::to_string(i_.virtual_addresses.size()) +
                       " virtual addresses do not fit one advert (at most " + std::to_string(fit) +
                       " at a 1500-byte MTU); the last " + std::to_string(moved) +
                       " are moved to virtual_ipaddress_excluded, as keepalived does");
    i_.excluded_addresses.insert(i_.excluded_addresses.end(),
                                 i_.virtual_addresses.begin() + static_cast<std::ptrdiff_t>(fit),
                                 i_.virtual_addresses.end());
    i_.virtual_addresses.resize(fit);
  }

  // RFC 5798 5.2.9: in an IPv6 advert the first address is the virtual
  // router's link-local address. keepalived logs it, or refuses in strict mode.
  void ipv6_first_address() {
    if (i_.virtual_addresses.empty() || i_.unicast()) return;
    const VirtualAddress& first = i_.virtual_addresses.front();
    if (!first.prefix.address.is_v6() || first.prefix.address.is_ipv6_link_local()) return;
    std::string what = "the first IPv6 virtual address " + first.prefix.address.to_string() +
                       " is not link-local; RFC 5798 expects the virtual router's fe80:: address "
                       "first";
    if (strict()) {
      diags_.error(first.where, "virtual_ipaddress", "vrrp_strict: " + what);
    } else {
      diags_.warning(first.where, "virtual_ipaddress", what + " (strict peers reject it)");
    }
  }

  // keepalived: "A unicast keyword has been specified without any unicast
  // peers. Defaulting to multicast."
  void unicast_src_check() {
    if (d_.check_unicast_src_at && !i_.unicast()) {
      diags_.warning(*d_.check_unicast_src_at, "check_unicast_src",
                     "no unicast_peer: the instance uses multicast and the check does not apply");
    }
  }

  void strict_unicast() {
    if (strict() && i_.unicast()) {
      diags_.error(d_.unicast_peers_at.value_or(i_.where), "unicast_peer",
                   "vrrp_strict: unicast peers are not allowed in strict mode (as in "
                   "keepalived); remove vrrp_strict or the unicast_peer block");
    }
  }

  // keepalived ignores a value outside 0.01..255 s (an error: keepvip does
  // not run on a default nobody chose) and rounds the rest to what the
  // version can carry, with a warning.
  void advert_interval() {
    if (!d_.advert_interval) return;
    Usec value = *d_.advert_interval;
    const SourceLocation& at = *d_.advert_at;
    if (value < kCentisecond || value > 255 * kSecond) {
      diags_.error(at, "advert_int",
                   "expected 0.01..255 seconds (VRRPv2: whole seconds, VRRPv3: up to 40.95), got " +
                       format_seconds(value));
      return;
    }
    Usec step = i_.version == 2 ? kSecond : kCentisecond;
    Usec most = i_.version == 2 ? 255 * kSecond : 4095 * kCentisecond;
    Usec used = value;
    if (value > most) {
      used = most;
    } else if (value.count() % step.count() != 0) {
      used = Usec{(value + step / 2).count() / step.count() * step.count()};
      if (used == Usec{0}) used = step;
    }
    if (used != value) {
      diags_.warning(
          at, "advert_int",
          i_.version == 2
              ? "VRRPv2 advertises whole seconds: " + format_seconds(value) + " rounded to " +
                    format_seconds(used) + ", as keepalived does (fractions need 'version 3')"
              : "VRRPv3 advertises in steps of 0.01s up to 40.95s: " + format_seconds(value) +
                    " taken as " + format_seconds(used) + ", as keepalived does");
    }
    i_.advert_interval = used;
  }

  void state_and_priority() {
    // keepalived derives whichever of the two was left out from the other.
    if (!d_.priority_at) i_.priority = i_.state == InitialState::Master && d_.state_at ? 255 : 100;
    if (!d_.state_at && i_.priority == 255) i_.state = InitialState::Master;

    bool owner = i_.priority == 255;
    if (strict() && d_.state_at && (i_.state == InitialState::Master) != owner) {
      diags_.warning(*d_.state_at, "state",
                     owner ? "vrrp_strict: priority 255 (address owner) starts as MASTER"
                           : "vrrp_strict: state MASTER needs priority 255 (address owner); "
                             "starting as BACKUP, as keepalived does");
      i_.state = owner ? InitialState::Master : InitialState::Backup;
    } else if (owner && d_.state_at && i_.state == InitialState::Backup) {
      diags_.warning(d_.priority_at.value_or(i_.where), "priority",
                     "priority 255 makes this node the address owner: it takes over as MASTER "
                     "at once despite 'state BACKUP'");
    }
  }

  void authentication() {
    if (!d_.authentication_at) return;
    const SourceLocation& at = *d_.authentication_at;
    if (strict()) {
      diags_.warning(at, "authentication",
                     "vrrp_strict: authentication is not allowed in strict mode; ignored, as "
                     "keepalived does");
      return;
    }
    if (i_.version == 3) {
      diags_.warning(at, "authentication",
                     "VRRPv3 has no authentication (RFC 5798); ignored, as keepalived does");
      return;
    }
    if (!d_.auth_type || !d_.auth_pass) {
      diags_.warning(at, "authentication",
                     "expected 'auth_type PASS|AH' and 'auth_pass SECRET'; no authentication "
                     "used");
      return;
    }
    if (*d_.auth_type == AuthType::Ah && !ah_allowed(at)) return;
    i_.auth_type = *d_.auth_type;
    i_.auth_pass = d_.auth_pass;
  }

  // keepalived's checks after strict mode and VRRPv3 (vrrp.c): AH is IPv4
  // only, and a backup must hear the master's sequence number before it may
  // take over, so it never starts as MASTER (the address owner aside).
  bool ah_allowed(const SourceLocation& at) {
    if (i_.family() == Family::V6) {
      diags_.warning(at, "authentication",
                     "Cannot use AH authentication with IPv6; ignored, as keepalived does");
      return false;
    }
    if (i_.state == InitialState::Master && i_.priority != 255) {
      diags_.warning(d_.state_at.value_or(at), "state",
                     "Initial state master is incompatible with AH authentication; starting as "
                     "BACKUP, as keepalived does");
      i_.state = InitialState::Backup;
    }
    return true;
  }

  void preemption() {
    if (!i_.preempt && i_.priority == 255) {
      diags_.warning(*d_.nopreempt_at, "nopreempt",
                     "nopreempt has no effect with priority 255 (address owner); cleared, as "
                     "keepalived does");
      i_.preempt = true;
    }
    if (!i_.preempt && i_.state == InitialState::Master) {
      diags_.warning(*d_.nopreempt_at, "nopreempt",
                     "nopreempt does not work with 'state MASTER'; cleared, as keepalived does "
                     "(use 'state BACKUP' on every node)");
      i_.preempt = true;
    }
    if (i_.preempt_delay.count() == 0) return;
    std::string reason;
    if (i_.state == InitialState::Master) reason = "with 'state MASTER'";
    if (!i_.preempt) reason = "with nopreempt";
    if (strict()) reason = "in strict mode";
    if (!reason.empty()) {
      diags_.warning(*d_.preempt_delay_at, "preempt_delay",
                     "preempt_delay does not work " + reason + "; cleared, as keepalived does");
      i_.preempt_delay = Usec{0};
    }
  }

  // keepalived's vrrp_complete_instance: unset follows global_defs, or strict
  // mode's RFC behaviour; a setting strict mode forbids is reset with its
  // words.
  void advert_answers() {
    const SourceLocation& at = i_.where;
    i_.lower_prio_no_advert = strict() || global_.vrrp_lower_prio_no_advert;
    if (d_.lower_prio_no_advert) {
      i_.lower_prio_no_advert = d_.lower_prio_no_advert->value;
      if (strict() && !i_.lower_prio_no_advert) {
        diags_.warning(d_.lower_prio_no_advert->where, "lower_prio_no_advert",
                       "strict mode requires no lower priority advert; resetting, as keepalived "
                       "does");
        i_.lower_prio_no_advert = true;
      }
    }
    i_.higher_prio_send_advert = !strict() && global_.vrrp_higher_prio_send_advert;
    if (d_.higher_prio_send_advert) {
      i_.higher_prio_send_advert = d_.higher_prio_send_advert->value;
      if (strict() && i_.higher_prio_send_advert) {
        diags_.warning(d_.higher_prio_send_advert->where, "higher_prio_send_advert",
                       "strict mode requires higher_prio_send_advert to be clear; resetting, as "
                       "keepalived does");
        i_.higher_prio_send_advert = false;
      }
    }
    constexpr unsigned kRfcDownTimerAdverts = 3;
    i_.down_timer_adverts =
        d_.down_timer_adverts ? d_.down_timer_adverts->value : global_.vrrp_down_timer_adverts;
    if (strict() && i_.down_timer_adverts != kRfcDownTimerAdverts) {
      diags_.warning(d_.down_timer_adverts ? d_.down_timer_adverts->where : at,
                     "down_timer_adverts",
                     "down_timer_adverts is incompatible with strict mode; resetting to 3, as "
                     "keepalived does");
      i_.down_timer_adverts = kRfcDownTimerAdverts;
    }
  }

  // keepalived's vrrp_complete_instance: unset, the address owner accepts,
  // others accept unless in strict mode; strict VRRPv2 refuses accept (RFC
  // 3768 has no Accept_Mode), with keepalived's words.
  void accept_mode() {
    constexpr uint8_t kOwner = 255;
    const bool owner = i_.priority == kOwner;
    i_.strict = strict();
    i_.accept = d_.accept ? d_.accept->value : owner || !strict();
    if (i_.accept && !owner && strict() && i_.version == 2) {
      diags_.warning(d_.accept ? d_.accept->where : i_.where, "accept",
                     "warning - accept mode for VRRP version 2 does not comply with RFC3768 - "
                     "resetting, as keepalived does");
      i_.accept = false;
    }
  }

  // Stepping down after a stall only makes sense where the backup that took
  // over keeps the role: keepalived requires nopreempt.
  void stall_step_down() {
    if (!d_.timer_expired_backup_at || !i_.preempt) return;
    diags_.warning(*d_.timer_expired_backup_at, "timer_expired_backup",
                   "timer_expired_backup requires nopreempt; resetting, as keepalived does");
    i_.highest_other_priority = 0;
  }

  void garp_defaults() {
    i_.garp_master_delay = d_.garp_master_delay.value_or(global_.vrrp_garp_master_delay);
    i_.garp_master_repeat = d_.garp_master_repeat.value_or(global_.vrrp_garp_master_repeat);
    i_.garp_master_refresh = d_.garp_master_refresh.value_or(global_.vrrp_garp_master_refresh);
    i_.garp_master_refresh_repeat =
        d_.garp_master_refresh_repeat.value_or(global_.vrrp_garp_master_refresh_repeat);
    lower_priority_garps();
  }

  // keepalived's vrrp_complete_instance: unset follows global_defs (whose
  // own default is the master repeat and delay), strict mode sends none.
  void lower_priority_garps() {
    i_.garp_lower_prio_repeat = strict()
                                    ? 0
                                    : global_.vrrp_garp_lower_prio_repeat.value_or(
                                          static_cast<unsigned>(global_.vrrp_garp_master_repeat));
    i_.garp_lower_prio_delay =
        strict() ? Usec{0}
                 : global_.vrrp_garp_lower_prio_delay.value_or(global_.vrrp_garp_master_delay);
    if (const auto& repeat = d_.garp_lower_prio_repeat) {
      i_.garp_lower_prio_repeat = repeat->value;
      if (strict() && repeat->value != 0) {
        diags_.warning(repeat->where, "garp_lower_prio_repeat",
                       "strict mode requires no repeat garps; resetting, as keepalived does");
        i_.garp_lower_prio_repeat = 0;
      }
    }
    if (const auto& delay = d_.garp_lower_prio_delay) {
      i_.garp_lower_prio_delay = delay->value;
      if (strict() && delay->value != Usec{0}) {
        diags_.warning(delay->where, "garp_lower_prio_delay",
                       "strict mode requires no repeat garp delay; resetting, as keepalived does");
        i_.garp_lower_prio_delay = Usec{0};
      }
    }
  }

  void arbitration() {
    if (!d_.reference_ip) {
      if (d_.reference_option_at) {
        diags_.error(*d_.reference_option_at, "reference_ip",
                     "reference_interval/fall/rise need 'reference_ip ADDRESS' in the same "
                     "instance");
      }
      return;
    }
    Arbitration a;
    a.reference = *d_.reference_ip;
    a.interval = d_.reference_interval.value_or(a.interval);
    a.fall = d_.reference_fall.value_or(a.fall);
    a.rise = d_.reference_rise.value_or(a.rise);
    a.where = *d_.reference_ip_at;
    i_.arbitration = a;
  }

  InstanceDraft& d_;
  Instance& i_;
  const Global& global_;
  DiagnosticSink& diags_;
};

void check_unique_names(const std::vector<InstanceDraft>& drafts, DiagnosticSink& diags) {
  std::map<std::string, const Instance*> seen;
  for (const auto& d : drafts) {
    auto [it, inserted] = seen.emplace(d.instance.name, &d.instance);
    if (!inserted) {
      diags.error(d.instance.where, "vrrp_instance",
                  "duplicate instance name '" + d.instance.name + "' (first defined at " +
                      it->second->where.to_string() + ")");
    }
  }
}

bool share_a_peer(const Instance& a, const Instance& b) {
  for (const auto& peer : a.unicast_peers) {
    if (std::find(b.unicast_peers.begin(), b.unicast_peers.end(), peer) != b.unicast_peers.end()) {
      return true;
    }
  }
  return false;
}

// Two instances conflict when they would send and accept each other's
// adverts. As in keepalived: multicast and unicast are separate VRID spaces,
// and two unicast instances conflict only if they talk to a common peer from
// the same source.
bool conflict(const Instance& a, const Instance& b) {
  if (a.unicast() != b.unicast()) return false;
  if (!a.unicast()) return true;
  return a.unicast_src_ip == b.unicast_src_ip && share_a_peer(a, b);
}

void check_unique_vrids(const std::vector<InstanceDraft>& drafts, DiagnosticSink& diags) {
  std::map<std::tuple<std::string, uint8_t, Family>, std::vector<const InstanceDraft*>> groups;
  for (const auto& d : drafts) {
    const Instance& i = d.instance;
    if (i.vrid == 0 || i.interface.empty()) continue;
    auto& group = groups[std::tuple{i.interface, i.vrid, i.family()}];
    for (const InstanceDraft* earlier : group) {
      if (!conflict(earlier->instance, i)) continue;
      const Instance& e = earlier->instance;
      diags.error(*d.vrid_at, "virtual_router_id",
                  "VRID " + std::to_string(i.vrid) + " is already used for " +
                      std::string(to_string(i.family())) + " on " + i.interface +
                      " by vrrp_instance " + e.name + " (" + e.where.to_string() +
                      "); expected a different VRID");
      break;
    }
    group.push_back(&d);
  }
}

// keepalived ignores a track_script naming no vrrp_script (and a
// track_process naming no vrrp_track_process); so does keepvip,
// but says so with the reference's line.
void drop_undefined_scripts(Instance& instance, const std::map<std::string, Script>& scripts,
                            const std::map<std::string, TrackedProcess>& processes,
                            DiagnosticSink& diags) {
  std::vector<Track> kept;
  for (auto& track : instance.track_scripts) {
    if (scripts.count(track.name) != 0) {
      kept.push_back(std::move(track));
      continue;
    }
    diags.warning(track.where, "track_script",
                  "no vrrp_script named '" + track.name +
                      "' is defined; reference ignored (as keepalived does)");
  }
  instance.track_scripts = std::move(kept);
  kept.clear();
  for (auto& track : instance.track_processes) {
    if (processes.count(track.name) != 0) {
      kept.push_back(std::move(track));
      continue;
    }
    diags.warning(
        track.where, "track_process",
        "track process " + track.name + " not found; reference ignored (as keepalived does)");
  }
  instance.track_processes = std::move(kept);
}

// As keepalived: a track_file entry naming no track_file, or one the
// instance already tracks, is ignored with a warning.
void drop_undefined_track_files(Instance& instance,
                                const std::map<std::string, TrackFile>& track_files,
                                DiagnosticSink& diags) {
  std::vector<Track> kept;
  for (auto& track : instance.track_files) {
    if (track_files.count(track.name) == 0) {
      diags.warning(track.where, "track_file",
                    "no track_file named '" + track.name +
                        "' is defined; reference ignored (as keepalived does)");
      continue;
    }
    bool duplicate = false;
    for (const auto& k : kept) duplicate = duplicate || k.name == track.name;
    if (duplicate) {
      diags.warning(track.where, "track_file",
                    "duplicate track_file '" + track.name + "' ignored (as keepalived does)");
      continue;
    }
    kept.push_back(std::move(track));
  }
  instance.track_files = std::move(kept);
}

// The address owner advertises 255 whatever it tracks (effective_priority):
// a weight would silently do nothing, so say so where it is written.
void warn_owner_weights(const Instance& instance, const Config& config, DiagnosticSink& diags) {
  const auto& scripts = config.scripts;
  const auto& processes = config.processes;
  if (instance.priority != 255) return;
  auto warn = [&](const Track& track, int weight, const char* keyword) {
    if (weight == 0) return;
    diags.warning(track.where, keyword,
                  "weight " + std::to_string(weight) + " of '" + track.name +
                      "' has no effect: priority 255 (address owner) is never changed by "
                      "tracking; use weight 0 to put the instance in FAULT, or a priority "
                      "below 255");
  };
  for (const auto& t : instance.track_scripts) {
    auto it = scripts.find(t.name);
    if (it != scripts.end()) warn(t, t.weight.value_or(it->second.weight), "track_script");
  }
  for (const auto& t : instance.track_interfaces) warn(t, t.weight.value_or(0), "track_interface");
  for (const auto& t : instance.track_units) warn(t, t.weight.value_or(0), "track_unit");
  for (const auto& t : instance.track_processes) {
    auto it = processes.find(t.name);
    if (it != processes.end()) warn(t, t.weight.value_or(it->second.weight), "track_process");
  }
  for (const auto& t : instance.track_files) {
    auto it = config.track_files.find(t.name);
    if (it != config.track_files.end()) warn(t, t.weight.value_or(it->second.weight), "track_file");
  }
}

void check_interfaces(const Instance& instance,
                      const std::function<bool(const std::string&)>& exists,
                      const SourceLocation& interface_at, DiagnosticSink& diags) {
  auto probe = [&](const std::string& name, const SourceLocation& at, const std::string& keyword) {
    if (!name.empty() && !exists(name)) {
      diags.warning(at, keyword, "interface '" + name + "' does not exist on this host");
    }
  };
  probe(instance.interface, interface_at, "interface");
  for (const auto& track : instance.track_interfaces) {
    probe(track.name, track.where, "track_interface");
  }
  for (const auto& vip : instance.virtual_addresses) probe(vip.dev, vip.where, "virtual_ipaddress");
}

// keepalived's check_debounce_timers (vrrp_complete_instance): the delays
// of an instance's interface stay below (down_timer_adverts - 1) advert
// intervals, or a backup would take over before the master went to FAULT;
// with down_timer_adverts 1 there can be none. keepalived adjusts them in
// file order, instance by instance, and so does keepvip.
void fit_interface_delays(const InstanceDraft& draft,
                          std::map<std::string, InterfaceDelays>& delays, DiagnosticSink& diags) {
  const Instance& instance = draft.instance;
  auto it = delays.find(instance.interface);
  if (it == delays.end() || (it->second.down == Usec{0} && it->second.up == Usec{0})) return;
  InterfaceDelays& d = it->second;
  const SourceLocation& at = draft.interface_at ? *draft.interface_at : instance.where;
  if (instance.down_timer_adverts == 1) {
    diags.warning(at, "interface_up_down_delays",
                  instance.name +
                      ": cannot use debounce timers with down_timer_adverts = 1 - "
                      "resetting (as keepalived does)");
    d.down = d.up = Usec{0};
    return;
  }
  const Usec limit = (instance.down_timer_adverts - 1) * instance.advert_interval;
  if (d.down < limit && d.up < limit) return;
  const Usec fitted = limit - instance.advert_interval / 256;
  if (d.down >= limit) d.down = fitted;
  if (d.up >= limit) d.up = fitted;
  diags.warning(
      at, "interface_up_down_delays",
      instance.name + ": interface " + instance.interface + " debounce timer(s) not less than " +
          std::to_string(instance.down_timer_adverts - 1) + " * advert_int - resetting to " +
          format_seconds(fitted) + " (as keepalived does)");
}

// keepalived refuses to start on an unknown interface here; keepvip, which
// follows links that come and go, says so and keeps the delays for it.
void check_delay_interfaces(const std::map<std::string, InterfaceDelays>& delays,
                            const std::function<bool(const std::string&)>& exists,
                            DiagnosticSink& diags) {
  for (const auto& [name, d] : delays) {
    if (!exists(name)) {
      diags.warning(d.where, "interface_up_down_delays",
                    "unknown interface " + name + " specified for up/down delay");
    }
  }
}

}  // namespace

Config validate(Drafts drafts, const std::function<bool(const std::string&)>& interface_exists,
                DiagnosticSink& diags) {
  Config config;
  config.global = drafts.global;
  for (auto& draft : drafts.scripts) {
    config.scripts.emplace(draft.script.name, std::move(draft.script));
  }
  for (auto& draft : drafts.processes) {
    config.processes.emplace(draft.process.name, std::move(draft.process));
  }
  for (auto& file : drafts.track_files) config.track_files.emplace(file.name, std::move(file));
  for (auto& draft : drafts.instances) InstanceSettler(draft, config.global, diags).run();
  config.interface_delays = std::move(drafts.interface_delays);
  config.linkbeat_interfaces = std::move(drafts.linkbeat_interfaces);
  for (const auto& draft : drafts.instances)
    fit_interface_delays(draft, config.interface_delays, diags);
  if (interface_exists) check_delay_interfaces(config.interface_delays, interface_exists, diags);
  check_unique_names(drafts.instances, diags);
  check_unique_vrids(drafts.instances, diags);
  for (auto& draft : drafts.instances) {
    drop_undefined_scripts(draft.instance, config.scripts, config.processes, diags);
    drop_undefined_track_files(draft.instance, config.track_files, diags);
    warn_owner_weights(draft.instance, config, diags);
    if (interface_exists && draft.interface_at) {
      check_interfaces(draft.instance, interface_exists, *draft.interface_at, diags);
    }
    config.instances.push_back(std::move(draft.instance));
  }
  config.static_routes = std::move(drafts.static_routes);
  config.static_rules = std::move(drafts.static_rules);
  return config;
}

}  // namespace keepvip::config::detail
