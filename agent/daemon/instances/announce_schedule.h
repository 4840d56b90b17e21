// When a MASTER announces its VIPs, keepalived-style. A round is one GARP /
// unsolicited NA per VIP; the rounds of a burst go `gap` apart
// (vrrp_garp_interval / vrrp_gna_interval; 0 = back to back):
//   - on becoming MASTER, `repeat` rounds, and `repeat` again
//     `second_burst_delay` later (garp_master_delay; 0 = none), for switches
//     that missed the first while the link was settling;
//   - `refresh_repeat` rounds with the first periodic advert after each
//     `refresh` (garp_master_refresh / _refresh_repeat; 0 = never), where
//     keepalived's vrrp_state_master_tx sends them;
//   - on hearing a lower-priority advert, `lower_prio_repeat` rounds at once
//     and again `lower_prio_delay` later, for every such advert
//     (garp_lower_prio_repeat / _delay; keepalived's vrrp_state_master_rx).
// stop() cancels everything pending when the instance leaves MASTER.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "common/result.h"
#include "common/time.h"
#include "daemon/loop/event_loop.h"

namespace keepvip::daemon {

struct AnnounceSettings {
  unsigned repeat = 5;
  Usec gap{0};
  Usec second_burst_delay{5'000'000};
  Usec refresh{0};
  unsigned refresh_repeat = 1;
  unsigned lower_prio_repeat = 5;
  Usec lower_prio_delay{5'000'000};
};

class AnnounceSchedule {
 public:
  using SendRound = std::function<void()>;
  static Result<std::unique_ptr<AnnounceSchedule>> create(sd_event* loop, SendRound send_round,
                                                          const std::string& name);
  AnnounceSchedule(const AnnounceSchedule&) = delete;
  AnnounceSchedule& operator=(const AnnounceSchedule&) = delete;

  void set_settings(const AnnounceSettings& settings) { settings_ = settings; }
  void start();  // just became MASTER
  // A MASTER sent its periodic advert at `now`: a refresh may be due.
  void periodic_advert(MonoTime now);
  // A MASTER heard a lower-priority advert at `now`.
  void lower_priority_heard(MonoTime now);
  void stop();

 private:
  AnnounceSchedule() = default;
  void add_rounds(unsigned rounds);
  void continue_burst();
  void arm_lower_prio_timer(MonoTime now);

  AnnounceSettings settings_;
  SendRound send_round_;
  unsigned rounds_left_ = 0;
  std::unique_ptr<Timer> gap_timer_;
  std::unique_ptr<Timer> second_burst_timer_;
  std::optional<MonoTime> refresh_due_;
  // keepalived starts one timer per lower-priority advert; with one delay
  // they fire in the order they were started.
  std::deque<MonoTime> lower_prio_due_;
  std::unique_ptr<Timer> lower_prio_timer_;
};

}  // namespace keepvip::daemon
