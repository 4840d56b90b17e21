// The composition root of keepvipd: the one place that names the concrete
// parts — rtnetlink, the GARP/NA sender, the link monitor, the BPF guard or
// NullGuard, the org.keepvip1 D-Bus service and systemd over D-Bus — builds
// them, hands the daemon (agent/daemon/) the ports it runs on, runs the
// event loop and takes everything down in reverse order.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "config/config.h"
#include "config/parser.h"

namespace keepvip::keepvipd {

struct AgentOptions {
  std::string config_path;
  std::optional<std::string> config_id;  // -i: the "@ID" lines that apply; unset = host name
  std::string runtime_dir;
  bool user_bus = false;  // --user: the session bus for everything D-Bus
  bool bpf = true;        // false: --no-bpf
};

// How keepvipd reads its configuration, at start and on reload: every
// script settled against this host (config/settle_scripts.h).
config::ParseResult read_config(const std::string& path,
                                const std::optional<std::string>& config_id);

// Runs the agent until SIGTERM/SIGINT; the exit code, or why it could not
// start. Call block_handled_signals() first.
Result<int> run_agent(const AgentOptions& options, config::Config config);

// `keepvipd --release`: the crash hand-over, stopping units over D-Bus.
int release(const std::string& runtime_dir, bool user_bus);

}  // namespace keepvip::keepvipd
