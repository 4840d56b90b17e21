// keepvipd: parse the command line, then either a one-shot command (--check,
// --stats, --release) or the agent, run like systemd-timesyncd's run(): the
// composition root (wiring.h) builds the parts, starts the daemon, runs the
// event loop and tears down in reverse.
#include <cxxopts.hpp>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/log.h"
#include "config/check.h"
#include "config/parser.h"
#include "daemon/loop/signals.h"
#include "daemon/publish/print_stats.h"
#include "keepvipd/wiring.h"

#ifndef KEEPVIP_VERSION
#define KEEPVIP_VERSION "0.0.0"
#endif

namespace {

using keepvip::log_error;

// Fatal start-up misconfiguration: the one place keepvipd uses exceptions.
struct StartupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

keepvip::config::Config load_config(const std::string& path,
                                    const std::optional<std::string>& config_id) {
  auto parsed = keepvip::keepvipd::read_config(path, config_id);
  for (const auto& d : parsed.diagnostics) {
    if (d.severity == keepvip::config::Severity::Error) {
      keepvip::log_error(d.to_string());
    } else {
      keepvip::log_warning(d.to_string());
    }
  }
  if (!parsed.ok()) throw StartupError(path + ": configuration has errors (see above)");
  return std::move(*parsed.config);
}

int run_agent(const keepvip::keepvipd::AgentOptions& options) {
  keepvip::daemon::block_handled_signals();
  auto code =
      keepvip::keepvipd::run_agent(options, load_config(options.config_path, options.config_id));
  if (!code) throw StartupError(code.error().describe());
  return *code;
}

int run(int argc, char** argv) {
  cxxopts::Options cli("keepvipd", "keepvip: eBPF-assisted VRRP high-availability agent");
  cli.add_options()("f,config", "configuration file (keepalived.conf dialect)",
                    cxxopts::value<std::string>()->default_value("/etc/keepvip/keepvip.conf"))(
      "check", "validate the configuration and exit (0 = usable, 1 = errors)")(
      "strict", "with --check: warnings fail the check too")(
      "i,config-id", "apply the '@ID' lines of the configuration for this id (default: host name)",
      cxxopts::value<std::string>())("runtime-dir", "directory for run-time state (one per agent)",
                                     cxxopts::value<std::string>()->default_value("/run/keepvip"))(
      "log-level", "debug, info, notice, warning or err",
      cxxopts::value<std::string>()->default_value("info"))(
      "user", "use the session bus instead of the system bus for D-Bus")(
      "no-bpf", "run without the in-kernel guard")("stats",
                                                   "print the running agent's counters and exit")(
      "release", "crash hand-over: release the VIPs a dead agent recorded, then exit")(
      "version", "print the version and exit")("h,help", "print this help and exit");
  cxxopts::ParseResult args;
  try {
    args = cli.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    std::cerr << "keepvipd: " << e.what() << "\n" << cli.help();
    return 2;
  }
  if (args.count("help")) {
    std::cout << cli.help();
    return 0;
  }
  if (args.count("version")) {
    std::cout << "keepvipd " << KEEPVIP_VERSION << "\n";
    return 0;
  }
  auto level = keepvip::parse_log_level(args["log-level"].as<std::string>());
  if (!level) {
    std::cerr << "keepvipd: unknown log level \"" << args["log-level"].as<std::string>() << "\"\n";
    return 2;
  }
  keepvip::log_setup(*level);

  const std::string config_path = args["config"].as<std::string>();
  const std::string runtime_dir = args["runtime-dir"].as<std::string>();
  std::optional<std::string> config_id;
  if (args.count("config-id")) config_id = args["config-id"].as<std::string>();
  if (args.count("check")) {
    return keepvip::config::run_check(config_path, std::cout,
                                      {config_id, args.count("strict") > 0});
  }
  if (args.count("stats")) return keepvip::daemon::print_running_stats(runtime_dir);
  if (args.count("release")) return keepvip::keepvipd::release(runtime_dir, args.count("user") > 0);

  keepvip::keepvipd::AgentOptions options;
  options.config_path = config_path;
  options.runtime_dir = runtime_dir;
  options.config_id = config_id;
  options.user_bus = args.count("user") > 0;
  options.bpf = args.count("no-bpf") == 0;
  return run_agent(options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const StartupError& e) {
    log_error(std::string("cannot start: ") + e.what());
    return 1;
  }
}
