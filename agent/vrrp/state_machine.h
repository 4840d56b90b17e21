// The VRRP state machine of one instance, as a pure function:
//   step(params, state, event, now) -> new state + actions
// It never touches a socket, a timer or a clock; the executor
// (daemon/instance_runner.h) performs the actions. That is what lets the
// transition tables in tests/unit/vrrp/state_machine_test.cpp cover it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/ip_address.h"
#include "common/time.h"
#include "proto/advert.h"

namespace keepvip::vrrp {

enum class State : uint8_t { Init, Backup, Master, Fault };
// "INIT", "BACKUP", "MASTER", "FAULT": the one name of a state, in logs,
// STATUS, dumps and the D-Bus State property.
std::string_view to_string(State s);

// What the configuration fixes for the life of an instance (a reload that
// changes any of these rebuilds the instance).
struct Params {
  uint8_t vrid = 0;
  uint8_t version = 2;
  Family family = Family::V4;
  Usec advert_interval{1'000'000};
  bool preempt = true;
  Usec preempt_delay{0};
  // "state MASTER". keepalived 2.2.7 claims at once only when it is also the
  // address owner (priority 255); any other "state MASTER" instance starts in
  // BACKUP with the full Master_Down_Interval, like "state BACKUP"
  // (vrrp_init_state in vrrp_scheduler.c), and the flag only cancels nopreempt
  // and preempt_delay (vrrp_complete_instance in vrrp.c). step() does the same.
  bool start_as_master = false;
  IpAddress primary_address;  // our source address; breaks equal-priority ties
  // keepalived's answers as MASTER (vrrp_state_master_rx): an advert of
  // lower priority is answered at once unless lower_prio_no_advert; one that
  // outranks us is answered before stepping down with higher_prio_send_advert.
  bool lower_prio_no_advert = false;
  bool higher_prio_send_advert = false;
  unsigned down_timer_adverts = 3;  // Master_Down_Interval's multiple of the interval
  // timer_expired_backup: when the advert timer fires so late that a backup
  // of this priority has taken over (3 intervals + its Skew_Time since our
  // last advert), step down to BACKUP without a priority-0 advert. 0 = off.
  uint8_t highest_other_priority = 0;
  // garp_lower_prio_repeat > 0: a MASTER that hears a lower-priority advert
  // announces its VIPs again (Reannounce), as keepalived's
  // vrrp_state_master_rx does.
  bool reannounce_to_lower_priority = false;
};

// One one-shot timer per id: ArmTimer replaces a pending one. A timer that
// expires in a state that does not use it is ignored, so a stale expiry is
// harmless. PreemptDelay is never armed by step(): like keepalived, the
// preempt delay is a deadline (InstanceState::preempt_deadline) checked
// against the adverts' arrival time.
enum class TimerId : uint8_t { Advert, MasterDown, PreemptDelay };

struct InstanceState {
  State state = State::Init;
  // Effective priority: configured priority adjusted by tracked weights.
  // 255 only for the address owner, 0 never (clamped to 1..254 otherwise).
  uint8_t priority = 100;
  // RFC 9568: a v3 backup learns the master's interval from its adverts.
  Usec master_adver_interval{1'000'000};
  std::optional<IpAddress> master_address;  // the current master, if known (ours when MASTER)
  uint8_t master_priority = 0;              // priority in the master's last advert
  bool faulted = false;                     // a tracked object holds the instance in FAULT
  std::optional<MonoTime> last_transition;
  // BACKUP following a lower-priority master with preempt_delay set: from
  // this time on its adverts are discarded, so the Master_Down_Timer runs out
  // and we take over (keepalived's preempt_time).
  std::optional<MonoTime> preempt_deadline;
  // Resign{hold}: until this time the instance neither claims nor preempts.
  std::optional<MonoTime> hold_until;
  // When we last sent an advert as MASTER (for timer_expired_backup).
  std::optional<MonoTime> last_advert_sent;
  // vrrp_startup_delay: until this time every advert is ignored, and a
  // BACKUP's Master_Down_Timer counts from it (keepalived's
  // vrrp_delayed_start_time).
  std::optional<MonoTime> deaf_until;
};

// ---- events -----------------------------------------------------------------

// Leave INIT. With `deaf_for` (what is left of vrrp_startup_delay) the
// instance enters BACKUP (the address owner too), ignores adverts until it
// has passed and takes over a Master_Down_Interval after it at the earliest.
struct Start {
  Usec deaf_for{0};
};
struct Shutdown {};  // agent stopping: a MASTER sends priority 0 and releases
struct AdvertReceived {
  proto::Advert advert;  // passed the codec and the instance's receive checks
  IpAddress source;
};
struct TimerExpired {
  TimerId timer;
};
struct PriorityChanged {
  uint8_t priority;  // new effective priority
};
struct FaultChanged {
  bool faulted;        // true: some tracked object is down; false: all are up again
  std::string reason;  // "interface eth0 down", "script chk_httpd failed", ...
};
// Operator request (D-Bus): a MASTER steps down to BACKUP and stays there
// without claiming for `hold` (it still answers as a normal backup after).
struct Resign {
  Usec hold{0};
};

using Event = std::variant<Start, Shutdown, AdvertReceived, TimerExpired, PriorityChanged,
                           FaultChanged, Resign>;

// ---- actions ----------------------------------------------------------------

struct SendAdvert {
  uint8_t priority;  // 0 when resigning / shutting down
};
struct AddVirtualAddresses {};
struct RemoveVirtualAddresses {};
struct Announce {};  // gratuitous ARP / unsolicited NA burst for every VIP
// A MASTER heard a lower-priority advert: garp_lower_prio_repeat rounds now,
// and as many again garp_lower_prio_delay later.
struct Reannounce {};
struct ArmTimer {
  TimerId timer;
  Usec delay;  // relative to `now`
};
struct CancelTimer {
  TimerId timer;
};
// As MASTER, an advert that does not outrank us (lower priority, or equal
// from a lower address): keepalived's MASTER_RX_LOWER_PRI notification.
struct HeardLowerPriority {};
struct Transitioned {
  State from;
  State to;
  std::string reason;  // one human sentence: "master down timer expired", ...
};

using Action = std::variant<SendAdvert, AddVirtualAddresses, RemoveVirtualAddresses, Announce,
                            Reannounce, ArmTimer, CancelTimer, HeardLowerPriority, Transitioned>;

struct StepResult {
  InstanceState state;
  std::vector<Action> actions;  // in the order they must be performed
};

StepResult step(const Params& params, const InstanceState& state, const Event& event, MonoTime now);

// Who wins between two routers of one virtual router (RFC 3768 §6.4.3,
// RFC 9568 §6.4.3): an advert of `priority` from `source` outranks us when
// its priority is higher than ours, or equal and its address the higher.
bool outranks(uint8_t priority, const IpAddress& source, uint8_t our_priority,
              const IpAddress& our_address);

}  // namespace keepvip::vrrp
