// vrrp_track_process NAME { ... }, read as keepalived 2.2.8 reads it
// (vrrp_parser.c): the same defaults (quorum 1, no maximum, weight 0), the
// same side effects (parameters or param_match imply full_command;
// quorum_max 0 means "none may run"), checked in file order as keepalived
// checks them.
#include <array>

#include "config/interpret.h"
#include "config/values.h"
#include "process_events_shared.h"

namespace keepvip::config::detail {
namespace {

constexpr Usec kSecond{1'000'000};
constexpr size_t kCommLength = KV_PROC_COMM_LEN - 1;

std::string clip(const std::string& text) {
  return text.substr(0, 64);
}

void process(Reader& r, const Node& n, ProcessDraft& d) {
  const Token* path = r.arg(n, 0, "a process name or path, and optional parameters");
  if (!path) return;
  if (d.has_process) {
    r.diags().error(path->where, "process",
                    "process already set for vrrp_track_process '" + d.process.name +
                        "'; expected one 'process' line");
    return;
  }
  d.has_process = true;
  d.process_at = path->where;
  d.process.process = path->text;
  for (size_t i = 1; i < n.args.size(); ++i) d.process.params.push_back(n.args[i].text);
  if (!d.process.params.empty()) {
    if (d.process.param_match == ParamMatch::None) d.process.param_match = ParamMatch::Exact;
    d.process.full_command = true;
  }
}
void param_match(Reader& r, const Node& n, ProcessDraft& d) {
  r.at_most(n, 1);
  if (n.args.empty()) {
    d.process.param_match = ParamMatch::Exact;
  } else if (n.args[0].text == "initial") {
    d.process.param_match = ParamMatch::Initial;
  } else if (n.args[0].text == "partial") {
    d.process.param_match = ParamMatch::Partial;
  } else {
    r.diags().error(
        n.args[0].where, "param_match",
        "expected 'initial', 'partial' or nothing (exact), got '" + clip(n.args[0].text) + "'");
    return;
  }
  d.process.full_command = true;
}
void weight(Reader& r, const Node& n, ProcessDraft& d) {
  const Token* value = r.arg(n, 0, "a weight in -254..254");
  if (!value) return;
  if (d.process.weight != 0) {
    r.diags().warning(value->where, "weight",
                      "weight already set for vrrp_track_process '" + d.process.name +
                          "'; this one is ignored, as keepalived ignores it");
    return;
  }
  auto parsed = parse_integer(value->text, -254, 254);
  if (!parsed) {
    r.diags().error(value->where, "weight", parsed.error());
    return;
  }
  if (n.args.size() > 1) {
    if (n.args[1].text != "reverse") {
      r.diags().error(
          n.args[1].where, "weight",
          "expected 'reverse' or nothing after the weight, got '" + clip(n.args[1].text) + "'");
      return;
    }
    d.process.weight_reverse = true;
  }
  r.at_most(n, 2);
  d.process.weight = static_cast<int>(*parsed);
}
void quorum(Reader& r, const Node& n, ProcessDraft& d) {
  auto v = r.integer(n, 1, 65535);
  if (!v) return;
  if (*v > d.process.quorum_max) {
    r.diags().error(n.args[0].where, "quorum",
                    "quorum " + std::to_string(*v) + " is greater than quorum_max " +
                        std::to_string(d.process.quorum_max) +
                        " (set above); expected a quorum no greater");
    return;
  }
  d.process.quorum = static_cast<unsigned>(*v);
}
void quorum_max(Reader& r, const Node& n, ProcessDraft& d) {
  auto v = r.integer(n, 0, 65535);
  if (!v) return;
  // quorum_max 0 ("none may run") is allowed unless a quorum above 1 was set.
  if ((*v != 0 || d.process.quorum > 1) && *v < d.process.quorum) {
    r.diags().error(n.args[0].where, "quorum_max",
                    "quorum_max " + std::to_string(*v) + " is less than quorum " +
                        std::to_string(d.process.quorum) +
                        " (set above); expected a quorum_max no smaller");
    return;
  }
  d.process.quorum_max = static_cast<unsigned>(*v);
  if (*v == 0) d.process.quorum = 0;
}
void delay(Reader& r, const Node& n, ProcessDraft& d) {
  if (auto v = r.seconds(n, Usec{1}, 3600 * kSecond)) {
    if (n.keyword.text != "fork_delay") d.process.terminate_delay = *v;
    if (n.keyword.text != "terminate_delay") d.process.fork_delay = *v;
  }
}
void full_command(Reader& r, const Node& n, ProcessDraft& d) {
  r.flag(n);
  d.process.full_command = true;
}

constexpr auto kRules = std::to_array<KeywordRule<ProcessDraft>>({
    {"process", Shape::Statement, &process},
    {"param_match", Shape::Statement, &param_match},
    {"weight", Shape::Statement, &weight},
    {"quorum", Shape::Statement, &quorum},
    {"quorum_max", Shape::Statement, &quorum_max},
    {"delay", Shape::Statement, &delay},
    {"fork_delay", Shape::Statement, &delay},
    {"terminate_delay", Shape::Statement, &delay},
    {"full_command", Shape::Statement, &full_command},
});

// Limits keepalived does not have, from what the kernel passes up.
void check_lengths(Reader& r, const ProcessDraft& d) {
  const TrackedProcess& p = d.process;
  if (!p.full_command && p.process.size() > kCommLength) {
    r.diags().warning(d.process_at, "process",
                      "'" + clip(p.process) + "' is longer than a process name can be (" +
                          std::to_string(kCommLength) +
                          " characters), so it never matches, as in keepalived; add "
                          "full_command to match the command line");
  }
  size_t line = p.process.size() + 1;
  for (const auto& param : p.params) line += param.size() + 1;
  if (p.full_command && line > KV_PROC_ARGS_LEN - 2) {
    r.diags().error(d.process_at, "process",
                    "the process line is " + std::to_string(line) + " bytes; expected at most " +
                        std::to_string(KV_PROC_ARGS_LEN - 2) +
                        " (the command line keepvip reads is bounded)");
  }
}

}  // namespace

void read_vrrp_track_process(Reader& reader, const Node& node, Drafts& drafts) {
  const Token* name = reader.arg(node, 0, "a name: vrrp_track_process NAME { ... }");
  if (!name) return;
  reader.at_most(node, 1);
  for (const auto& existing : drafts.processes) {
    if (existing.process.name == name->text) {
      reader.diags().error(name->where, "vrrp_track_process",
                           "duplicate vrrp_track_process '" + name->text + "' (first defined at " +
                               existing.process.where.to_string() + ")");
      return;
    }
  }
  ProcessDraft draft;
  draft.process.name = name->text;
  draft.process.where = name->where;
  dispatch<ProcessDraft>(reader, node.children, draft, kRules, "vrrp_track_process", nullptr);
  if (!draft.has_process) {
    reader.diags().error(
        name->where, "vrrp_track_process",
        "track process '" + name->text + "' process name not specified; expected a 'process' line");
    return;
  }
  check_lengths(reader, draft);
  drafts.processes.push_back(std::move(draft));
}

}  // namespace keepvip::config::detail
