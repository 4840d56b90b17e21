// A check an instance tracks, running on its own: a vrrp_script run every
// interval (script_runner.h), the reference_ip probe (reference_probe.h),
// and whatever checker comes next. Each reports verdict flips through its
// callback and says its current verdict when asked. The supervisor starts
// them through factories (CheckFactories), so its tests run none.
#pragma once

#include <cstdint>
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

// A check that reports a number rather than up/down: a track_file
// (track_file_watch.h).
class ValueCheck {
 public:
  virtual ~ValueCheck() = default;
  virtual int64_t value() const = 0;
};

using ValueCallback = std::function<void(int64_t value)>;

struct CheckFactories {
  // `script` is settled (config::Script::resolved).
  std::function<Result<std::unique_ptr<HealthCheck>>(const config::Script& script,
                                                     VerdictCallback on_verdict)>
      script;
  std::function<Result<std::unique_ptr<HealthCheck>>(const config::Arbitration& arbitration,
                                                     VerdictCallback on_verdict)>
      reference;
  // `initialise`: apply init_file (when keepvipd starts, not on a reload).
  std::function<Result<std::unique_ptr<ValueCheck>>(const config::TrackFile& file, bool initialise,
                                                    ValueCallback on_change)>
      file;
};

}  // namespace keepvip::daemon
