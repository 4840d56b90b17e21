#include "daemon/supervisor/instance_kind.h"

#include "common/log.h"

namespace keepvip::daemon {

namespace {

// What is never a source: the instance's own VIPs.
std::vector<IpAddress> address_list(const config::Instance& instance) {
  std::vector<IpAddress> vips;
  for (const auto& v : instance.virtual_addresses) vips.push_back(v.prefix.address);
  for (const auto& v : instance.excluded_addresses) vips.push_back(v.prefix.address);
  return vips;
}

}  // namespace

std::vector<InstanceSpec> InstanceKind::desired(const config::Config& config,
                                                const RunningSet<InstanceKind>& running) const {
  std::vector<InstanceSpec> specs;
  for (const auto& instance : config.instances) {
    const auto* kept = running.entry(instance.name);
    if (kept && identity(kept->spec) == identity_fingerprint(instance)) {
      // Where it runs now: its source may have moved since it started.
      specs.push_back(instance_spec(config, instance, kept->object->spec().placement));
      continue;
    }
    auto ifindex = ports_.netlink->interface_index(instance.interface);
    if (!ifindex) {
      log_error(instance.name + ": interface " + instance.interface +
                    " not found; instance not started (reload once it exists)",
                {{"INSTANCE", instance.name}});
      continue;
    }
    specs.push_back(instance_spec(config, instance, {*ifindex, IpAddress{}}));
  }
  return specs;
}

std::unique_ptr<InstanceRunner> InstanceKind::start(Spec& spec) {
  const std::string& name = spec.name();
  remove_stale_vips(spec);
  if (!find_source(spec)) return nullptr;
  AdvertChannel* channel = channels_.find({spec.placement.ifindex, spec.family(), false, {}});
  if (!channel) return nullptr;  // the channel said why

  RunnerContext context;
  context.loop = ports_.loop;
  context.netlink = ports_.netlink;
  context.routes = ports_.routes;
  context.announcer = ports_.announcer;
  context.guard = ports_.guard;
  context.firewall = ports_.firewall;
  context.guard_sync = &guard_sync_;
  context.units = ports_.units;
  context.notifier = &notifier_;
  context.mail = &mail_alerts_;
  context.record_held = hooks_.record_held;
  context.master_interval_lowered = [this](const std::string& interface, unsigned adverts,
                                           Usec interval) {
    links_.master_interval_lowered(interface, adverts, interval);
  };
  auto runner = InstanceRunner::create(context, spec, &channel->sender(), hooks_.changed);
  if (!runner) {
    log_error(name + ": " + runner.error().describe(), {{"INSTANCE", name}});
    return nullptr;
  }
  refresh_interfaces(**runner);
  return std::move(*runner);
}

void InstanceKind::update(InstanceRunner& runner, const Spec& spec) {
  runner.update(spec);
  refresh_interfaces(runner);
}

// The kernel's view of a link: missing is down.
std::pair<bool, std::string> InstanceKind::read_link(const std::string& name) const {
  auto index = ports_.netlink->interface_index(name);
  if (!index) return {false, "interface " + name + " (missing)"};
  auto state = ports_.netlink->link_is_up(*index);
  return {state && *state, "interface " + name};
}

// A link some instance follows already is what the instances were told
// (it may be waiting for its interface_up_down_delays); another is read.
void InstanceKind::refresh_interfaces(InstanceRunner& runner) const {
  for (const auto& object : runner.tracked()) {
    if (!object.key.starts_with("interface:")) continue;
    std::string name = object.key.substr(std::string_view("interface:").size());
    if (auto told = links_.told(name)) {
      runner.set_tracked(object.key, *told, "interface " + name);
      continue;
    }
    auto [up, description] = read_link(name);
    links_.read(name, up);
    runner.set_tracked(object.key, up, description);
  }
}

// Events were lost: what the kernel says now counts as an event, delays
// included.
void InstanceKind::resync_interfaces(InstanceRunner& runner) const {
  for (const auto& object : runner.tracked()) {
    if (!object.key.starts_with("interface:")) continue;
    std::string name = object.key.substr(std::string_view("interface:").size());
    links_.event(name, read_link(name).first);
  }
}

void InstanceKind::remove_stale_vips(const InstanceSpec& spec) const {
  const config::Instance& instance = spec.instance;
  // The address owner's VIP is its own interface address: never "stale".
  if (instance.priority == 255) return;
  net::NetlinkOps& netlink = *ports_.netlink;
  auto remove_if_present = [&](const config::VirtualAddress& vip) {
    int index = spec.placement.ifindex;
    if (!vip.dev.empty()) {
      auto dev = netlink.interface_index(vip.dev);
      if (!dev) return;  // reported when the VIP is added
      index = *dev;
    }
    auto present = netlink.list_addresses(index);
    if (!present) {
      log_warning(instance.name + ": cannot look for stale VIPs: " + present.error().describe(),
                  {{"INSTANCE", instance.name}});
      return;
    }
    for (const auto& p : *present) {
      if (p.address != vip.prefix.address) continue;
      if (auto r = netlink.remove_address(index, p); !r) {
        log_warning(instance.name + ": cannot remove stale VIP: " + r.error().describe(),
                    {{"INSTANCE", instance.name}});
      } else {
        log_notice(
            instance.name + ": removed stale VIP " + p.to_string() + " left by a previous run",
            {{"INSTANCE", instance.name}, {"VIP", p.to_string()}});
      }
    }
  };
  for (const auto& vip : instance.virtual_addresses) remove_if_present(vip);
  for (const auto& vip : instance.excluded_addresses) remove_if_present(vip);
}

void InstanceKind::follow_source(InstanceRunner& runner, const net::AddressEvent& event) const {
  const InstanceSpec& spec = runner.spec();
  const config::Instance& instance = spec.instance;
  // A configured source is kept, as keepalived keeps it.
  if (instance.unicast_src_ip) return;
  if (event.ifindex != spec.placement.ifindex) return;
  if (event.prefix.address.family() != instance.family()) return;
  const bool lost_it = !event.added && event.prefix.address == runner.source();
  if (lost_it || (event.added && !runner.has_source())) find_source_again(runner);
}

void InstanceKind::find_source_again(InstanceRunner& runner) const {
  const InstanceSpec& spec = runner.spec();
  const config::Instance& instance = spec.instance;
  if (instance.unicast_src_ip) return;
  auto source = ports_.netlink->primary_address(spec.placement.ifindex, instance.family(),
                                                address_list(instance));
  if (source) {
    runner.change_source(*source);
    return;
  }
  if (!runner.has_source()) return;
  log_warning(instance.name + ": source address " + runner.source().to_string() + " left " +
                  instance.interface + " and no other " +
                  std::string(to_string(instance.family())) + " address is usable",
              {{"INSTANCE", instance.name}});
  runner.lose_source("no " + std::string(to_string(instance.family())) + " source address on " +
                     instance.interface);
}

bool InstanceKind::find_source(InstanceSpec& spec) const {
  const config::Instance& instance = spec.instance;
  if (instance.unicast_src_ip) {
    spec.placement.source = *instance.unicast_src_ip;
    return true;
  }
  Family family = instance.family();
  auto source =
      ports_.netlink->primary_address(spec.placement.ifindex, family, address_list(instance));
  if (!source) {
    log_error(instance.name + ": no " + std::string(to_string(family)) + " source address on " +
                  instance.interface + " (" + source.error().describe() + "); instance not started",
              {{"INSTANCE", instance.name}});
    return false;
  }
  spec.placement.source = *source;
  return true;
}

}  // namespace keepvip::daemon
