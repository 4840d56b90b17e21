#include "dbus/reconnecting_bus.h"

#include <algorithm>

#include "common/log.h"

namespace keepvip::dbus {

ReconnectingBus::ReconnectingBus(sd_event* loop, BusKind kind, std::string description, Setup setup,
                                 Lost lost)
    : loop_(loop),
      kind_(kind),
      description_(std::move(description)),
      setup_(std::move(setup)),
      lost_(std::move(lost)) {}

ReconnectingBus::~ReconnectingBus() {
  disconnect();
}

Result<std::unique_ptr<ReconnectingBus>> ReconnectingBus::open(sd_event* loop, BusKind kind,
                                                               std::string description, Setup setup,
                                                               Lost lost, FirstConnect first) {
  std::unique_ptr<ReconnectingBus> self(
      new ReconnectingBus(loop, kind, std::move(description), std::move(setup), std::move(lost)));
  if (auto r = self->connect(); !r) {
    if (first == FirstConnect::Required ||
        (first == FirstConnect::WhenReachable && self->setup_failed_))
      return unexpected(r.error());
    log_warning(self->description_ + ": " + r.error().describe() + "; retrying in the background");
    self->schedule_retry();
  }
  return self;
}

Result<> ReconnectingBus::connect() {
  setup_failed_ = false;
  auto bus = connect_bus(kind_, description_);
  if (!bus) return unexpected(bus.error());
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_match_signal(bus->get(), &slot, "org.freedesktop.DBus.Local",
                              "/org/freedesktop/DBus/Local", "org.freedesktop.DBus.Local",
                              "Disconnected", &ReconnectingBus::on_disconnected, this);
  if (r < 0) return os_error(-r, description_ + ": watch for bus disconnection");
  disconnected_slot_.reset(slot);
  r = sd_bus_attach_event(bus->get(), loop_, SD_EVENT_PRIORITY_NORMAL);
  if (r < 0) {
    disconnected_slot_.reset();
    return os_error(-r, description_ + ": attach the bus to the event loop");
  }
  bus_ = std::move(*bus);
  if (auto s = setup_(bus_.get()); !s) {
    setup_failed_ = true;
    disconnect();
    return s;
  }
  next_retry_ = kFirstRetry;
  ever_connected_ = true;
  return {};
}

void ReconnectingBus::disconnect() {
  if (!bus_) return;
  lost_();
  disconnected_slot_.reset();
  sd_bus_detach_event(bus_.get());
  bus_.reset();
}

void ReconnectingBus::schedule_retry() {
  uint64_t now = 0;
  sd_event_now(loop_, CLOCK_MONOTONIC, &now);
  sd_event_source* timer = nullptr;
  int r = sd_event_add_time(loop_, &timer, CLOCK_MONOTONIC,
                            now + static_cast<uint64_t>(next_retry_.count()), 0,
                            &ReconnectingBus::on_retry, this);
  if (r < 0) {
    log_error(description_ + ": cannot arm the reconnect timer; staying disconnected",
              {{"ERRNO", std::to_string(-r)}});
    return;
  }
  retry_timer_.reset(timer);
  next_retry_ = std::min(next_retry_ * 2, kMaxRetry);
}

int ReconnectingBus::on_disconnected(sd_bus_message*, void* userdata, sd_bus_error*) {
  auto* self = static_cast<ReconnectingBus*>(userdata);
  log_warning(self->description_ + ": lost the " + std::string(to_string(self->kind_)) +
              " bus; reconnecting");
  // Tearing the connection down inside its own dispatch is not safe; the
  // retry timer does it from the loop.
  self->schedule_retry();
  return 0;
}

int ReconnectingBus::on_retry(sd_event_source*, uint64_t, void* userdata) {
  auto* self = static_cast<ReconnectingBus*>(userdata);
  self->retry_timer_.reset();
  self->disconnect();
  bool first = !self->ever_connected_;
  if (auto r = self->connect(); !r) {
    log_debug(self->description_ + ": reconnect failed: " + r.error().describe());
    self->schedule_retry();
    return 0;
  }
  log_notice(self->description_ + (first ? ": connected to the " : ": reconnected to the ") +
             std::string(to_string(self->kind_)) + " bus");
  return 0;
}

}  // namespace keepvip::dbus
