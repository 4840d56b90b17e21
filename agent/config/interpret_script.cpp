// vrrp_script NAME { ... }
#include <array>

#include "config/interpret.h"
#include "config/values.h"

namespace keepvip::config::detail {
namespace {

constexpr Usec kSecond{1'000'000};

void script(Reader& r, const Node& n, ScriptDraft& d) {
  if (auto v = r.command(n)) {
    d.script.command = *v;
    d.script.command_at = n.args.front().where;
    d.has_command = true;
  }
  if (n.args.size() > 1) {
    // keepalived runs only the first word here and drops the rest silently;
    // almost always the author meant the whole line.
    r.diags().warning(n.args[1].where, "script",
                      "only '" + n.args[0].text.substr(0, 64) +
                          "' is the command, as in keepalived; the rest is ignored. Quote the "
                          "whole command line: script \"/path/to/check arg\"");
  }
}
void interval(Reader& r, const Node& n, ScriptDraft& d) {
  if (auto v = r.seconds(n, Usec{1000}, 86400 * kSecond)) d.script.interval = *v;
}
void timeout(Reader& r, const Node& n, ScriptDraft& d) {
  if (auto v = r.seconds(n, Usec{1000}, 86400 * kSecond)) d.script.timeout = *v;
}
void weight(Reader& r, const Node& n, ScriptDraft& d) {
  const Token* value = r.arg(n, 0, "a weight in -253..253");
  if (!value) return;
  auto parsed = parse_integer(value->text, -253, 253);
  if (!parsed) {
    r.diags().error(value->where, "weight", parsed.error());
    return;
  }
  d.script.weight = static_cast<int>(*parsed);
  if (n.args.size() > 1) {
    if (n.args[1].text == "reverse") {
      d.script.weight_reverse = true;
    } else {
      r.diags().error(n.args[1].where, "weight",
                      "expected 'reverse' or nothing after the weight, got '" +
                          n.args[1].text.substr(0, 64) + "'");
    }
  }
  r.at_most(n, 2);
}
void rise(Reader& r, const Node& n, ScriptDraft& d) {
  if (auto v = r.integer(n, 1, 1'000'000)) d.script.rise = static_cast<int>(*v);
}
void fall(Reader& r, const Node& n, ScriptDraft& d) {
  if (auto v = r.integer(n, 1, 1'000'000)) d.script.fall = static_cast<int>(*v);
}
void user(Reader& r, const Node& n, ScriptDraft& d) {
  if (const Token* u = r.arg(n, 0, "a user name and optional group")) {
    d.script.user = u->text;
    d.script.user_at = u->where;
  }
  if (n.args.size() > 1) d.script.group = n.args[1].text;
  r.at_most(n, 2);
}
void init_fail(Reader& r, const Node& n, ScriptDraft& d) {
  r.flag(n);
  d.script.init_fail = true;
}

constexpr auto kRules = std::to_array<KeywordRule<ScriptDraft>>({
    {"script", Shape::Statement, &script},
    {"interval", Shape::Statement, &interval},
    {"timeout", Shape::Statement, &timeout},
    {"weight", Shape::Statement, &weight},
    {"rise", Shape::Statement, &rise},
    {"fall", Shape::Statement, &fall},
    {"user", Shape::Statement, &user},
    {"init_fail", Shape::Statement, &init_fail},
});

}  // namespace

void read_vrrp_script(Reader& reader, const Node& node, Drafts& drafts) {
  const Token* name = reader.arg(node, 0, "a script name: vrrp_script NAME { ... }");
  if (!name) return;
  reader.at_most(node, 1);
  for (const auto& existing : drafts.scripts) {
    if (existing.script.name == name->text) {
      reader.diags().error(name->where, "vrrp_script",
                           "duplicate vrrp_script '" + name->text + "' (first defined at " +
                               existing.script.where.to_string() + ")");
      return;
    }
  }
  ScriptDraft draft;
  draft.script.name = name->text;
  draft.script.where = name->where;
  dispatch<ScriptDraft>(reader, node.children, draft, kRules, "vrrp_script", nullptr);
  if (!draft.has_command) {
    reader.diags().error(name->where, "vrrp_script",
                         "vrrp_script '" + name->text + "' has no 'script' line");
  }
  drafts.scripts.push_back(std::move(draft));
}

}  // namespace keepvip::config::detail
