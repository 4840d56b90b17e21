#include "daemon/publish/keepalived_dumps.h"

#include <time.h>

#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "daemon/publish/keepalived_route_lines.h"
#include "proto/advert.h"

namespace keepvip::daemon {
namespace {

std::string line(const std::string& text) {
  return text + "\n";
}

uint64_t drops(const ports::InstanceCounters& c, std::initializer_list<proto::DropReason> reasons) {
  uint64_t n = 0;
  for (auto reason : reasons) {
    auto it = c.drops.find(reason);
    if (it != c.drops.end()) n += it->second;
  }
  return n;
}

// keepalived's counters, from keepvip's drop reasons.
struct KeepalivedStats {
  uint64_t packet_len_err, ip_ttl_err, invalid_type_rcvd, advert_interval_err, addr_list_err;
  uint64_t invalid_authtype, authtype_mismatch, auth_failure;
};

KeepalivedStats keepalived_counters(const ports::InstanceCounters& c) {
  using enum proto::DropReason;
  return {drops(c, {Truncated, Oversized, BadIpHeader}),
          drops(c, {BadTtl}),
          drops(c, {BadType}),
          drops(c, {IntervalMismatch, ZeroInterval}),
          drops(c, {AddressListMismatch, ZeroAddressCount}),
          0,  // keepvip decodes no auth type it does not know as a type of its own
          drops(c, {AuthTypeMismatch}),
          drops(c, {AuthMismatch, AhIcvMismatch, AhSpiMismatch, AhSequenceReplay})};
}

// "1733227200.123456 (Thu Dec  3 12:00:00.123456 2026)", keepalived's
// ctime_us_r(): local time, as its dump does.
std::string timestamp(uint64_t usec) {
  time_t seconds = static_cast<time_t>(usec / 1'000'000);
  long micro = static_cast<long>(usec % 1'000'000);
  struct tm tm;
  localtime_r(&seconds, &tm);
  char asc[32] = {};
  char when[48] = {};
  char year[8] = {};
  asctime_r(&tm, asc);  // "Thu Dec  3 12:00:00 2026\n"
  strftime(year, sizeof year, "%Y", &tm);
  std::snprintf(when, sizeof when, "%.19s.%6.6ld %s", asc, micro, year);
  char out[96];
  std::snprintf(out, sizeof out, "%lld.%6.6ld (%s)", static_cast<long long>(seconds), micro, when);
  return out;
}

// keepalived's format_ipaddress() for a VIP: "192.0.2.10/24 dev eth0 scope
// global", " set" while it is on the interface (dump_ipaddress).
std::string vip_line(const config::VirtualAddress& vip, const std::string& interface, bool set) {
  std::string text =
      vip.prefix.to_string() + " dev " + (vip.dev.empty() ? interface : vip.dev) + " scope global";
  if (!vip.label.empty()) text += " label " + vip.label;
  return text + (set ? " set" : "");
}

std::string notify_line(const config::NotifyScript& script, const char* which) {
  return line(
      "   " + std::string(which) + " state transition script = " + script.command + ", uid:gid " +
      (script.resolved
           ? std::to_string(script.resolved->uid) + ":" + std::to_string(script.resolved->gid)
           : std::string("-")));
}

// keepalived's dump_unicast_peer: "ADDRESS min_ttl N max_ttl M".
std::string peer_line(const config::Instance& i, const IpAddress& peer) {
  config::PeerTtlRange range{peer};
  for (const auto& r : i.wire.peer_ttls)
    if (r.peer == peer) range = r;
  return peer.to_string() + " min_ttl " + std::to_string(range.min_ttl) + " max_ttl " +
         std::to_string(range.max_ttl);
}

// A track_script entry's weight, else its script's (keepalived's dump
// prints the weight that applies).
int script_weight(const DumpView& view, const config::Track& t) {
  if (t.weight) return *t.weight;
  for (const auto& s : view.scripts)
    if (s.config->name == t.name) return s.config->weight;
  return 0;
}

std::string instance_section(const DumpView& view, const DumpedInstance& d) {
  const auto& s = d.snapshot;
  const config::Instance& i = *d.config;
  const bool v2 = s.version == 2;
  std::string out;
  out += line(" VRRP Instance = " + s.name);
  out += line("   VRRP Version = " + std::to_string(s.version));
  if (i.family() == Family::V6) out += line("   Using Native IPv6");
  out += line("   State = " + std::string(vrrp::to_string(s.state)));
  if (s.state == vrrp::State::Backup && s.master_address)
    out += line("   Master router = " + s.master_address->to_string());
  // keepalived's flags: any unicast keyword marks the instance "unicast
  // configured"; unicast_fault_no_peer is one.
  const bool fault_no_peer = i.wire.unicast_fault_no_peer;
  if (i.unicast()) {
    out += line("   Flags:");
    out += line("     Using unicast");
  } else if (fault_no_peer) {
    out += line("   Flags:");
    out += line("     Unicast config option specified but using multicast");
  } else {
    out += line("   Flags: none");
  }
  if (fault_no_peer) out += line("     If unicast go to fault state if no peers");
  out += line("   Wantstate = " + std::string(vrrp::to_string(s.state)));
  out += line(std::string("   Number of config faults = ") +
              (fault_no_peer && !i.unicast() ? "1" : "0"));
  out += line("   Number of interface and track script faults = " +
              std::to_string(s.fault_reasons.size()));
  if (s.last_transition_usec)
    out += line("   Last transition = " + timestamp(s.last_transition_usec));
  out += line("   Interface = " + s.interface);
  if (i.strict) out += line("   Enforcing strict VRRP compliance");
  out += line("   Using src_ip = " + (d.has_source ? d.source.to_string() : std::string("(none)")) +
              (i.unicast_src_ip ? " (from configuration)" : ""));
  if (!i.unicast()) {
    const IpAddress group =
        i.wire.multicast_group.value_or(proto::vrrp_multicast_group(i.family()));
    out += line("   Multicast address " + group.to_string() +
                (i.family() == Family::V6 ? ", ifindex " + std::to_string(d.ifindex) : ""));
  }
  out +=
      line("   Gratuitous ARP delay = " + std::to_string(i.garp_master_delay.count() / 1'000'000));
  out += line("   Gratuitous ARP repeat = " + std::to_string(i.garp_master_repeat));
  out += line("   Gratuitous ARP refresh = " +
              std::to_string(i.garp_master_refresh.count() / 1'000'000));
  out += line("   Gratuitous ARP refresh repeat = " + std::to_string(i.garp_master_refresh_repeat));
  out += line("   Gratuitous ARP lower priority delay = " +
              std::to_string(i.garp_lower_prio_delay.count() / 1'000'000));
  out +=
      line("   Gratuitous ARP lower priority repeat = " + std::to_string(i.garp_lower_prio_repeat));
  out += line("   Down timer adverts = " + std::to_string(i.down_timer_adverts));
  out += line(std::string("   Send advert after receive lower priority advert = ") +
              (i.lower_prio_no_advert ? "false" : "true"));
  out += line(std::string("   Send advert after receive higher priority advert = ") +
              (i.higher_prio_send_advert ? "true" : "false"));
  out += line("   Virtual Router ID = " + std::to_string(s.vrid));
  out += line("   Priority = " + std::to_string(s.priority));
  out += line("   Effective priority = " + std::to_string(s.effective_priority));
  out += line("   Total priority = " + std::to_string(s.effective_priority));
  if (!i.preempt)
    out += line("   Highest other priority = " + std::to_string(i.highest_other_priority));
  const int64_t interval = i.advert_interval.count();
  out += line("   Advert interval = " + (v2 ? std::to_string(interval / 1'000'000) + " sec"
                                            : std::to_string(interval / 1'000) + " milli-sec"));
  out += line(std::string("   Accept = ") + (i.accept ? "enabled" : "disabled"));
  out += line(std::string("   Preempt = ") + (i.preempt ? "enabled" : "disabled"));
  if (i.preempt_delay.count()) {
    char delay[64];
    std::snprintf(delay, sizeof delay, "   Preempt delay = %g secs",
                  static_cast<double>(i.preempt_delay.count()) / 1e6);
    out += line(delay);
  }
  if (v2) {
    if (i.auth_pass && i.auth_type == config::AuthType::Ah) {
      out += line("   Authentication type = IPSEC_AH");  // keepalived does not print the key
    } else if (i.auth_pass) {
      out += line("   Authentication type = SIMPLE_PASSWORD");
      out += line("   Password = " + *i.auth_pass);
    } else {
      out += line("   Authentication type = none");
    }
  }
  if (!v2 && i.family() == Family::V4) {
    out += line(std::string("   VRRPv3 uses VRRPv2 checksum = ") +
                (i.wire.v3_checksum_as_v2.value_or(false) ? "enabled" : "disabled"));
  }
  if (!i.virtual_addresses.empty()) {
    const bool set = s.state == vrrp::State::Master;
    out += line("   Virtual IP (" + std::to_string(i.virtual_addresses.size()) + "):");
    for (const auto& vip : i.virtual_addresses)
      out += line("     " + vip_line(vip, s.interface, set));
  }
  if (!i.excluded_addresses.empty()) {
    const bool set = s.state == vrrp::State::Master;
    out += line("   Virtual IP Excluded :");
    for (const auto& vip : i.excluded_addresses)
      out += line("     " + vip_line(vip, s.interface, set));
  }
  if (i.unicast()) {
    // keepalived defaults the TTL to 255 for IPv4 only; over IPv6 the kernel's
    // hop limit applies unless unicast_ttl is set.
    std::optional<unsigned> ttl = i.wire.unicast_ttl;
    if (!ttl && i.family() == Family::V4) ttl = proto::kVrrpTtl;
    if (ttl) out += line("   Unicast TTL = " + std::to_string(*ttl));
    out += line(std::string("   Check unicast src : ") + (i.check_unicast_src ? "yes" : "no"));
    out += line("   Unicast Peer :");
    for (const auto& peer : i.unicast_peers) out += line("     " + peer_line(i, peer));
  }
  if (!i.virtual_routes.empty()) {
    out += line("   Virtual Routes :");
    for (const auto& r : i.virtual_routes) out += line("     " + keepalived_route_line(r));
  }
  if (!i.virtual_rules.empty()) {
    out += line("   Virtual Rules :");
    for (const auto& r : i.virtual_rules) out += line("     " + keepalived_rule_line(r));
  }
  if (!i.track_interfaces.empty()) {
    out += line("   Tracked interfaces :");
    for (const auto& t : i.track_interfaces)
      out += line("     " + t.name + " weight " + std::to_string(t.weight.value_or(0)));
  }
  if (!i.track_scripts.empty()) {
    out += line("   Tracked scripts :");
    for (const auto& t : i.track_scripts)
      out += line("     " + t.name + " weight " + std::to_string(script_weight(view, t)));
  }
  out += instance_tracked_processes(view, i);
  out += line("   Using smtp notification = no");
  out += line(std::string("   Notify deleted = ") + (i.notify_deleted ? "Deleted" : "Fault"));
  if (!i.notify_backup.empty()) out += notify_line(i.notify_backup, "Backup");
  if (!i.notify_master.empty()) out += notify_line(i.notify_master, "Master");
  if (!i.notify_fault.empty()) out += notify_line(i.notify_fault, "Fault");
  if (!i.notify_stop.empty()) out += notify_line(i.notify_stop, "Stop");
  if (!i.notify_deleted_script.empty()) out += notify_line(i.notify_deleted_script, "Deleted");
  if (!i.notify.empty()) out += notify_line(i.notify, "Generic");
  if (!i.notify_master_rx_lower_pri.empty())
    out += notify_line(i.notify_master_rx_lower_pri, "Master rx lower pri");
  out += line(std::string("   Notify priority changes = ") +
              (i.notify_priority_changes ? "true" : "false"));
  return out;
}

std::string script_section(const DumpedScript& d) {
  const config::Script& s = *d.config;
  const int64_t second = 1'000'000;
  const Usec timeout = s.timeout.count() ? s.timeout : s.interval;
  std::string out;
  out += line(" VRRP Script = " + s.name);
  out += line("   Command = " + s.command);
  out += line("   Interval = " + std::to_string(s.interval.count() / second) + " sec");
  out += line("   Timeout = " + std::to_string(timeout.count() / second) + " sec");
  out += line("   Weight = " + std::to_string(s.weight) + (s.weight_reverse ? " reverse" : ""));
  out += line("   Rise = " + std::to_string(s.rise));
  out += line("   Fall = " + std::to_string(s.fall));
  out += line(std::string("   Insecure = no"));
  out += line(std::string("   Status = ") + (d.good ? "GOOD" : "BAD"));
  if (s.resolved)
    out += line("   Script uid:gid = " + std::to_string(s.resolved->uid) + ":" +
                std::to_string(s.resolved->gid));
  out += line("   VRRP instances :");
  for (const auto& name : d.instances) out += line("     " + name);
  // keepvip runs checks on their own timers: between runs a script is idle.
  out += line("   State = idle");
  return out;
}

// keepalived's json_writer: a string with its escapes.
std::string json(const std::string& text) {
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

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// One object of fields, in order, as keepalived's jsonw writes them.
class JsonObject {
 public:
  JsonObject& raw(const std::string& name, const std::string& value) {
    out_ += (out_.empty() ? "{" : ",") + json(name) + ":" + value;
    return *this;
  }
  JsonObject& text(const std::string& name, const std::string& value) {
    return raw(name, json(value));
  }
  JsonObject& uint(const std::string& name, uint64_t value) {
    return raw(name, std::to_string(value));
  }
  JsonObject& boolean(const std::string& name, bool value) {
    return raw(name, value ? "true" : "false");
  }
  JsonObject& strings(const std::string& name, const std::vector<std::string>& values) {
    if (values.empty()) return *this;  // keepalived leaves an empty list out
    std::string list = "[";
    for (size_t i = 0; i < values.size(); ++i) list += (i ? "," : "") + json(values[i]);
    return raw(name, list + "]");
  }
  std::string done() const { return out_.empty() ? "{}" : out_ + "}"; }

 private:
  std::string out_;
};

std::string json_instance(const DumpedInstance& d) {
  const auto& s = d.snapshot;
  const config::Instance& i = *d.config;
  const bool set = s.state == vrrp::State::Master;
  std::vector<std::string> vips, evips, track_ifp, track_script;
  for (const auto& v : i.virtual_addresses) vips.push_back(vip_line(v, s.interface, false));
  for (const auto& v : i.excluded_addresses) evips.push_back(vip_line(v, s.interface, false));
  for (const auto& t : i.track_interfaces) track_ifp.push_back(t.name);
  for (const auto& t : i.track_scripts) track_script.push_back(t.name);
  std::vector<std::string> track_process;
  for (const auto& t : i.track_processes) track_process.push_back(t.name);
  JsonObject data;
  data.text("iname", s.name)
      .uint("dont_track_primary", i.dont_track_primary ? 1 : 0)
      .uint("skip_check_adv_addr", 0)
      .uint("strict_mode", i.strict ? 1 : 0)
      .text("ifp_ifname", s.interface)
      .uint("master_priority", 0)
      .raw("last_transition", number(static_cast<double>(s.last_transition_usec) / 1e6))
      .raw("garp_delay", number(static_cast<double>(i.garp_master_delay.count()) / 1e6))
      .uint("garp_refresh", static_cast<uint64_t>(i.garp_master_refresh.count() / 1'000'000))
      .uint("garp_rep", static_cast<uint64_t>(i.garp_master_repeat))
      .uint("garp_refresh_rep", i.garp_master_refresh_repeat)
      .uint("garp_lower_prio_delay",
            static_cast<uint64_t>(i.garp_lower_prio_delay.count() / 1'000'000))
      .uint("garp_lower_prio_rep", i.garp_lower_prio_repeat)
      .uint("vrid", s.vrid)
      .uint("base_priority", s.priority)
      .uint("effective_priority", s.effective_priority)
      .boolean("vipset", set)
      .raw("adver_int", number(static_cast<double>(i.advert_interval.count()) / 1e6))
      .uint("accept", i.accept ? 1 : 0)
      .boolean("nopreempt", !i.preempt)
      .uint("preempt_delay", static_cast<uint64_t>(i.preempt_delay.count() / 1'000'000))
      .uint("state", static_cast<uint64_t>(keepalived_state_number(s.state)))
      .uint("wantstate", static_cast<uint64_t>(keepalived_state_number(s.state)))
      .uint("version", s.version)
      .boolean("smtp_alert", false)
      .boolean("notify_deleted", i.notify_deleted);
  if (!i.notify_backup.empty()) data.text("script_backup", i.notify_backup.command);
  if (!i.notify_master.empty()) data.text("script_master", i.notify_master.command);
  if (!i.notify_fault.empty()) data.text("script_fault", i.notify_fault.command);
  if (!i.notify_stop.empty()) data.text("script_stop", i.notify_stop.command);
  if (!i.notify_deleted_script.empty())
    data.text("script_deleted", i.notify_deleted_script.command);
  if (!i.notify.empty()) data.text("script", i.notify.command);
  if (!i.notify_master_rx_lower_pri.empty())
    data.text("script_master_rx_lower_pri", i.notify_master_rx_lower_pri.command);
  data.strings("vips", vips)
      .strings("evips", evips)
      .strings("track_ifp", track_ifp)
      .strings("track_script", track_script)
      .strings("track_process", track_process)
      .uint("auth_type", i.auth_pass && s.version == 2 ? static_cast<unsigned>(i.auth_type) : 0);
  if (i.auth_pass && s.version == 2) data.text("auth_data", *i.auth_pass);

  const auto& c = s.counters;
  const KeepalivedStats k = keepalived_counters(c);
  JsonObject stats;
  stats.uint("advert_rcvd", c.adverts_received)
      .uint("advert_sent", c.adverts_sent)
      .uint("become_master", c.became_master)
      .uint("release_master", c.released_master)
      .uint("packet_len_err", k.packet_len_err)
      .uint("advert_interval_err", k.advert_interval_err)
      .uint("ip_ttl_err", k.ip_ttl_err)
      .uint("invalid_type_rcvd", k.invalid_type_rcvd)
      .uint("addr_list_err", k.addr_list_err)
      .uint("invalid_authtype", k.invalid_authtype)
      .uint("authtype_mismatch", k.authtype_mismatch)
      .uint("auth_failure", k.auth_failure)
      .uint("pri_zero_rcvd", c.priority_zero_received)
      .uint("pri_zero_sent", c.priority_zero_sent);
  return JsonObject().raw("data", data.done()).raw("stats", stats.done()).done();
}

}  // namespace

int keepalived_state_number(vrrp::State state) {
  switch (state) {
    case vrrp::State::Init:
      return 0;
    case vrrp::State::Backup:
      return 1;
    case vrrp::State::Master:
      return 2;
    case vrrp::State::Fault:
      return 3;
  }
  return 0;
}

// keepalived's dump_global_data lines for the gratuitous ARP timing (the
// lower-priority values as vrrp_complete_init settles them) and
// vrrp_startup_delay, printed only when set.
std::string global_timing_lines(const config::Global& g) {
  const auto secs = [](Usec v) { return std::to_string(v.count() / 1'000'000); };
  std::string out;
  out += line(" Gratuitous ARP delay = " + secs(g.vrrp_garp_master_delay));
  out += line(" Gratuitous ARP repeat = " + std::to_string(g.vrrp_garp_master_repeat));
  out += line(" Gratuitous ARP refresh timer = " + secs(g.vrrp_garp_master_refresh));
  out +=
      line(" Gratuitous ARP refresh repeat = " + std::to_string(g.vrrp_garp_master_refresh_repeat));
  out += line(" Gratuitous ARP lower priority delay = " +
              secs(g.vrrp_garp_lower_prio_delay.value_or(g.vrrp_garp_master_delay)));
  out += line(" Gratuitous ARP lower priority repeat = " +
              std::to_string(g.vrrp_garp_lower_prio_repeat.value_or(
                  static_cast<unsigned>(g.vrrp_garp_master_repeat))));
  if (g.vrrp_startup_delay.count() > 0) {
    char delay[64];
    std::snprintf(delay, sizeof delay, " vrrp_startup_delay = %g",
                  static_cast<double>(g.vrrp_startup_delay.count()) / 1e6);
    out += line(delay);
  }
  return out;
}

std::string keepalived_data(const DumpView& view) {
  std::string out;
  out += line("------< Global definitions >------");
  if (view.global) {
    out += line(" Router ID = " + view.global->router_id);
    out += line(std::string(" Use VRRPv2 checksum for VRRPv3 IPv4 = ") +
                (view.global->wire.v3_checksum_as_v2 ? "yes" : "no"));
    out += global_timing_lines(*view.global);
  }
  if (view.static_routes && !view.static_routes->empty()) {
    out += line("------< Static Routes >------");
    for (const auto& r : *view.static_routes) out += line("     " + keepalived_route_line(r));
  }
  if (view.static_rules && !view.static_rules->empty()) {
    out += line("------< Static Rules >------");
    for (const auto& r : *view.static_rules) out += line("     " + keepalived_rule_line(r));
  }
  if (!view.instances.empty()) {
    out += line("------< VRRP Topology >------");
    for (const auto& instance : view.instances) out += instance_section(view, instance);
  }
  if (!view.scripts.empty()) {
    out += line("------< VRRP Scripts >------");
    for (const auto& script : view.scripts) out += script_section(script);
  }
  out += track_process_sections(view);
  return out;
}

std::string keepalived_stats(const DumpView& view) {
  std::string out;
  for (const auto& instance : view.instances) {
    const auto& s = instance.snapshot;
    const auto& c = s.counters;
    const KeepalivedStats k = keepalived_counters(c);
    out += line("VRRP Instance: " + s.name);
    out += line("  Advertisements:");
    out += line("    Received: " + std::to_string(c.adverts_received));
    out += line("    Sent: " + std::to_string(c.adverts_sent));
    out += line("  Became master: " + std::to_string(c.became_master));
    out += line("  Released master: " + std::to_string(c.released_master));
    out += line("  Packet Errors:");
    out += line("    Length: " + std::to_string(k.packet_len_err));
    out += line("    TTL: " + std::to_string(k.ip_ttl_err));
    out += line("    Invalid Type: " + std::to_string(k.invalid_type_rcvd));
    out += line("    Advertisement Interval: " + std::to_string(k.advert_interval_err));
    out += line("    Address List: " + std::to_string(k.addr_list_err));
    out += line("  Authentication Errors:");
    out += line("    Invalid Type: " + std::to_string(k.invalid_authtype));
    out += line("    Type Mismatch: " + std::to_string(k.authtype_mismatch));
    out += line("    Failure: " + std::to_string(k.auth_failure));
    out += line("  Priority Zero:");
    out += line("    Received: " + std::to_string(c.priority_zero_received));
    out += line("    Sent: " + std::to_string(c.priority_zero_sent));
  }
  return out;
}

namespace {

const char* param_match_name(config::ParamMatch match) {
  switch (match) {
    case config::ParamMatch::None:
      return "none";
    case config::ParamMatch::Exact:
      return "exact";
    case config::ParamMatch::Partial:
      return "partial";
    case config::ParamMatch::Initial:
      return "initial";
  }
  return "unknown";
}

// One vrrp_track_process, as vrrp_json_vprocess_dump writes it.
std::string json_process(const DumpedProcess& d) {
  const config::TrackedProcess& p = *d.config;
  JsonObject out;
  out.text("process", p.process);
  if (!p.params.empty()) out.text("parameters", process_parameters(p));
  out.text("param_match", param_match_name(p.param_match)).uint("min_processes", p.quorum);
  if (p.quorum_max != 0xffffffffU) out.uint("max_processes", p.quorum_max);
  out.uint("current_processes", d.current)
      .boolean("have_quorum", d.have_quorum)
      .raw("weight", std::to_string(p.weight_reverse ? -p.weight : p.weight))
      .raw("terminate_delay", number(static_cast<double>(p.terminate_delay.count()) / 1e6))
      .raw("fork_delay", number(static_cast<double>(p.fork_delay.count()) / 1e6))
      .boolean("fork_delay_timer_running", d.fork_timer)
      .boolean("terminate_delay_timer_running", d.terminate_timer)
      .boolean("full_command", p.full_command);
  return out.done();
}

}  // namespace

// Version 1: the array of instances. Version 2 (json_version 2): an object
// with it under "vrrp", and the tracked processes under "track_process".
std::string keepalived_json(const DumpView& view) {
  std::string vrrp = "[";
  for (size_t i = 0; i < view.instances.size(); ++i)
    vrrp += (i ? "," : "") + json_instance(view.instances[i]);
  vrrp += "]";
  if (!view.global || view.global->json_version != 2) return vrrp;
  std::string out = "{\"vrrp\":" + vrrp;
  if (!view.processes.empty()) {
    out += ",\"track_process\":[";
    for (size_t i = 0; i < view.processes.size(); ++i)
      out += (i ? "," : "") + json_process(view.processes[i]);
    out += "]";
  }
  return out + "}";
}

}  // namespace keepvip::daemon
