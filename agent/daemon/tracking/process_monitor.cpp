#include "daemon/tracking/process_monitor.h"

#include <algorithm>

#include "common/log.h"
#include "daemon/tracking/process_match.h"

namespace keepvip::daemon {

// What lost events wait for before the scan: a storm has time to pass, as
// in keepalived (one second after ENOBUFS).
constexpr Usec kRescanAfterLoss{1'000'000};

ProcessCheck::ProcessCheck(ProcessMonitor& monitor, const config::TrackedProcess& spec,
                           VerdictCallback on_verdict)
    : monitor_(monitor), quorum_(spec, std::move(on_verdict)) {}

ProcessCheck::~ProcessCheck() {
  monitor_.detach(this);
}

ProcessMonitor::ProcessMonitor(sd_event* loop, ports::ProcessEvents* events)
    : loop_(loop), events_(events) {}

ProcessMonitor::~ProcessMonitor() = default;

Usec ProcessMonitor::now() const {
  uint64_t usec = 0;
  sd_event_now(loop_, CLOCK_MONOTONIC, &usec);
  return Usec{static_cast<int64_t>(usec)};
}

Result<> ProcessMonitor::start_events() {
  if (watch_) return {};
  auto watch = IoWatch::create(
      loop_, events_->fd(), [this] { on_readable(); }, "process events");
  if (!watch) return unexpected(watch.error());
  auto delays = Timer::create(
      loop_,
      [this] {
        Usec t = now();
        for (Check* c : checks_) c->quorum_.expire(t);
        arm_delays();
      },
      "track_process delay");
  if (!delays) return unexpected(delays.error());
  auto rescan_timer = Timer::create(
      loop_, [this] { rescan(); }, "track_process rescan");
  if (!rescan_timer) return unexpected(rescan_timer.error());
  watch_ = std::move(*watch);
  delay_timer_ = std::move(*delays);
  rescan_timer_ = std::move(*rescan_timer);
  lost_ = events_->counters().lost;
  return {};
}

Result<std::unique_ptr<ProcessCheck>> ProcessMonitor::track(const config::TrackedProcess& spec,
                                                            VerdictCallback on_verdict) {
  if (!events_)
    return logic_error("vrrp_track_process " + spec.name +
                       ": no process events from the kernel (BPF unavailable or --no-bpf); "
                       "counted as no process running");
  auto check = std::make_unique<Check>(*this, spec, std::move(on_verdict));
  checks_.push_back(check.get());
  // Names first, then the scan: a process started in between is in the
  // scan or its exec event is, and counting it twice counts it once.
  if (auto r = watch_names(); !r)
    return logic_error("vrrp_track_process " + spec.name + ": " + r.error().describe() +
                       "; counted as no process running");
  if (auto r = start_events(); !r) return unexpected(r.error());
  auto running = events_->scan();
  if (!running) {
    log_error("vrrp_track_process " + spec.name + ": " + running.error().describe());
  } else {
    check->quorum_.initialise(*running);
  }
  log_info("vrrp_track_process " + spec.name + ": " + std::to_string(check->quorum_.count()) +
               " matching process(es), quorum " + (check->quorum_.up() ? "up" : "down"),
           {{"TRACK_PROCESS", spec.name}});
  return check;
}

void ProcessMonitor::detach(Check* check) {
  checks_.erase(std::remove(checks_.begin(), checks_.end(), check), checks_.end());
  if (auto r = watch_names(); !r) log_warning("track_process: " + r.error().describe());
}

Result<> ProcessMonitor::watch_names() {
  if (!events_) return {};
  std::vector<std::string> names;
  for (const Check* c : checks_) names.push_back(watched_name(c->quorum_.spec()));
  return events_->watch_names(names);
}

void ProcessMonitor::on_readable() {
  Usec t = now();
  // One ring's worth at most: the kernel side bounds it.
  for (const auto& event : events_->take(SIZE_MAX))
    for (Check* c : checks_) c->quorum_.on_event(event, t);
  uint64_t lost = events_->counters().lost;
  if (lost != lost_) {
    log_warning("track_process: " + std::to_string(lost - lost_) +
                " process event(s) lost; counting the processes again in a second");
    lost_ = lost;
    if (!rescan_timer_->armed()) rescan_timer_->arm(kRescanAfterLoss);
  }
  arm_delays();
}

void ProcessMonitor::rescan() {
  ++rescans_;
  auto running = events_->scan();
  if (!running) {
    log_error("track_process: " + running.error().describe());
    return;
  }
  Usec t = now();
  for (Check* c : checks_) c->quorum_.recount(*running, t);
  arm_delays();
}

void ProcessMonitor::arm_delays() {
  std::optional<Usec> earliest;
  for (const Check* c : checks_)
    if (auto due = c->quorum_.due(); due && (!earliest || *due < *earliest)) earliest = due;
  if (!earliest) {
    delay_timer_->cancel();
    return;
  }
  Usec t = now();
  delay_timer_->arm(*earliest > t ? *earliest - t : Usec{0});
}

}  // namespace keepvip::daemon
