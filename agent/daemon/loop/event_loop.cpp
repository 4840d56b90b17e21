#include "daemon/loop/event_loop.h"

#include <sys/epoll.h>

#include <cstdint>

namespace keepvip::daemon {

Result<EventPtr> new_event_loop() {
  sd_event* loop = nullptr;
  int r = sd_event_new(&loop);
  if (r < 0) return os_error(-r, "create the event loop");
  return EventPtr(loop);
}

Result<std::unique_ptr<Timer>> Timer::create(sd_event* loop, std::function<void()> fire,
                                             std::string description) {
  std::unique_ptr<Timer> timer(new Timer());
  timer->fire_ = std::move(fire);
  sd_event_source* source = nullptr;
  int r = sd_event_add_time(loop, &source, CLOCK_MONOTONIC, UINT64_MAX, 1, &Timer::on_fire,
                            timer.get());
  if (r < 0) return os_error(-r, "create timer " + description);
  timer->source_.reset(source);
  sd_event_source_set_enabled(source, SD_EVENT_OFF);
  sd_event_source_set_description(source, description.c_str());
  return timer;
}

void Timer::arm(Usec delay) {
  uint64_t usec = delay.count() > 0 ? static_cast<uint64_t>(delay.count()) : 0;
  // Both calls only fail on invalid arguments, which a live source is not.
  sd_event_source_set_time_relative(source_.get(), usec);
  sd_event_source_set_enabled(source_.get(), SD_EVENT_ONESHOT);
}

void Timer::cancel() {
  sd_event_source_set_enabled(source_.get(), SD_EVENT_OFF);
}

bool Timer::armed() const {
  int enabled = SD_EVENT_OFF;
  sd_event_source_get_enabled(source_.get(), &enabled);
  return enabled != SD_EVENT_OFF;
}

int Timer::on_fire(sd_event_source*, uint64_t, void* userdata) {
  static_cast<Timer*>(userdata)->fire_();
  return 0;
}

Result<std::unique_ptr<IoWatch>> IoWatch::create(sd_event* loop, int fd,
                                                 std::function<void()> ready,
                                                 std::string description) {
  std::unique_ptr<IoWatch> watch(new IoWatch());
  watch->ready_ = std::move(ready);
  sd_event_source* source = nullptr;
  int r = sd_event_add_io(loop, &source, fd, EPOLLIN, &IoWatch::on_ready, watch.get());
  if (r < 0) return os_error(-r, "watch " + description);
  watch->source_.reset(source);
  sd_event_source_set_description(source, description.c_str());
  return watch;
}

int IoWatch::on_ready(sd_event_source*, int, uint32_t, void* userdata) {
  static_cast<IoWatch*>(userdata)->ready_();
  return 0;
}

Result<std::unique_ptr<SignalWatch>> SignalWatch::create(sd_event* loop, int signo,
                                                         std::function<void()> received) {
  std::unique_ptr<SignalWatch> watch(new SignalWatch());
  watch->received_ = std::move(received);
  sd_event_source* source = nullptr;
  int r = sd_event_add_signal(loop, &source, signo, &SignalWatch::on_signal, watch.get());
  if (r < 0) return os_error(-r, "watch signal " + std::to_string(signo));
  watch->source_.reset(source);
  return watch;
}

int SignalWatch::on_signal(sd_event_source*, const struct signalfd_siginfo*, void* userdata) {
  static_cast<SignalWatch*>(userdata)->received_();
  return 0;
}

}  // namespace keepvip::daemon
