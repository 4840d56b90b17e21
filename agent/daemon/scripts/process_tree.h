// Ending every process a script started, however it tried to get away.
//
// A process group is not enough: a child that calls setsid() (a daemon
// started by a notify script, "setsid sleep 60 &") leaves the group and
// survives a kill(-pgid). Without cgroups the process tree is what still
// ties them together: the script supervisor (script_supervisor.h) is a
// child subreaper (PR_SET_CHILD_SUBREAPER), so an orphan below it is
// re-parented to it, not to init, and every process the script started,
// directly or not, stays a descendant until it has been reaped.
//
// Async-signal-safe (the supervisor is a forked copy of keepvipd): raw
// system calls, stack buffers and UniqueFd (whose destructor only closes).
#pragma once

#include <sys/types.h>

namespace keepvip::daemon {

// Sends `signo` to every descendant of the calling process; returns how many
// were signalled. Each target is found in /proc, then opened as a pidfd and
// checked again (same start time) before the signal, so a pid reused by an
// unrelated process in between is never hit.
int signal_descendants(int signo);

// Reaps every child that has exited, without waiting. `main`'s wait status
// goes to *main_status (and *main_reaped becomes true) if it is among them.
// Returns true when no child is left at all: then no descendant is left
// either, since orphans come to the subreaper.
bool reap_children(pid_t main, int* main_status, bool* main_reaped);

}  // namespace keepvip::daemon
