// A check an instance tracks, running on its own: a vrrp_script run every
// interval (script_runner.h), the reference_ip probe (reference_probe.h),
// and whatever checker comes next. Each reports verdict flips through its
// callback and says its current verdict when asked. The supervisor starts
// them through factories (CheckFactories), so its tests run none.
#pragma once

#include <functional>
#include <memory>

#include "common/result.h"
#include "config/config.h"

namespace keepvip::daemon {

class HealthCheck {
 public:
  virtual ~HealthCheck() = default;
  virtual bool up() const = 0;
};

using VerdictCallback = std::function<void(bool up)>;

struct CheckFactories {
  // `script` is settled (config::Script::resolved).
  std::function<Result<std::unique_ptr<HealthCheck>>(const config::Script& script,
                                                     VerdictCallback on_verdict)>
      script;
  std::function<Result<std::unique_ptr<HealthCheck>>(const config::Arbitration& arbitration,
                                                     VerdictCallback on_verdict)>
      reference;
};

}  // namespace keepvip::daemon
