#include "guard/make_guard.h"

#include "common/log.h"
#include "guard/bpf_guard.h"
#include "guard/null_guard.h"

namespace keepvip::guard {

namespace {
constexpr const char* kLost =
    "no in-kernel VRRP filtering, no per-router kernel counters, no kernel split-brain evidence";
}

std::unique_ptr<ports::Guard> make_guard(bool enabled) {
  if (!enabled) {
    log_notice("BPF guard disabled (--no-bpf): running without it", {{"LOST", kLost}});
    return std::make_unique<NullGuard>();
  }
  auto guard = BpfGuard::load();
  if (!guard) {
    log_warning("BPF guard unavailable (" + guard.error().describe() + "): running without it",
                {{"LOST", kLost}});
    return std::make_unique<NullGuard>();
  }
  return std::move(*guard);
}

}  // namespace keepvip::guard
