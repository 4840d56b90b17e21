// Arbitration (keepvip extension `reference_ip`, the seed's advice against
// split brain): every `interval` an ICMP echo goes to the reference address
// (usually the gateway); an echo not answered by the next probe is a miss.
// `fall` misses in a row declare the reference lost, `rise` answers in a row
// bring it back. It starts lost: a node that cannot see its gateway must not
// claim mastership at start either. The instance tracks it with weight 0, so
// "lost" means FAULT: a MASTER gives up, a BACKUP does not claim.
//
// The socket is raw and sees every echo reply the host receives, so it is
// built to withstand a flood: the kernel queues echo replies only
// (ICMP_FILTER / ICMP6_FILTER), a wakeup reads a bounded number of them so
// timers and the watchdog keep running, and only a reply from the reference
// carrying the request's random id, sequence number and cookie counts
// (icmp_echo.h).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/fd.h"
#include "common/result.h"
#include "config/config.h"
#include "daemon/loop/event_loop.h"
#include "daemon/tracking/health_check.h"
#include "daemon/tracking/icmp_echo.h"
#include "daemon/tracking/script_health.h"

namespace keepvip::daemon {

class ReferenceProbe final : public HealthCheck {
 public:
  static Result<std::unique_ptr<ReferenceProbe>> create(sd_event* loop,
                                                        const config::Arbitration& arbitration,
                                                        VerdictCallback on_verdict);
  ReferenceProbe(const ReferenceProbe&) = delete;
  ReferenceProbe& operator=(const ReferenceProbe&) = delete;

  bool up() const override { return health_.up(); }  // the reference answers
  const config::Arbitration& settings() const { return arbitration_; }

 private:
  ReferenceProbe(const config::Arbitration& arbitration, VerdictCallback on_verdict);
  void probe();
  void on_readable();
  void record(bool answered);

  config::Arbitration arbitration_;
  EchoProbe request_;         // the last request sent
  bool outstanding_ = false;  // ... and not answered yet
  ScriptHealth health_;
  VerdictCallback on_verdict_;
  UniqueFd socket_;
  std::unique_ptr<Timer> timer_;
  std::unique_ptr<IoWatch> watch_;
};

}  // namespace keepvip::daemon
