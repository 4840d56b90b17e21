#include "daemon/supervisor/fingerprints.h"

#include <sstream>

namespace keepvip::daemon {
namespace {

// Every field is written with a name and a terminator so that adjacent
// values can never run together into the same text.
class Fingerprint {
 public:
  template <typename T>
  Fingerprint& field(const char* name, const T& value) {
    out_ << name << '=' << value << ';';
    return *this;
  }
  Fingerprint& usec(const char* name, Usec value) { return field(name, value.count()); }
  // What runs and as whom: the settled words and account, since a reload
  // may change them without changing the line (script_user, a new user).
  Fingerprint& resolved(const char* name, const std::optional<config::ResolvedScript>& value) {
    out_ << name << "=[";
    if (value) {
      for (const auto& word : value->argv) out_ << word.size() << ':' << word << ',';
      out_ << value->user << ' ' << value->uid << ':' << value->gid;
    }
    out_ << "];";
    return *this;
  }
  Fingerprint& notify(const char* name, const config::NotifyScript& value) {
    field(name, value.command);
    return resolved(name, value.resolved);
  }
  Fingerprint& address(const char* name, const IpAddress& value) {
    return field(name, value.to_string());
  }
  Fingerprint& addresses(const char* name, const std::vector<config::VirtualAddress>& list) {
    out_ << name << "=[";
    for (const auto& a : list)
      out_ << a.prefix.to_string() << " dev " << a.dev << " label " << a.label << ',';
    out_ << "];";
    return *this;
  }
  Fingerprint& tracks(const char* name, const std::vector<config::Track>& list) {
    out_ << name << "=[";
    for (const auto& t : list)
      out_ << t.name << ' ' << (t.weight ? std::to_string(*t.weight) : "-") << ' '
           << (t.reverse ? (*t.reverse ? "reverse" : "noreverse") : "-") << ',';
    out_ << "];";
    return *this;
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

// What a mail alert says and where it goes: a reload that changes any of
// it must reach the running instance.
std::string mail_fingerprint(const config::Global& global, const config::Instance& i) {
  const config::Mail& m = global.mail;
  Fingerprint f;
  f.field("router_id", global.router_id)
      .field("from", m.from)
      .field("server", m.server)
      .field("port", m.port)
      .field("helo", m.helo_name)
      .usec("timeout", m.connect_timeout)
      .field("alert", m.alert ? int{*m.alert} : -1)
      .field("alert_vrrp", m.alert_vrrp ? int{*m.alert_vrrp} : -1)
      .field("no_faults", m.no_email_faults)
      .field("instance", i.smtp_alert ? int{*i.smtp_alert} : -1);
  for (const auto& to : m.to) f.field("to", to.size()).field("", to);
  return f.str();
}

}  // namespace

std::string identity_fingerprint(const config::Instance& i) {
  Fingerprint f;
  f.field("interface", i.interface)
      .field("vrid", int{i.vrid})
      .field("version", int{i.version})
      .usec("advert_int", i.advert_interval)
      .field("start_master", i.state == config::InitialState::Master)
      .field("preempt", i.preempt)
      .usec("preempt_delay", i.preempt_delay)
      .field("auth", !i.auth_pass                          ? std::string("none")
                     : i.auth_type == config::AuthType::Ah ? "ah:" + *i.auth_pass
                                                           : "pass:" + *i.auth_pass)
      .addresses("vips", i.virtual_addresses)
      .addresses("excluded", i.excluded_addresses)
      .field("unicast_src", i.unicast_src_ip ? i.unicast_src_ip->to_string() : std::string("-"));
  std::string peers;
  for (const auto& p : i.unicast_peers) peers += p.to_string() + ",";
  f.field("peers", peers);
  return f.str();
}

std::string settings_fingerprint(const InstanceSpec& spec) {
  const config::Instance& i = spec.instance;
  const config::Global& global = spec.global;
  Fingerprint f;
  f.field("identity", identity_fingerprint(i))
      .field("priority", int{i.priority})
      .tracks("track_interface", i.track_interfaces)
      .tracks("track_script", i.track_scripts)
      .tracks("track_unit", i.track_units)
      .tracks("track_process", i.track_processes)
      .tracks("track_file", i.track_files)
      .notify("notify_master", i.notify_master)
      .notify("notify_backup", i.notify_backup)
      .notify("notify_fault", i.notify_fault)
      .notify("notify_stop", i.notify_stop)
      .notify("notify", i.notify)
      .field("notify_deleted", i.notify_deleted)
      .notify("notify_deleted_script", i.notify_deleted_script)
      .notify("notify_master_rx_lower_pri", i.notify_master_rx_lower_pri)
      .field("notify_priority_changes", i.notify_priority_changes)
      .usec("garp_master_delay", i.garp_master_delay)
      .field("garp_master_repeat", i.garp_master_repeat)
      .usec("garp_master_refresh", i.garp_master_refresh)
      .field("garp_master_refresh_repeat", i.garp_master_refresh_repeat)
      .field("garp_lower_prio_repeat", i.garp_lower_prio_repeat)
      .usec("garp_lower_prio_delay", i.garp_lower_prio_delay)
      .usec("split_brain_quiet", i.split_brain_quiet)
      .field("lower_prio_no_advert", i.lower_prio_no_advert)
      .field("higher_prio_send_advert", i.higher_prio_send_advert)
      .field("down_timer_adverts", i.down_timer_adverts)
      .field("skip_check_adv_addr", i.skip_check_adv_addr)
      .field("dont_track_primary", i.dont_track_primary)
      .field("highest_other_priority", int{i.highest_other_priority})
      .field("accept", i.accept)
      .field("nftables", global.nftables.table)
      .field("nftables_priority", global.nftables.priority)
      .field("nftables_ifindex", global.nftables.ifindex)
      .field("nftables_counters", global.nftables.counters)
      .usec("garp_interval", global.vrrp_garp_interval)
      .usec("gna_interval", global.vrrp_gna_interval)
      .field("mail", mail_fingerprint(global, i));
  std::string units;
  for (const auto& u : i.master_units) units += u + ",";
  f.field("master_units", units);
  if (i.arbitration) f.field("arbitration", arbitration_fingerprint(*i.arbitration));
  // A tracked script's definition is part of the instance's behaviour.
  for (const auto& t : i.track_scripts) {
    auto it = spec.scripts.find(t.name);
    if (it == spec.scripts.end()) continue;
    const auto& s = it->second;
    f.field("script", s.name)
        .field("command", s.command)
        .field("weight", s.weight)
        .field("reverse", s.weight_reverse)
        .field("run", script_fingerprint(s));
  }
  // A tracked process's weight is too (its counting is the kind's).
  for (const auto& [name, p] : spec.processes)
    f.field("process", name).field("weight", p.weight).field("reverse", p.weight_reverse);
  for (const auto& [name, file] : spec.track_files)
    f.field("file", name).field("weight", file.weight).field("reverse", file.weight_reverse);
  return f.str();
}

std::string script_fingerprint(const config::Script& s) {
  // The settled account and program count too: a reload must run the
  // script as whoever the configuration now says.
  Fingerprint f;
  f.resolved("run", s.resolved)
      .usec("interval", s.interval)
      .usec("timeout", s.timeout)
      .field("rise", s.rise)
      .field("fall", s.fall)
      .field("init_fail", s.init_fail);
  return f.str();
}

std::string arbitration_fingerprint(const config::Arbitration& a) {
  Fingerprint f;
  f.address("reference", a.reference)
      .usec("interval", a.interval)
      .field("fall", a.fall)
      .field("rise", a.rise);
  return f.str();
}

}  // namespace keepvip::daemon
