// What instances stand on, as kinds of the supervisor's one reconcile
// (reconcile.h): the VRRP socket of each (interface, family) the instances
// use, and the guard on each interface they use. Both follow the instances:
// the supervisor derives their desired sets from the instances' placements.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "daemon/instances/advert_dispatch.h"
#include "daemon/instances/instance_spec.h"
#include "daemon/supervisor/ports.h"
#include "ports/guard.h"

namespace keepvip::daemon {

class InstanceRunner;

struct ChannelKey {
  int ifindex = 0;
  Family family = Family::V4;
  // An instance on it uses auth_type AH: the AH socket is open too. Not part
  // of the key (see ChannelKind::key).
  bool ah = false;
  // The multicast groups its instances use besides 224.0.0.18 / ff02::12:
  // joined in place, like the AH socket (a setting, not part of the key).
  std::vector<IpAddress> groups;
  friend bool operator==(const ChannelKey&, const ChannelKey&) = default;
};

class ChannelKind {
 public:
  using Key = ChannelKey;
  using Spec = ChannelKey;
  using Object = AdvertChannel;
  // The instances on a channel, looked up per packet.
  using RunnersOn = std::function<std::vector<InstanceRunner*>(ChannelKey)>;

  ChannelKind(sd_event* loop, OpenAdvertSocket open, RunnersOn runners_on)
      : loop_(loop), open_(std::move(open)), runners_on_(std::move(runners_on)) {}

  // Instances hold their channel's sender: a channel is never rebuilt while
  // its link keeps instances, so the AH socket is a setting, opened in place.
  Key key(const Spec& spec) const { return {spec.ifindex, spec.family, false, {}}; }
  std::string identity(const Spec&) const { return {}; }
  std::string settings(const Spec& spec) const;
  std::unique_ptr<AdvertChannel> start(Spec& spec);
  // Opens the AH socket when an AH instance arrives, joins the groups of
  // new instances (both stay after).
  void update(AdvertChannel& channel, const Spec& spec);
  void stop(AdvertChannel&) {}

 private:
  sd_event* loop_;
  OpenAdvertSocket open_;
  RunnersOn runners_on_;
};

struct GuardedInterfaceSpec {
  int ifindex = 0;
  std::string name;  // for the log
};
struct GuardedInterface {
  int ifindex = 0;
  std::string name;
  ports::GuardMode mode = ports::GuardMode::None;
};

class GuardedInterfaceKind {
 public:
  using Key = int;  // ifindex
  using Spec = GuardedInterfaceSpec;
  using Object = GuardedInterface;

  explicit GuardedInterfaceKind(ports::Guard& guard) : guard_(guard) {}

  Key key(const Spec& spec) const { return spec.ifindex; }
  std::string identity(const Spec&) const { return {}; }
  // Never fails: an interface the guard cannot attach to is guarded by
  // nothing (mode None), said once.
  std::unique_ptr<GuardedInterface> start(Spec& spec);
  // A reload moved every instance off the interface: leave it as we found it.
  void stop(GuardedInterface& interface);

 private:
  ports::Guard& guard_;
};

// What `instances` stand on, each once, in their order.
std::vector<ChannelKey> channels_for(const std::vector<const InstanceSpec*>& instances);
std::vector<GuardedInterfaceSpec> guarded_interfaces_for(
    const std::vector<const InstanceSpec*>& instances);

}  // namespace keepvip::daemon
