#include "daemon/reload_plan.h"

#include <algorithm>
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

const config::Instance* find(const config::Config& c, const std::string& name) {
  auto it = std::find_if(c.instances.begin(), c.instances.end(),
                         [&](const config::Instance& i) { return i.name == name; });
  return it == c.instances.end() ? nullptr : &*it;
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
      .field("auth", i.auth_pass ? "pass:" + *i.auth_pass : std::string("none"))
      .addresses("vips", i.virtual_addresses)
      .addresses("excluded", i.excluded_addresses)
      .field("unicast_src", i.unicast_src_ip ? i.unicast_src_ip->to_string() : std::string("-"));
  std::string peers;
  for (const auto& p : i.unicast_peers) peers += p.to_string() + ",";
  f.field("peers", peers);
  return f.str();
}

std::string settings_fingerprint(const config::Config& c, const config::Instance& i) {
  Fingerprint f;
  f.field("identity", identity_fingerprint(i))
      .field("priority", int{i.priority})
      .tracks("track_interface", i.track_interfaces)
      .tracks("track_script", i.track_scripts)
      .tracks("track_unit", i.track_units)
      .notify("notify_master", i.notify_master)
      .notify("notify_backup", i.notify_backup)
      .notify("notify_fault", i.notify_fault)
      .notify("notify_stop", i.notify_stop)
      .notify("notify", i.notify)
      .usec("garp_master_delay", i.garp_master_delay)
      .field("garp_master_repeat", i.garp_master_repeat)
      .usec("garp_master_refresh", i.garp_master_refresh)
      .usec("split_brain_quiet", i.split_brain_quiet)
      .usec("garp_interval", c.global.vrrp_garp_interval)
      .usec("gna_interval", c.global.vrrp_gna_interval);
  std::string units;
  for (const auto& u : i.master_units) units += u + ",";
  f.field("master_units", units);
  if (i.arbitration) {
    f.address("reference", i.arbitration->reference)
        .usec("reference_interval", i.arbitration->interval)
        .field("reference_fall", i.arbitration->fall)
        .field("reference_rise", i.arbitration->rise);
  }
  // A tracked script's definition is part of the instance's behaviour.
  for (const auto& t : i.track_scripts) {
    auto it = c.scripts.find(t.name);
    if (it == c.scripts.end()) continue;
    const auto& s = it->second;
    f.field("script", s.name)
        .field("command", s.command)
        .usec("interval", s.interval)
        .usec("timeout", s.timeout)
        .field("weight", s.weight)
        .field("reverse", s.weight_reverse)
        .field("rise", s.rise)
        .field("fall", s.fall)
        .resolved("run", s.resolved)
        .field("init_fail", s.init_fail);
  }
  return f.str();
}

ReloadPlan plan_reload(const config::Config& running, const config::Config& next) {
  ReloadPlan plan;
  for (const auto& old_instance : running.instances) {
    if (!find(next, old_instance.name)) plan.removed.push_back(old_instance.name);
  }
  for (const auto& new_instance : next.instances) {
    const config::Instance* old_instance = find(running, new_instance.name);
    if (!old_instance) {
      plan.added.push_back(new_instance.name);
    } else if (identity_fingerprint(*old_instance) != identity_fingerprint(new_instance)) {
      plan.rebuilt.push_back(new_instance.name);
    } else if (settings_fingerprint(running, *old_instance) !=
               settings_fingerprint(next, new_instance)) {
      plan.updated.push_back(new_instance.name);
    } else {
      plan.unchanged.push_back(new_instance.name);
    }
  }
  return plan;
}

}  // namespace keepvip::daemon
