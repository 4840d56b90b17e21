// What validation asks the host about scripts (HostProbe::scripts): who a
// user is and what a script's program looks like on disk. The system
// implementation reads the user database and the file system; tests pass a
// fake.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace keepvip::config {

struct Account {
  std::string user;
  uint32_t uid = 0;
  uint32_t gid = 0;
};

// keepalived's check_script_secure() verdict on one program for one account
// (program_check.h says how it is reached).
struct ProgramReport {
  std::string program;         // absolute path of the file that runs; "" when unusable
  bool found_in_path = false;  // the first word had no '/' and was looked up in PATH
  std::string unusable;        // why it cannot run at all; "" = runnable
  bool runs_as_root = false;   // uid or gid 0, or a set-user/group-ID root file
  std::string unsafe;          // how a non-root user could change it; "" = they cannot
  // Neither a binary nor a "#!" script: exec() would refuse it (ENOEXEC).
  // keepalived (built with libmagic, as RHEL's is) warns "Please add a #!
  // shebang" and runs it through /bin/sh.
  bool needs_shell = false;
};

class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // Who the checking process (keepvipd, or keepvipd --check) runs as.
  virtual Account self() const = 0;
  // `group` empty: the user's primary group. An error names what is missing.
  virtual Result<Account> find_account(const std::string& user, const std::string& group) const = 0;
  // `first_word`: the command's first word as written.
  virtual ProgramReport inspect(const std::string& first_word, const Account& as) const = 0;
  // The shell for a script that is only a redirection ("</dev/tcp/HOST/PORT"):
  // keepalived uses /bin/sh, which is bash on RHEL; where /bin/sh is another
  // shell (dash on Debian) the idiom needs bash, so bash when it is there.
  virtual std::string redirection_shell() const { return "/bin/bash"; }
};

// The real host: getpwnam/getgrnam, PATH and the current directory of this
// process, the file system.
const ScriptHost& system_script_host();

}  // namespace keepvip::config
