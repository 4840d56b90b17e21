// interface_up_down_delays as keepalived 2.2.8 applies them
// (update_interface_flags in keepalived_netlink.c), as a pure decision on
// one interface's state: a link that goes down (up) is acted on only once it
// has stayed so for the down (up) delay; a change back within the delay
// cancels it, and nothing happens. A link never seen up yet changes at once,
// and so does every state read from the kernel rather than heard as an
// event (start-up, a lost-event resync).
#pragma once

#include <optional>

#include "common/time.h"

namespace keepvip::daemon {

struct LinkDebounce {
  bool up = false;              // the state the instances were last told
  bool seen_up = false;         // keepalived's seen_up: no delay before the first up
  std::optional<bool> pending;  // a change waiting for its delay
};

struct LinkDelaySettings {
  Usec down{0};
  Usec up{0};
};

struct LinkDecision {
  enum class Kind {
    Nothing,        // same state as told (or as pending): nothing to do
    Deliver,        // tell the instances `up` now (any pending change cancelled)
    Delay,          // arm the interface's timer for `delay`; deliver `up` when it fires
    CancelPending,  // the link went back within the delay: cancel the timer, tell nobody
  };
  Kind kind = Kind::Nothing;
  bool up = false;
  Usec delay{0};
};

// keepalived's check_debounce_timers: the delays of an instance's interface
// stay below (down_timer_adverts - 1) advert intervals, cut to that minus
// 1/256 of an interval; true when one was cut.
bool fit_delays_below(LinkDelaySettings& delays, unsigned down_timer_adverts, Usec advert_interval);

// A link event saying the link is now `up`.
LinkDecision on_link_event(LinkDebounce& link, bool up, const LinkDelaySettings& delays);
// The state read from the kernel: at once, whatever is pending.
LinkDecision on_link_read(LinkDebounce& link, bool up);
// The interface's timer fired: the pending change is delivered.
LinkDecision on_delay_expired(LinkDebounce& link);

}  // namespace keepvip::daemon
