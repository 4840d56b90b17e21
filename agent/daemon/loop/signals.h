// The signals keepvipd answers, as keepalived's users send them, read from
// sd-event (a signalfd) instead of handlers. None but SIGTERM/SIGINT ends
// keepvipd; SIGQUIT, SIGABRT and SIGSEGV keep their default (core dump):
// they mean "crash now", and ExecStopPost hands the VIPs over.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "common/result.h"
#include "daemon/loop/event_loop.h"

namespace keepvip::daemon {

enum class AgentSignal {
  Stop,        // SIGTERM, SIGINT
  Reload,      // SIGHUP
  DumpData,    // SIGUSR1: keepalived writes its data
  DumpStats,   // SIGUSR2: keepalived writes its counters
  DumpJson,    // SIGRTMIN+2: keepalived's SIGJSON
  ClearStats,  // SIGRTMAX-1: keepalived's SIGSTATS_CLEAR
};

// Blocks the signals the agent handles through sd-event (they are read from
// a signalfd, and children are reaped through child sources): call before
// any source exists or any child is forked.
void block_handled_signals();

using SignalWatches = std::vector<std::unique_ptr<SignalWatch>>;
// Calls `received` for each handled signal, on the loop.
Result<SignalWatches> watch_signals(sd_event* loop,
                                    std::function<void(AgentSignal, const char* name)> received);

}  // namespace keepvip::daemon
