// A bus connection that comes back: when the bus daemon goes away (dbus
// restart, system bus re-exec) the owner's objects and matches are dropped
// and set up again on a fresh connection, retried with exponential backoff
// (100 ms doubling to 5 s) so a bus that stays down costs nothing.
#pragma once

#include <systemd/sd-event.h>

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "common/sd_owners.h"
#include "common/time.h"
#include "dbus/bus_kind.h"

namespace keepvip::dbus {

class ReconnectingBus {
 public:
  // Registers the owner's objects and matches on a fresh, attached connection.
  using Setup = std::function<Result<>(sd_bus* bus)>;
  // The connection is gone: drop every slot that refers to it (before it is freed).
  using Lost = std::function<void()>;

  enum class FirstConnect {
    Required,    // open() fails if the first connection (or setup) fails
    Background,  // open() succeeds; a failed first attempt is retried like a lost bus
    // open() fails if the bus answers but setup fails (a bus name someone
    // else owns); a bus not reachable yet is retried like a lost bus.
    WhenReachable,
  };
  static Result<std::unique_ptr<ReconnectingBus>> open(sd_event* loop, BusKind kind,
                                                       std::string description, Setup setup,
                                                       Lost lost,
                                                       FirstConnect first = FirstConnect::Required);
  ReconnectingBus(const ReconnectingBus&) = delete;
  ReconnectingBus& operator=(const ReconnectingBus&) = delete;
  ~ReconnectingBus();

  // Null while disconnected.
  sd_bus* get() const { return bus_.get(); }

  static constexpr Usec kFirstRetry{100'000};
  static constexpr Usec kMaxRetry{5'000'000};

 private:
  ReconnectingBus(sd_event* loop, BusKind kind, std::string description, Setup setup, Lost lost);
  Result<> connect();
  void disconnect();
  void schedule_retry();
  static int on_disconnected(sd_bus_message* m, void* userdata, sd_bus_error* error);
  static int on_retry(sd_event_source* s, uint64_t usec, void* userdata);

  sd_event* loop_;
  BusKind kind_;
  std::string description_;
  Setup setup_;
  Lost lost_;
  BusPtr bus_;
  SlotPtr disconnected_slot_;
  EventSourcePtr retry_timer_;
  Usec next_retry_ = kFirstRetry;
  bool setup_failed_ = false;    // the last connect() reached the bus, setup did not work
  bool ever_connected_ = false;  // "connected" the first time, "reconnected" after
};

}  // namespace keepvip::dbus
