#include "daemon/instances/announce_schedule.h"

#include <algorithm>

namespace keepvip::daemon {

Result<std::unique_ptr<AnnounceSchedule>> AnnounceSchedule::create(sd_event* loop,
                                                                   SendRound send_round,
                                                                   const std::string& name) {
  std::unique_ptr<AnnounceSchedule> s(new AnnounceSchedule());
  s->send_round_ = std::move(send_round);
  AnnounceSchedule* self = s.get();
  auto gap = Timer::create(
      loop, [self] { self->continue_burst(); }, name + " announce gap");
  if (!gap) return unexpected(gap.error());
  auto second = Timer::create(
      loop, [self] { self->burst(); }, name + " second announce burst");
  if (!second) return unexpected(second.error());
  auto refresh = Timer::create(
      loop,
      [self] {
        self->send_round_();
        self->refresh_timer_->arm(self->settings_.refresh);
      },
      name + " announce refresh");
  if (!refresh) return unexpected(refresh.error());
  s->gap_timer_ = std::move(*gap);
  s->second_burst_timer_ = std::move(*second);
  s->refresh_timer_ = std::move(*refresh);
  return s;
}

void AnnounceSchedule::start() {
  burst();
  if (settings_.second_burst_delay.count() > 0)
    second_burst_timer_->arm(settings_.second_burst_delay);
  if (settings_.refresh.count() > 0) refresh_timer_->arm(settings_.refresh);
}

void AnnounceSchedule::stop() {
  rounds_left_ = 0;
  gap_timer_->cancel();
  second_burst_timer_->cancel();
  refresh_timer_->cancel();
}

void AnnounceSchedule::burst() {
  rounds_left_ = std::max(settings_.repeat, 1);
  continue_burst();
}

void AnnounceSchedule::continue_burst() {
  if (settings_.gap.count() <= 0) {
    for (; rounds_left_ > 0; --rounds_left_) send_round_();
    return;
  }
  if (rounds_left_ <= 0) return;
  send_round_();
  if (--rounds_left_ > 0) gap_timer_->arm(settings_.gap);
}

}  // namespace keepvip::daemon
