#include "daemon/instances/announce_schedule.h"

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
      loop, [self] { self->add_rounds(self->settings_.repeat); }, name + " second announce burst");
  if (!second) return unexpected(second.error());
  auto lower = Timer::create(
      loop,
      [self] {
        if (!self->lower_prio_due_.empty()) self->lower_prio_due_.pop_front();
        self->add_rounds(self->settings_.lower_prio_repeat);
        self->arm_lower_prio_timer(monotonic_now());
      },
      name + " lower priority announce");
  if (!lower) return unexpected(lower.error());
  s->gap_timer_ = std::move(*gap);
  s->second_burst_timer_ = std::move(*second);
  s->lower_prio_timer_ = std::move(*lower);
  return s;
}

void AnnounceSchedule::start() {
  add_rounds(settings_.repeat);
  if (settings_.second_burst_delay.count() > 0)
    second_burst_timer_->arm(settings_.second_burst_delay);
  refresh_due_.reset();
  if (settings_.refresh.count() > 0) refresh_due_ = monotonic_now() + settings_.refresh;
}

void AnnounceSchedule::periodic_advert(MonoTime now) {
  if (!refresh_due_ || now <= *refresh_due_) return;
  add_rounds(settings_.refresh_repeat);
  refresh_due_ = now + settings_.refresh;
}

void AnnounceSchedule::lower_priority_heard(MonoTime now) {
  if (settings_.lower_prio_repeat == 0) return;
  add_rounds(settings_.lower_prio_repeat);
  if (settings_.lower_prio_delay.count() <= 0) return;
  lower_prio_due_.push_back(now + settings_.lower_prio_delay);
  if (!lower_prio_timer_->armed()) arm_lower_prio_timer(now);
}

void AnnounceSchedule::arm_lower_prio_timer(MonoTime now) {
  if (lower_prio_due_.empty()) return;
  const MonoTime due = lower_prio_due_.front();
  lower_prio_timer_->arm(due > now ? due - now : Usec{0});
}

void AnnounceSchedule::stop() {
  rounds_left_ = 0;
  gap_timer_->cancel();
  second_burst_timer_->cancel();
  refresh_due_.reset();
  lower_prio_due_.clear();
  lower_prio_timer_->cancel();
}

void AnnounceSchedule::add_rounds(unsigned rounds) {
  const bool idle = rounds_left_ == 0;
  rounds_left_ += rounds;
  if (idle) continue_burst();
}

void AnnounceSchedule::continue_burst() {
  if (settings_.gap.count() <= 0) {
    for (; rounds_left_ > 0; --rounds_left_) send_round_();
    return;
  }
  if (rounds_left_ == 0) return;
  send_round_();
  if (--rounds_left_ > 0) gap_timer_->arm(settings_.gap);
}

}  // namespace keepvip::daemon
