#include "daemon/instances/instance_spec.h"

#include "proto/advert.h"
#include "vrrp/timers.h"

namespace keepvip::daemon {

InstanceSpec instance_spec(const config::Config& config, const config::Instance& instance,
                           const Placement& placement) {
  InstanceSpec spec;
  spec.instance = instance;
  spec.global = config.global;
  for (const auto& t : instance.track_processes) {
    auto it = config.processes.find(t.name);
    if (it != config.processes.end()) spec.processes.emplace(it->first, it->second);
  }
  for (const auto& t : instance.track_scripts) {
    auto it = config.scripts.find(t.name);
    if (it != config.scripts.end()) spec.scripts.emplace(it->first, it->second);
  }
  for (const auto& t : instance.track_files) {
    auto it = config.track_files.find(t.name);
    if (it != config.track_files.end()) spec.track_files.emplace(it->first, it->second);
  }
  spec.placement = placement;
  return spec;
}

std::vector<OutgoingAdvert> adverts_to_send(const AdvertIdentity& identity, uint8_t priority) {
  proto::Advert advert;
  advert.version = identity.version;
  advert.vrid = identity.vrid;
  advert.priority = priority;
  advert.interval_cs = identity.interval_cs;
  for (const auto& vip : identity.vips) advert.addresses.push_back(vip.address);
  if (identity.ah) {
    advert.auth_type = static_cast<uint8_t>(config::AuthType::Ah);
  } else if (!identity.auth_pass.empty()) {
    advert.auth_type = static_cast<uint8_t>(config::AuthType::Pass);
    advert.auth_data = identity.auth_pass;
  }
  proto::EncodeOptions options;
  options.v3_checksum_as_v2 = identity.v3_checksum_as_v2;
  std::vector<OutgoingAdvert> out;
  if (identity.unicast_peers.empty()) {
    const IpAddress group = multicast_group(identity);
    out.push_back(
        {group, proto::encode_advert(advert, identity.source, group, options), std::nullopt});
  }
  for (const auto& peer : identity.unicast_peers) {
    out.push_back(
        {peer, proto::encode_advert(advert, identity.source, peer, options), identity.unicast_ttl});
  }
  return out;
}

IpAddress multicast_group(const AdvertIdentity& identity) {
  return identity.multicast_group.value_or(proto::vrrp_multicast_group(identity.family));
}

vrrp::Params vrrp_params(const InstanceSpec& spec) {
  const config::Instance& i = spec.instance;
  vrrp::Params p;
  p.vrid = i.vrid;
  p.version = i.version;
  p.family = i.family();
  p.advert_interval = i.advert_interval;
  p.preempt = i.preempt;
  p.preempt_delay = i.preempt_delay;
  p.start_as_master = i.state == config::InitialState::Master;
  p.primary_address = spec.placement.source;
  p.lower_prio_no_advert = i.lower_prio_no_advert;
  p.higher_prio_send_advert = i.higher_prio_send_advert;
  p.down_timer_adverts = i.down_timer_adverts;
  p.highest_other_priority = i.highest_other_priority;
  p.reannounce_to_lower_priority = i.garp_lower_prio_repeat > 0;
  return p;
}

vrrp::ReceiveProfile receive_profile(const InstanceSpec& spec) {
  return vrrp::receive_profile(spec.instance, spec.global, spec.placement.source);
}

AdvertIdentity advert_identity(const InstanceSpec& spec) {
  const config::Instance& i = spec.instance;
  AdvertIdentity a;
  a.family = i.family();
  a.version = i.version;
  a.vrid = i.vrid;
  a.interval_cs = vrrp::to_centiseconds(i.advert_interval);
  a.source = spec.placement.source;
  // keepalived keeps auth_pass in an 8-byte field: only that much is sent.
  if (i.auth_pass && i.version == 2) {
    a.auth_pass = i.auth_pass->substr(0, 8);
    a.ah = i.auth_type == config::AuthType::Ah;
  }
  a.unicast_peers = i.unicast_peers;
  for (const auto& vip : i.virtual_addresses) a.vips.push_back(vip.prefix);
  a.multicast_group = i.wire.multicast_group;
  a.v3_checksum_as_v2 = i.wire.v3_checksum_as_v2.value_or(spec.global.wire.v3_checksum_as_v2);
  a.unicast_ttl = i.wire.unicast_ttl;
  return a;
}

ports::GuardInstance guard_instance(const InstanceSpec& spec, const vrrp::ReceiveProfile& receive,
                                    uint8_t effective_priority) {
  ports::GuardInstance g;
  g.ifindex = spec.placement.ifindex;
  g.receive = receive;
  // Excluded addresses are not advertised but move with the instance: a
  // foreign MAC claiming one is the same conflict.
  for (const auto& vip : spec.instance.virtual_addresses) g.vips.push_back(vip.prefix.address);
  for (const auto& vip : spec.instance.excluded_addresses) g.vips.push_back(vip.prefix.address);
  g.own_addresses.push_back(spec.placement.source);
  g.priority = effective_priority;
  return g;
}

HeldInstance held_instance(const InstanceSpec& spec, std::vector<std::string> started_units) {
  HeldInstance h;
  h.name = spec.instance.name;
  h.interface = spec.instance.interface;
  h.ifindex = spec.placement.ifindex;
  h.advert = advert_identity(spec);
  for (const auto& vip : spec.instance.excluded_addresses) h.excluded.push_back(vip.prefix);
  h.master_units = std::move(started_units);
  const auto& i = spec.instance;
  if (i.drops_vip_traffic() && (!i.virtual_addresses.empty() || !i.excluded_addresses.empty()))
    h.firewall_table = spec.global.nftables.table;
  h.routes = spec.instance.virtual_routes;
  h.rules = spec.instance.virtual_rules;
  return h;
}

ports::InstanceSnapshot configured_snapshot(const InstanceSpec& spec) {
  const config::Instance& i = spec.instance;
  ports::InstanceSnapshot s;
  s.name = i.name;
  s.priority = i.priority;
  s.vrid = i.vrid;
  s.interface = i.interface;
  s.version = i.version;
  for (const auto& vip : i.virtual_addresses) s.virtual_addresses.push_back(vip.prefix.to_string());
  return s;
}

}  // namespace keepvip::daemon
