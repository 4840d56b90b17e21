#include "daemon/supervisor/plumbing_kinds.h"

#include <algorithm>

#include "common/log.h"

namespace keepvip::daemon {

std::unique_ptr<AdvertChannel> ChannelKind::start(Spec& spec) {
  auto fail = [](const Error& e) {
    log_error("cannot open the VRRP socket: " + e.describe());
    return nullptr;
  };
  auto socket = open_(spec.ifindex, spec.family);
  if (!socket) return fail(socket.error());
  ChannelKey key = this->key(spec);
  auto channel = AdvertChannel::open(
      loop_, std::move(*socket),
      "vrrp socket " + std::to_string(spec.ifindex) + "/" + std::string(to_string(spec.family)),
      [this, key] { return runners_on_(key); });
  if (!channel) return fail(channel.error());
  update(**channel, spec);
  return std::move(*channel);
}

std::string ChannelKind::settings(const Spec& spec) const {
  std::string out = spec.ah ? "ah" : "";
  for (const auto& group : spec.groups) out += " " + group.to_string();
  return out;
}

void ChannelKind::update(AdvertChannel& channel, const Spec& spec) {
  for (const auto& group : spec.groups) {
    if (auto r = channel.join_group(group); !r)
      log_error("cannot join " + group.to_string() +
                " (adverts to it are not received): " + r.error().describe());
  }
  if (!spec.ah) return;
  if (auto r = channel.enable_ah(loop_); !r)
    log_error("cannot open the AH socket (auth_type AH adverts are not received): " +
              r.error().describe());
}

std::unique_ptr<GuardedInterface> GuardedInterfaceKind::start(Spec& spec) {
  auto guarded = std::make_unique<GuardedInterface>();
  guarded->ifindex = spec.ifindex;
  guarded->name = spec.name;
  auto how = guard_.attach(spec.ifindex, spec.name);
  if (!how) {
    log_warning("guard: cannot attach to " + spec.name + ": " + how.error().describe());
    return guarded;
  }
  guarded->mode = how->mode;
  // None: the NullGuard, which already said once what is lost.
  if (how->mode != ports::GuardMode::None)
    log_info("guard attached to " + spec.name + " (" + ports::describe(*how) + ")",
             {{"INTERFACE", spec.name}, {"GUARD_MODE", ports::describe(*how)}});
  return guarded;
}

void GuardedInterfaceKind::stop(GuardedInterface& interface) {
  guard_.detach(interface.ifindex);
  if (interface.mode != ports::GuardMode::None)
    log_info("guard detached from " + interface.name + " (no instance left on it)",
             {{"INTERFACE", interface.name}});
}

std::vector<ChannelKey> channels_for(const std::vector<const InstanceSpec*>& instances) {
  std::vector<ChannelKey> keys;
  for (const InstanceSpec* spec : instances) {
    ChannelKey key{spec->placement.ifindex, spec->family(), false, {}};
    auto same_link = [&](const ChannelKey& k) {
      return k.ifindex == key.ifindex && k.family == key.family;
    };
    auto it = std::find_if(keys.begin(), keys.end(), same_link);
    if (it == keys.end()) it = keys.insert(keys.end(), key);
    it->ah =
        it->ah || (spec->instance.auth_pass && spec->instance.auth_type == config::AuthType::Ah);
    const auto& group = spec->instance.wire.multicast_group;
    if (!spec->instance.unicast() && group &&
        std::find(it->groups.begin(), it->groups.end(), *group) == it->groups.end())
      it->groups.push_back(*group);
  }
  return keys;
}

std::vector<GuardedInterfaceSpec> guarded_interfaces_for(
    const std::vector<const InstanceSpec*>& instances) {
  std::vector<GuardedInterfaceSpec> specs;
  for (const InstanceSpec* spec : instances) {
    int ifindex = spec->placement.ifindex;
    if (std::none_of(specs.begin(), specs.end(),
                     [&](const GuardedInterfaceSpec& s) { return s.ifindex == ifindex; }))
      specs.push_back({ifindex, spec->instance.interface});
  }
  return specs;
}

}  // namespace keepvip::daemon
