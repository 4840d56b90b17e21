// The VRRP state machine as a pure function. How it maps to the RFCs:
//
//   RFC 3768 §6.4.1 / RFC 9568 §6.4.1 Initialize
//     Start: priority 255 (address owner) -> MASTER at once; otherwise
//     BACKUP with Master_Down_Timer = Master_Down_Interval. A tracked object
//     already down sends the instance to FAULT instead (keepalived's
//     "Entering FAULT STATE (init)").
//   §6.4.2 Backup
//     Master_Down_Timer fires -> MASTER.
//     Advert with priority 0 -> Master_Down_Timer = Skew_Time.
//     Advert with priority >= ours, or preemption off -> follow it: v3 learns
//     Master_Adver_Interval from it, Master_Down_Timer re-armed.
//     Advert with priority < ours and preemption on -> discarded, so the
//     timer runs out and we take over. preempt_delay (keepalived semantics):
//     the first lower-priority advert starts the delay; adverts are followed
//     until it has passed and discarded after.
//   §6.4.3 Master
//     Adver_Timer fires -> send an advert, re-arm.
//     Advert with priority 0 -> send an advert at once, re-arm Adver_Timer.
//     Advert with higher priority, or equal priority from a higher primary
//     address -> BACKUP (learn its interval, release the addresses).
//     Otherwise -> send an advert at once to make the lower-priority router
//     step down (RFC 9568 §6.4.3; keepalived does the same for v2 too) and
//     restart Adver_Timer from it, as keepalived does, unless
//     lower_prio_no_advert; then Reannounce (garp_lower_prio_repeat), as
//     keepalived refreshes the other router's ARP cache.
//     higher_prio_send_advert answers an
//     outranking advert with ours before stepping down, as keepalived does.
//   Shutdown (§6.4.2/§6.4.3) -> INIT; a MASTER sends priority 0 and releases.
//
// Beyond the RFCs, as keepalived does: Start{deaf_for} (vrrp_startup_delay)
// enters BACKUP, ignores adverts until the delay has passed and counts the
// Master_Down_Timer from its end; FAULT while a tracked object is down
// (a MASTER leaves with priority 0 first) and back through Initialize's rule
// when it recovers; PriorityChanged (tracked weights) only changes what we
// advertise and compare; Resign{hold} is the operator's handover;
// timer_expired_backup steps a MASTER down when its own advert timer fired
// so late that a backup must have taken over (keepalived's
// vrrp_thread_timeout_handler).
//
// Conventions: Transitioned is always the first action of a transition.
// Becoming MASTER is always Transitioned, AddVirtualAddresses, SendAdvert,
// Announce, ArmTimer{Advert}. Leaving MASTER is Transitioned, SendAdvert{0}
// (when outranked: none, or ours with higher_prio_send_advert; after a stall:
// none), RemoveVirtualAddresses, CancelTimer{Advert}, then
// ArmTimer{MasterDown} when the new state is BACKUP. keepalived also sends
// the priority-0 advert before it removes the addresses.
#include "vrrp/state_machine.h"

#include <algorithm>

#include "vrrp/timers.h"

namespace keepvip::vrrp {
namespace {

constexpr uint8_t kOwnerPriority = 255;
constexpr uint8_t kLeavingPriority = 0;

class Stepper {
 public:
  Stepper(const Params& params, const InstanceState& state, MonoTime now)
      : params_(params), now_(now), result_{state, {}} {}

  StepResult take() && { return std::move(result_); }

  void on(const Start& start) {
    if (state().state != State::Init) return;
    if (start.deaf_for > Usec{0}) state().deaf_until = now_ + start.deaf_for;
    if (state().faulted) {
      transition(State::Fault, "started while a tracked object is down");
    } else if (deaf()) {
      // keepalived puts even the address owner in BACKUP until the delay
      // has passed (its Master_Down_Timer then 1 us).
      enter_backup("started; startup delay of " + std::to_string(start.deaf_for.count() / 1000) +
                   " ms");
    } else if (state().priority == kOwnerPriority) {
      become_master("address owner (priority 255) takes over at start");
    } else {
      enter_backup("started");
    }
  }

