// keepvipctl: query and steer keepvipd over D-Bus.
//
// Exit codes: 0 done; 1 the agent refused or failed the request (the reason is
// printed); 2 usage error; 3 keepvipd is not reachable on the bus.
#include <cmath>
#include <cstdio>
#include <cxxopts.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "keepvipctl/api_client.h"
#include "keepvipctl/status_table.h"

namespace {

using keepvip::ctl::ApiClient;
using keepvip::ctl::ClientError;

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 3;

int fail(const ClientError& e) {
  std::cerr << "keepvipctl: " << e.message;
  if (!e.name.empty()) std::cerr << " [" << e.name << "]";
  std::cerr << "\n";
  return e.kind == ClientError::Kind::Unreachable ? kExitUnreachable : kExitRefused;
}

int usage_error(const std::string& message) {
  std::cerr << "keepvipctl: " << message << "\nTry 'keepvipctl --help'.\n";
  return kExitUsage;
}

const char* kCommands =
    "Commands:\n"
    "  status                         table of instances\n"
    "  check split-brain              print 1 if any instance sees a split brain, else 0\n"
    "  split-brain                    per instance: split brain or not, and the evidence\n"
    "  reload                         reload the configuration, wait until done\n"
    "  resign INSTANCE [--hold SEC]   a MASTER steps down and holds back for SEC\n"
    "  set-fault INSTANCE [--reason R]  force an instance into FAULT\n"
    "  clear-fault INSTANCE           lift a fault set with set-fault\n"
    "  set-fault-by-unit UNIT [--reason R]\n"
    "                                 UNIT failed (OnFailure= hook): the instances tracking\n"
    "                                 it count it as down until it is active again\n"
    "\nExit status: 0 ok, 1 refused by keepvipd, 2 usage, 3 keepvipd not reachable.\n";

int run(const std::vector<std::string>& words, const cxxopts::ParseResult& opts) {
  if (words.empty()) return usage_error("missing command");
  const std::string& cmd = words[0];
  auto arity = [&](size_t n) { return words.size() == n; };

  auto kind = opts.count("user") ? keepvip::dbus::BusKind::User : keepvip::dbus::BusKind::System;
  auto connect = [&]() { return ApiClient::connect(kind); };

  if ((cmd == "status" || cmd == "split-brain") && arity(1)) {
    auto client = connect();
    if (!client) return fail(client.error());
    auto rows = client->instances();
    if (!rows) return fail(rows.error());
    std::cout << (cmd == "status" ? keepvip::ctl::render_status_table(*rows)
                                  : keepvip::ctl::render_split_brain(*rows));
    return kExitOk;
  }
  if (cmd == "check" && arity(2) && words[1] == "split-brain") {
    auto client = connect();
    if (!client) return fail(client.error());
    auto split = client->split_brain();
    // Nothing on stdout on failure: a monitoring agent then reports the item
    // unsupported instead of a wrong 0.
    if (!split) return fail(split.error());
    std::cout << (*split ? "1" : "0") << "\n";
    return kExitOk;
  }
  if (cmd == "reload" && arity(1)) {
    auto client = connect();
    if (!client) return fail(client.error());
    if (auto r = client->reload(); !r) return fail(r.error());
    return kExitOk;
  }
  if (cmd == "resign" && arity(2)) {
    double hold = opts["hold"].as<double>();
    if (!std::isfinite(hold) || hold < 0) return usage_error("--hold must be >= 0 seconds");
    auto client = connect();
    if (!client) return fail(client.error());
    auto usec = static_cast<uint64_t>(std::llround(hold * 1e6));
    if (auto r = client->resign(words[1], usec); !r) return fail(r.error());
    return kExitOk;
  }
  if ((cmd == "set-fault" || cmd == "clear-fault") && arity(2)) {
    auto client = connect();
    if (!client) return fail(client.error());
    bool faulted = cmd == "set-fault";
    std::string reason = faulted ? opts["reason"].as<std::string>() : "";
    if (auto r = client->set_fault(words[1], faulted, reason); !r) return fail(r.error());
    return kExitOk;
  }
  if (cmd == "set-fault-by-unit" && arity(2)) {
    auto client = connect();
    if (!client) return fail(client.error());
    std::string reason =
        opts.count("reason") ? opts["reason"].as<std::string>() : words[1] + " failed";
    auto instances = client->unit_failed(words[1], reason);
    if (!instances) return fail(instances.error());
    std::string names;
    for (const auto& n : *instances) names += (names.empty() ? "" : ", ") + n;
    std::cout << words[1] << " counted as down by: " << names << "\n";
    return kExitOk;
  }
  return usage_error("unknown command or wrong arguments: " + cmd);
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("keepvipctl", "Query and steer keepvipd over D-Bus.");
  options.custom_help("[--user] COMMAND [ARGS]");
  options.positional_help("");
  options.add_options()("user",
                        "talk to keepvipd on the user (session) bus instead of the system bus")(
      "hold", "resign: seconds to hold back from claiming MASTER",
      cxxopts::value<double>()->default_value("0"))(
      "reason", "set-fault: why (shown in FaultReasons and the log)",
      cxxopts::value<std::string>()->default_value("set by keepvipctl"))(
      "h,help", "show this help")("words", "command and arguments",
                                  cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"words"});
  try {
    auto opts = options.parse(argc, argv);
    if (opts.count("help")) {
      std::cout << options.help() << "\n" << kCommands;
      return kExitOk;
    }
    std::vector<std::string> words;
    if (opts.count("words")) words = opts["words"].as<std::vector<std::string>>();
    return run(words, opts);
  } catch (const cxxopts::exceptions::exception& e) {
    return usage_error(e.what());
  }
}
