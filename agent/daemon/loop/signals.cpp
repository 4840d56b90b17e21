#include "daemon/loop/signals.h"

#include <signal.h>

namespace keepvip::daemon {
namespace {

struct Handled {
  int signo;
  AgentSignal meaning;
  const char* name;
};

// keepalived's SIGJSON and SIGSTATS_CLEAR (keepalived 2.2.8 lib/signals.h)
// are real-time signals: their numbers are only known at run time.
std::vector<Handled> handled() {
  return {{SIGTERM, AgentSignal::Stop, "SIGTERM"},
          {SIGINT, AgentSignal::Stop, "SIGINT"},
          {SIGHUP, AgentSignal::Reload, "SIGHUP"},
          {SIGUSR1, AgentSignal::DumpData, "SIGUSR1"},
          {SIGUSR2, AgentSignal::DumpStats, "SIGUSR2"},
          {SIGRTMIN + 2, AgentSignal::DumpJson, "SIGRTMIN+2"},
          {SIGRTMAX - 1, AgentSignal::ClearStats, "SIGRTMAX-1"}};
}

}  // namespace

void block_handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (const Handled& h : handled()) sigaddset(&set, h.signo);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  // A write to a script's closed pipe or a peer's closed socket is an error
  // to handle (EPIPE), not a reason to die. keepalived ignores it too.
  // Scripts get the default back (child_process.cpp resets every signal).
  signal(SIGPIPE, SIG_IGN);
}

Result<SignalWatches> watch_signals(sd_event* loop,
                                    std::function<void(AgentSignal, const char* name)> received) {
  SignalWatches watches;
  for (const Handled& h : handled()) {
    auto watch = SignalWatch::create(loop, h.signo, [received, h] { received(h.meaning, h.name); });
    if (!watch) return unexpected(watch.error());
    watches.push_back(std::move(*watch));
  }
  return watches;
}

}  // namespace keepvip::daemon