  void on(const Shutdown&) {
    switch (state().state) {
      case State::Init:
        return;
      case State::Master:
        transition(State::Init, "shutting down");
        // The backup takes over after Skew_Time instead of Master_Down_Interval.
        emit(SendAdvert{kLeavingPriority});
        emit(RemoveVirtualAddresses{});
        emit(CancelTimer{TimerId::Advert});
        break;
      case State::Backup:
        transition(State::Init, "shutting down");
        emit(CancelTimer{TimerId::MasterDown});
        break;
      case State::Fault:
        transition(State::Init, "shutting down");
        break;
    }
    forget_master();
  }

  void on(const AdvertReceived& received) {
    // vrrp_startup_delay: keepalived reads and discards everything.
    if (deaf()) return;
    // Judged before the advert, whichever event wakes a stalled loop first:
    // keepalived checks right after epoll returns, before reading packets.
    if (state().state == State::Master && stalled_past_a_backup()) step_down_after_stall();
    if (state().state == State::Master) {
      master_receives(received.advert, received.source);
    } else if (state().state == State::Backup) {
      backup_receives(received.advert, received.source);
    }
  }

  void on(const TimerExpired& expired) {
    if (expired.timer == TimerId::Advert && state().state == State::Master) {
      if (stalled_past_a_backup()) {
        step_down_after_stall();
        return;
      }
      send_our_advert();
      emit(ArmTimer{TimerId::Advert, params_.advert_interval});
    }
    if (expired.timer == TimerId::MasterDown && state().state == State::Backup) {
      if (holding()) {
        emit(ArmTimer{TimerId::MasterDown, *state().hold_until - now_});
        return;
      }
      become_master(master_down_reason());
    }
  }

  void on(const PriorityChanged& changed) {
    // A MASTER advertises the new priority from its next advert on; a BACKUP
    // compares the master's next advert against it (and discards it when we
    // now outrank the master and may preempt). Neither needs an action now.
    state().priority = changed.priority;
    if (state().state == State::Master) state().master_priority = changed.priority;
  }

  void on(const FaultChanged& changed) {
    state().faulted = changed.faulted;
    if (changed.faulted) {
      const std::string reason =
          changed.reason.empty() ? "a tracked object is down" : changed.reason;
      if (state().state == State::Master) {
        transition(State::Fault, reason);
        emit(SendAdvert{kLeavingPriority});
        emit(RemoveVirtualAddresses{});
        emit(CancelTimer{TimerId::Advert});
        forget_master();
      } else if (state().state == State::Backup) {
        transition(State::Fault, reason);
        emit(CancelTimer{TimerId::MasterDown});
        forget_master();
      }
      return;
    }
    if (state().state != State::Fault) return;
    // Recovery goes through Initialize's rule (keepalived: vrrp_state_leave_fault).
    const std::string reason =
        changed.reason.empty() ? "all tracked objects are up" : changed.reason;
    if (state().priority == kOwnerPriority) {
      become_master(reason);
    } else {
      enter_backup(reason);
    }
  }

  void on(const Resign& resign) {
    state().hold_until = now_ + resign.hold;
    if (state().state != State::Master) return;
    forget_master();
    transition(State::Backup, "resigned on operator request");
    // Priority 0 lets the best backup take over after its Skew_Time.
    emit(SendAdvert{kLeavingPriority});
    emit(RemoveVirtualAddresses{});
    emit(CancelTimer{TimerId::Advert});
    emit(ArmTimer{TimerId::MasterDown, std::max(resign.hold, master_down())});
  }

 private:
  InstanceState& state() { return result_.state; }
  template <typename A>
  void emit(A action) {
    result_.actions.emplace_back(std::in_place_type<A>, std::move(action));
  }

