#include "daemon/tracking/link_delays.h"

#include "common/log.h"
#include "config/values.h"

namespace keepvip::daemon {
namespace {

std::string seconds(Usec delay) {
  return config::detail::format_seconds(delay);
}

}  // namespace

void LinkDelays::configure(const std::map<std::string, config::InterfaceDelays>& delays) {
  delays_.clear();
  for (const auto& [name, d] : delays) delays_[name] = {d.down, d.up};
}

void LinkDelays::master_interval_lowered(const std::string& name, unsigned down_timer_adverts,
                                         Usec interval) {
  auto it = delays_.find(name);
  if (it == delays_.end() || !fit_delays_below(it->second, down_timer_adverts, interval)) return;
  log_info("lower advert_int reducing interface " + name + " debounce timer(s) to down " +
               seconds(it->second.down) + ", up " + seconds(it->second.up),
           {{"INTERFACE", name}});
}

LinkDelays::Link& LinkDelays::link(const std::string& name) {
  return links_[name];
}

void LinkDelays::event(const std::string& name, bool up) {
  LinkDelaySettings settings;
  if (auto it = delays_.find(name); it != delays_.end()) settings = it->second;
  Link& l = link(name);
  apply(name, l, on_link_event(l.state, up, settings));
}

void LinkDelays::read(const std::string& name, bool up) {
  Link& l = link(name);
  apply(name, l, on_link_read(l.state, up));
}

std::optional<bool> LinkDelays::told(const std::string& name) const {
  auto it = links_.find(name);
  if (it == links_.end()) return std::nullopt;
  return it->second.state.up;
}

bool LinkDelays::delaying(const std::string& name) const {
  auto it = links_.find(name);
  return it != links_.end() && it->second.state.pending.has_value();
}

void LinkDelays::apply(const std::string& name, Link& l, const LinkDecision& decision) {
  const std::string state = decision.up ? "up" : "down";
  switch (decision.kind) {
    case LinkDecision::Kind::Nothing:
      return;
    case LinkDecision::Kind::Deliver:
      if (l.timer) l.timer->cancel();
      deliver_(name, decision.up);
      return;
    case LinkDecision::Kind::CancelPending:
      if (l.timer) l.timer->cancel();
      log_info(name + ": link " + state + " again within its delay: delayed change cancelled",
               {{"INTERFACE", name}});
      return;
    case LinkDecision::Kind::Delay:
      break;
  }
  if (!l.timer) {
    auto timer = Timer::create(
        loop_,
        [this, name] {
          Link& fired = link(name);
          apply(name, fired, on_delay_expired(fired.state));
        },
        name + " up/down delay");
    if (!timer) {
      // Without a timer the change cannot wait: act on it now.
      log_warning(name + ": " + timer.error().describe(), {{"INTERFACE", name}});
      apply(name, l, on_delay_expired(l.state));
      return;
    }
    l.timer = std::move(*timer);
  }
  l.timer->arm(decision.delay);
  log_info(name + ": link " + state + "; acted on after " + seconds(decision.delay) +
               " (interface_up_down_delays)",
           {{"INTERFACE", name}});
}

}  // namespace keepvip::daemon
