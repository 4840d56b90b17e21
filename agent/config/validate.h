// Settles what can only be judged on the whole configuration: defaults that
// depend on other keywords (version, priority from state), keepalived's
// compatibility rules (strict mode, nopreempt with MASTER), and checks across
// instances (duplicate names and VRIDs, undefined scripts, host interfaces).
#pragma once

#include <functional>
#include <string>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/interpret.h"

namespace keepvip::config::detail {

// Returns the configuration; it is meaningful only if no error was reported.
// `interface_exists` may be empty (the host is not asked).
Config validate(Drafts drafts, const std::function<bool(const std::string&)>& interface_exists,
                DiagnosticSink& diags);

}  // namespace keepvip::config::detail
