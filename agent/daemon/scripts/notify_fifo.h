// global_defs notify_fifo and vrrp_notify_fifo: a line per state change of
// each instance, in keepalived's format (vrrp/vrrp_notify.c):
//   INSTANCE "VI_1" MASTER 100
// (the state is MASTER, BACKUP, FAULT, STOP or DELETED, or one of the events
// MASTER_RX_LOWER_PRI, MASTER_PRIORITY, BACKUP_PRIORITY; the number is the
// effective priority). As keepalived (lib/notify.c): a missing FIFO is created, mode
// 0644, owned by the configured user and group; it is opened read-write and
// non-blocking, so a write never waits for a reader and never fails for
// want of one. While nobody reads, lines wait in the pipe (the kernel's pipe
// buffer, 64 KiB by default, is the bound); once it is full, further lines
// are dropped and counted in the log, as keepalived drops them silently.
// A FIFO keepvipd created is removed when it stops using it. Its
// notify_fifo_script, if any, runs from when the FIFO exists (before keepvipd
// opens it, as in keepalived) with the FIFO's path as its last argument, as
// its settled account, and gets SIGTERM when keepvipd stops using the FIFO.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/fd.h"
#include "common/result.h"
#include "config/config.h"
#include "daemon/scripts/child_process.h"
#include "daemon/scripts/notify.h"

namespace keepvip::daemon {

// `what`: a state or an event word (to_string of NotifyState, InstanceEvent).
std::string notify_fifo_line(std::string_view instance, std::string_view what, uint8_t priority);

class NotifyFifo {
 public:
  // `kind`: "notify_fifo" or "vrrp_notify_fifo", for the log.
  static Result<std::unique_ptr<NotifyFifo>> open(sd_event* loop, const config::NotifyFifo& fifo,
                                                  std::string kind);
  NotifyFifo(const NotifyFifo&) = delete;
  NotifyFifo& operator=(const NotifyFifo&) = delete;
  ~NotifyFifo();

  const config::NotifyFifo& config() const { return config_; }
  void write(std::string_view line);

 private:
  NotifyFifo() = default;
  config::NotifyFifo config_;
  std::string kind_;
  std::unique_ptr<ChildProcess> script_;
  UniqueFd fd_;
  bool created_ = false;
  uint64_t dropped_ = 0;
};

// Both FIFOs of global_defs, kept open across a reload while their settings
// stay the same, reopened when they change.
class NotifyFifos {
 public:
  void configure(sd_event* loop, const config::Global& global);
  void write(std::string_view line);

 private:
  std::unique_ptr<NotifyFifo> notify_;
  std::unique_ptr<NotifyFifo> vrrp_;
};

}  // namespace keepvip::daemon
