#include "daemon/tracking/link_debounce.h"

namespace keepvip::daemon {
namespace {

LinkDecision deliver(LinkDebounce& link, bool up) {
  link.pending.reset();
  link.up = up;
  if (up) link.seen_up = true;
  return {LinkDecision::Kind::Deliver, up, Usec{0}};
}

}  // namespace

bool fit_delays_below(LinkDelaySettings& delays, unsigned down_timer_adverts,
                      Usec advert_interval) {
  if (down_timer_adverts <= 1) return false;
  const Usec limit = (down_timer_adverts - 1) * advert_interval;
  const Usec fitted = limit - advert_interval / 256;
  bool cut = false;
  for (Usec* delay : {&delays.down, &delays.up}) {
    if (*delay < limit) continue;
    *delay = fitted;
    cut = true;
  }
  return cut;
}

LinkDecision on_link_event(LinkDebounce& link, bool up, const LinkDelaySettings& delays) {
  if (link.pending) {
    // keepalived keeps the timer of a change that is repeated.
    if (*link.pending == up) return {};
    link.pending.reset();
    // Back to what the instances were told before the delay ran out.
    if (link.up == up) return {LinkDecision::Kind::CancelPending, up, Usec{0}};
  }
  if (link.up == up) return {};
  const Usec delay = up ? delays.up : delays.down;
  if (link.seen_up && delay > Usec{0}) {
    link.pending = up;
    return {LinkDecision::Kind::Delay, up, delay};
  }
  return deliver(link, up);
}

LinkDecision on_link_read(LinkDebounce& link, bool up) {
  const bool changed = link.up != up || link.pending.has_value();
  LinkDecision d = deliver(link, up);
  if (!changed) d.kind = LinkDecision::Kind::Nothing;
  return d;
}

LinkDecision on_delay_expired(LinkDebounce& link) {
  if (!link.pending) return {};
  return deliver(link, *link.pending);
}

}  // namespace keepvip::daemon