  void transition(State to, std::string reason) {
    emit(Transitioned{state().state, to, std::move(reason)});
    state().state = to;
    state().last_transition = now_;
  }

  Usec master_down() {
    return master_down_interval(params_.version, state().priority, state().master_adver_interval,
                                params_.down_timer_adverts);
  }

  void send_our_advert() {
    emit(SendAdvert{state().priority});
    state().last_advert_sent = now_;
  }

  // keepalived: 3 of our intervals plus the Skew_Time of the highest other
  // priority since our last advert (vrrp_thread_timeout_handler).
  bool stalled_past_a_backup() {
    if (params_.highest_other_priority == 0 || !state().last_advert_sent) return false;
    const Usec takeover =
        3 * params_.advert_interval +
        skew_time(params_.version, params_.highest_other_priority, params_.advert_interval);
    return now_ - *state().last_advert_sent >= takeover;
  }

  // No priority-0 advert: the backup that took over is master already.
  void step_down_after_stall() {
    const auto late =
        std::chrono::duration_cast<std::chrono::milliseconds>(now_ - *state().last_advert_sent);
    forget_master();
    transition(State::Backup, "no advert sent for " + std::to_string(late.count()) +
                                  " ms: a backup of priority " +
                                  std::to_string(params_.highest_other_priority) +
                                  " has taken over (timer_expired_backup)");
    emit(RemoveVirtualAddresses{});
    emit(CancelTimer{TimerId::Advert});
    emit(ArmTimer{TimerId::MasterDown, master_down()});
  }

  // keepalived cancels nopreempt for the address owner and for "state
  // MASTER", and preempt_delay for "state MASTER" (vrrp_complete_instance).
  bool preempts() {
    return params_.preempt || params_.start_as_master || state().priority == kOwnerPriority;
  }
  Usec preempt_delay() {
    return preempts() && !params_.start_as_master ? params_.preempt_delay : Usec{0};
  }
  bool holding() { return state().hold_until && now_ < *state().hold_until; }
  bool deaf() {
    if (state().deaf_until && now_ >= *state().deaf_until) state().deaf_until.reset();
    return state().deaf_until.has_value();
  }

  void forget_master() {
    state().master_address.reset();
    state().master_priority = 0;
    state().master_adver_interval = params_.advert_interval;
    state().preempt_deadline.reset();
  }

  void become_master(std::string reason) {
    transition(State::Master, std::move(reason));
    state().master_address = params_.primary_address;
    state().master_priority = state().priority;
    state().master_adver_interval = params_.advert_interval;
    state().preempt_deadline.reset();
    emit(AddVirtualAddresses{});
    send_our_advert();
    emit(Announce{});
    emit(ArmTimer{TimerId::Advert, params_.advert_interval});
  }

  // From INIT or FAULT. During the startup delay the Master_Down_Timer
  // counts from its end (the address owner's from 1 us before it).
  void enter_backup(std::string reason) {
    forget_master();
    transition(State::Backup, std::move(reason));
    Usec wait = master_down();
    if (deaf()) {
      const Usec left = *state().deaf_until - now_;
      wait = state().priority == kOwnerPriority ? left + Usec{1} : left + wait;
    }
    emit(ArmTimer{TimerId::MasterDown, wait});
  }

  std::string master_down_reason() {
    if (!state().master_address) return "no master heard within the master down interval";
    const std::string master = state().master_address->to_string();
    if (state().master_priority == kLeavingPriority) return "master " + master + " resigned";
    return "no advert from master " + master + " within the master down interval";
  }

  void follow(const proto::Advert& advert, const IpAddress& source) {
    state().master_address = source;
    state().master_priority = advert.priority;
    // RFC 9568 §6.4.2: a v3 backup times the master by the master's own
    // interval; v2 intervals were checked equal to ours on receipt.
    state().master_adver_interval =
        params_.version == 3 ? from_centiseconds(advert.interval_cs) : params_.advert_interval;
  }

