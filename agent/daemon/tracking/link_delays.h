// The links the instances follow, through interface_up_down_delays: link
// events go through link_debounce.h, each interface with its own one-shot
// timer, and what comes out is handed to `deliver` (the instances'
// set_tracked). Interfaces without delays pass straight through.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/loop/event_loop.h"
#include "daemon/tracking/link_debounce.h"

namespace keepvip::daemon {

class LinkDelays {
 public:
  using Deliver = std::function<void(const std::string& name, bool up)>;
  LinkDelays(sd_event* loop, Deliver deliver) : loop_(loop), deliver_(std::move(deliver)) {}

  // The delays of the running configuration; a change already waiting
  // keeps the delay it started with.
  void configure(const std::map<std::string, config::InterfaceDelays>& delays);
  // A VRRPv3 instance on `name` follows a master advertising `interval`,
  // shorter than it knew: its delays are cut to stay below the takeover
  // time, until the next reload (keepalived's update_master_adver_int).
  void master_interval_lowered(const std::string& name, unsigned down_timer_adverts, Usec interval);
  // A link event from the kernel.
  void event(const std::string& name, bool up);
  // The state read from the kernel (start-up): at once.
  void read(const std::string& name, bool up);
  // What the instances were last told about `name`, if anything.
  std::optional<bool> told(const std::string& name) const;
  // A change of `name` is waiting for its delay (keepalived's dump:
  // "Delayed state change running").
  bool delaying(const std::string& name) const;

 private:
  struct Link {
    LinkDebounce state;
    std::unique_ptr<Timer> timer;
  };
  Link& link(const std::string& name);
  void apply(const std::string& name, Link& link, const LinkDecision& decision);

  sd_event* loop_;
  Deliver deliver_;
  std::map<std::string, LinkDelaySettings> delays_;
  std::map<std::string, Link> links_;
};

}  // namespace keepvip::daemon
