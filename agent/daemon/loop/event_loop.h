// Small one-job wrappers around the sd-event sources the daemon uses (the
// owner types themselves are in common/sd_owners.h). Every wrapper is pinned
// in memory (not movable) because sd-event holds its address as userdata;
// hold them by unique_ptr.
#pragma once

#include <sys/types.h>
#include <sys/wait.h>
#include <systemd/sd-event.h>

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/sd_owners.h"
#include "common/time.h"

namespace keepvip::daemon {

Result<EventPtr> new_event_loop();

// A one-shot CLOCK_MONOTONIC timer created once and re-armed, never
// recreated (timesyncd's pattern). Microsecond accuracy: VRRP timers are
// protocol timers, coalescing them would skew elections.
class Timer {
 public:
  static Result<std::unique_ptr<Timer>> create(sd_event* loop, std::function<void()> fire,
                                               std::string description);
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void arm(Usec delay);  // from now; replaces any pending expiry
  void cancel();
  bool armed() const;

 private:
  Timer() = default;
  static int on_fire(sd_event_source*, uint64_t, void* userdata);
  EventSourcePtr source_;
  std::function<void()> fire_;
};

// Calls back when `fd` is readable. The fd stays owned by the caller and must
// outlive this object.
class IoWatch {
 public:
  static Result<std::unique_ptr<IoWatch>> create(sd_event* loop, int fd,
                                                 std::function<void()> ready,
                                                 std::string description);
  IoWatch(const IoWatch&) = delete;
  IoWatch& operator=(const IoWatch&) = delete;

 private:
  IoWatch() = default;
  static int on_ready(sd_event_source*, int, uint32_t, void* userdata);
  EventSourcePtr source_;
  std::function<void()> ready_;
};

// Calls back when a signal arrives (the signal must be blocked already).
class SignalWatch {
 public:
  static Result<std::unique_ptr<SignalWatch>> create(sd_event* loop, int signo,
                                                     std::function<void()> received);
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  SignalWatch() = default;
  static int on_signal(sd_event_source*, const struct signalfd_siginfo*, void* userdata);
  EventSourcePtr source_;
  std::function<void()> received_;
};

}  // namespace keepvip::daemon
