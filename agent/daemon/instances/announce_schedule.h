// When a new MASTER announces its VIPs, keepalived-style:
//   - a burst of `repeat` rounds (one GARP / unsolicited NA per VIP each),
//     `gap` apart (vrrp_garp_interval / vrrp_gna_interval; 0 = back to back);
//   - a second burst `second_burst_delay` later (garp_master_delay; 0 = none),
//     for switches that missed the first while the link was settling;
//   - one round every `refresh` while MASTER (garp_master_refresh; 0 = never).
// stop() cancels everything pending when the instance leaves MASTER.
#pragma once

#include <functional>
#include <memory>

#include "common/result.h"
#include "daemon/loop/event_loop.h"

namespace keepvip::daemon {

struct AnnounceSettings {
  int repeat = 5;
  Usec gap{0};
  Usec second_burst_delay{5'000'000};
  Usec refresh{0};
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
  void stop();

 private:
  AnnounceSchedule() = default;
  void burst();
  void continue_burst();

  AnnounceSettings settings_;
  SendRound send_round_;
  int rounds_left_ = 0;
  std::unique_ptr<Timer> gap_timer_;
  std::unique_ptr<Timer> second_burst_timer_;
  std::unique_ptr<Timer> refresh_timer_;
};

}  // namespace keepvip::daemon
