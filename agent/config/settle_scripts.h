// Settles every script that can run (tracked vrrp_scripts, notify lines):
// its words, the account it runs as, the file it runs, and whether it may run
// at all, as keepalived decides when it reads its configuration
// (lib/notify.c: set_default_script_user, check_script_secure; vrrp/vrrp.c:
// check_vrrp_script_security):
//
//  - the account: the script's own user, else global script_user, else
//    keepalived_script if that user exists, else keepvipd's own (root, with
//    a warning). A user or group that does not exist is an error: nothing
//    falls back to another user. Only root can switch users: a keepvipd
//    running as anyone else runs every script as itself;
//  - with enable_script_security a script that would run as root and that a
//    non-root user could change is disabled, and so is a script that would
//    default to root; without it keepalived's "SECURITY VIOLATION" warning;
//  - a program that cannot be found or run is disabled (keepalived too).
// A disabled vrrp_script leaves config.scripts and every track_script that
// named it (the instance elects without it, as in keepalived); a disabled
// notify line is emptied. Every verdict is a diagnostic at the script's line.
//
// Without a host only the command lines are split (quoting errors), and no
// script is settled: an unsettled script never runs.
#pragma once

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/script_host.h"

namespace keepvip::config::detail {

void settle_scripts(Config& config, const ScriptHost* host, DiagnosticSink& diags);

}  // namespace keepvip::config::detail
