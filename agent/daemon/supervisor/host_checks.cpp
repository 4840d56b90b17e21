#include "daemon/supervisor/host_checks.h"

#include "daemon/scripts/script_runner.h"
#include "daemon/tracking/reference_probe.h"
#include "daemon/tracking/track_file_watch.h"

namespace keepvip::daemon {

CheckFactories host_checks(sd_event* loop) {
  CheckFactories f;
  f.script = [loop](const config::Script& script,
                    VerdictCallback on_verdict) -> Result<std::unique_ptr<HealthCheck>> {
    auto runner = ScriptRunner::create(
        loop, script, [on_verdict](const std::string&, bool up) { on_verdict(up); });
    if (!runner) return unexpected(runner.error());
    return std::unique_ptr<HealthCheck>(std::move(*runner));
  };
  f.reference = [loop](const config::Arbitration& arbitration,
                       VerdictCallback on_verdict) -> Result<std::unique_ptr<HealthCheck>> {
    auto probe = ReferenceProbe::create(loop, arbitration, std::move(on_verdict));
    if (!probe) return unexpected(probe.error());
    return std::unique_ptr<HealthCheck>(std::move(*probe));
  };
  f.file = [loop](const config::TrackFile& file, bool initialise,
                  ValueCallback on_change) -> Result<std::unique_ptr<ValueCheck>> {
    auto watch = TrackFileWatch::create(loop, file, initialise, std::move(on_change));
    if (!watch) return unexpected(watch.error());
    return std::unique_ptr<ValueCheck>(std::move(*watch));
  };
  return f;
}

}  // namespace keepvip::daemon
