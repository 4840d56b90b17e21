// keepvipd --check -f FILE: judge a configuration file without running it.
#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace keepvip::config {

struct CheckOptions {
  // -i / --config-id: which "@ID" lines apply; unset = the short host name.
  std::optional<std::string> config_id;
  // --strict: a warning fails the check too (CI pipelines, Ansible's
  // validate). Without it --check fails only where the agent would refuse
  // to run, as keepalived -t would let it run.
  bool strict = false;
};

// Prints every diagnostic, a note for each instance that drops traffic to
// its VIPs while MASTER (no accept: strict mode's default), then one summary
// line:
//   "FILE: OK, 2 instances, 1 script, 3 warnings"   (returns 0)
//   "FILE: 2 errors"                                (returns 1)
//   "FILE: 3 warnings (--strict)"                   (returns 1, strict only)
// Interfaces are looked up on this host; a missing one is only a warning.
// Scripts are judged as keepvipd would judge them if run by the same user
// (settle_scripts.h): a missing user is an error, a disabled script a warning.
int run_check(const std::string& path, std::ostream& out, const CheckOptions& options = {});

}  // namespace keepvip::config
