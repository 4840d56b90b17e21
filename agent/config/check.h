// keepvipd --check -f FILE: judge a configuration file without running it.
#pragma once

#include <ostream>
#include <string>

namespace keepvip::config {

// Prints every diagnostic, then one summary line:
//   "FILE: OK, 2 instances, 1 script, 3 warnings"   (returns 0)
//   "FILE: 2 errors"                                (returns 1)
// Interfaces are looked up on this host; a missing one is only a warning.
// Scripts are judged as keepvipd would judge them if run by the same user
// (settle_scripts.h): a missing user is an error, a disabled script a warning.
int run_check(const std::string& path, std::ostream& out);

}  // namespace keepvip::config