  void backup_receives(const proto::Advert& advert, const IpAddress& source) {
    if (advert.priority == kLeavingPriority) {
      if (state().master_address == source) state().master_priority = kLeavingPriority;
      emit(ArmTimer{TimerId::MasterDown,
                    skew_time(params_.version, state().priority, state().master_adver_interval)});
      return;
    }
    const bool outranked = advert.priority < state().priority;
    const Usec delay = preempt_delay();
    const bool delay_over =
        delay == Usec{0} || (state().preempt_deadline && now_ >= *state().preempt_deadline);
    if (outranked && preempts() && delay_over && !holding()) {
      // Discarded: the Master_Down_Timer keeps running and we take over when
      // it fires. Who sent it is still worth showing.
      state().master_address = source;
      state().master_priority = advert.priority;
      return;
    }
    follow(advert, source);
    if (delay > Usec{0}) {
      if (!outranked) {
        state().preempt_deadline.reset();
      } else if (!state().preempt_deadline) {
        state().preempt_deadline = now_ + delay;
      }
    }
    emit(ArmTimer{TimerId::MasterDown, master_down()});
  }

  void master_receives(const proto::Advert& advert, const IpAddress& source) {
    if (advert.priority == kLeavingPriority) {
      // Another master is leaving: make sure everyone hears the real one.
      send_our_advert();
      emit(ArmTimer{TimerId::Advert, params_.advert_interval});
      return;
    }
    // Our own address with our priority: keepalived only warns about it.
    if (source == params_.primary_address) return;
    if (!outranks(advert.priority, source, state().priority, params_.primary_address)) {
      // keepalived restarts its advert timer from the answer ("If we have
      // sent an advert, reset the timer", vrrp_dispatcher_read), so the
      // answers replace the periodic adverts while the other master lasts.
      if (!params_.lower_prio_no_advert) {
        send_our_advert();
        emit(ArmTimer{TimerId::Advert, params_.advert_interval});
      }
      // "We receive a lower prio adv we just refresh remote ARP cache".
      if (params_.reannounce_to_lower_priority) emit(Reannounce{});
      emit(HeardLowerPriority{});
      return;
    }
    const bool higher = advert.priority > state().priority;
    const std::string reason =
        higher ? "advert from " + source.to_string() + " with higher priority " +
                     std::to_string(advert.priority) + " (ours " +
                     std::to_string(state().priority) + ")"
               : "advert from " + source.to_string() + " with equal priority " +
                     std::to_string(advert.priority) + " and a higher address";
    const uint8_t our_priority = state().priority;
    follow(advert, source);
    transition(State::Backup, reason);
    // Sent while the addresses are still ours, as keepalived sends it.
    if (params_.higher_prio_send_advert) emit(SendAdvert{our_priority});
    emit(RemoveVirtualAddresses{});
    emit(CancelTimer{TimerId::Advert});
    emit(ArmTimer{TimerId::MasterDown, master_down()});
  }

  const Params& params_;
  MonoTime now_;
  StepResult result_;
};

}  // namespace

std::string_view to_string(State s) {
  switch (s) {
    case State::Init:
      return "INIT";
    case State::Backup:
      return "BACKUP";
    case State::Master:
      return "MASTER";
    case State::Fault:
      return "FAULT";
  }
  return "UNKNOWN";
}

bool outranks(uint8_t priority, const IpAddress& source, uint8_t our_priority,
              const IpAddress& our_address) {
  return priority > our_priority || (priority == our_priority && source > our_address);
}

StepResult step(const Params& params, const InstanceState& state, const Event& event,
                MonoTime now) {
  Stepper stepper(params, state, now);
  std::visit([&](const auto& e) { stepper.on(e); }, event);
  return std::move(stepper).take();
}

}  // namespace keepvip::vrrp
