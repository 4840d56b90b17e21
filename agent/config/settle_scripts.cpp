#include "config/settle_scripts.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "config/command_line.h"

namespace keepvip::config::detail {
namespace {

constexpr const char* kDefaultScriptUser = "keepalived_script";
constexpr const char* kShell = "/bin/sh";  // what keepalived's system() runs

// keepalived (check_script_secure): a first word "<" then "/" (blanks
// allowed between) only tests that a file can be opened, "</dev/tcp/HOST/PORT"
// above all; it is run by a shell, never checked as a program.
bool is_redirection_test(const std::string& first) {
  if (!first.starts_with('<')) return false;
  size_t slash = first.find_first_not_of(" \t", 1);
  return slash != std::string::npos && first[slash] == '/';
}

// keepalived's cmd_str(): the words for `sh -c`, each in single quotes but a
// first word that is a redirection. keepalived leaves a quote inside a word
// as it is, which breaks the command; here it is kept ('\'').
std::string shell_command(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    const std::string& w = words[i];
    if (i == 0 && (w.starts_with('<') || w.starts_with('>'))) {
      out += w;
      continue;
    }
    out += '\'';
    for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

// One script line to settle, wherever it was written.
struct ScriptLine {
  std::string label;    // "vrrp_script chk", "notify_master of VI_1"
  std::string keyword;  // "script", "notify_master"
  const std::string& command;
  const std::string& user;
  const std::string& group;
  const SourceLocation& command_at;
  const SourceLocation& user_at;
  std::string if_disabled;  // what disabling it means for the instances
};

struct Verdict {
  std::optional<ResolvedScript> resolved;
  bool disabled = false;  // reported; must not run
};

class Settler {
 public:
  Settler(const Global& global, const ScriptHost* host, DiagnosticSink& diags)
      : global_(global), host_(host), diags_(diags) {
    if (!host_) return;
    self_ = host_->self();
    // Resolved whether or not a script relies on it: a script_user that does
    // not exist is an error in itself (keepalived: "Error setting global
    // script uid/gid").
    if (!global_.script_user.empty()) {
      auto account = host_->find_account(global_.script_user, global_.script_group);
      if (account) {
        default_ = *account;
      } else {
        diags_.error(global_.script_user_at, "script_user",
                     account.error().describe() +
                         "; expected an existing user (and group): scripts never fall back to "
                         "another user");
      }
    } else if (self_.uid != 0) {
      default_ = self_;
    } else if (auto account = host_->find_account(kDefaultScriptUser, ""); account) {
      default_ = *account;
    } else if (!global_.enable_script_security) {
      default_ = self_;
      root_by_default_ = true;
    }
  }

  // Checks the words only: for scripts that cannot run (untracked ones).
  std::optional<std::vector<std::string>> words(const ScriptLine& line) {
    auto argv = split_command_line(line.command);
    if (!argv) {
      diags_.error(line.command_at, line.keyword,
                   argv.error().context + "; expected balanced quotes in the command line");
      return std::nullopt;
    }
    if (argv->empty()) {
      diags_.error(line.command_at, line.keyword, "expected a command, got an empty line");
      return std::nullopt;
    }
    return std::move(*argv);
  }

  Verdict settle(const ScriptLine& line) {
    auto argv = words(line);
    if (!argv || !host_) return {};
    bool disabled = false;
    std::optional<Account> account = account_for(line, &disabled);
    if (!account) return {std::nullopt, disabled};
    // Only root can switch users: anyone else runs every script as itself.
    if (self_.uid != 0) account = self_;

    if (is_redirection_test(argv->front())) {
      if (!first_running_) first_running_ = line.command_at;
      return {ResolvedScript{{host_->redirection_shell(), "-c", shell_command(*argv)},
                             account->user,
                             account->uid,
                             account->gid}};
    }
    ProgramReport report = host_->inspect(argv->front(), *account);
    if (report.found_in_path) {
      diags_.warning(line.command_at, line.keyword,
                     "script '" + argv->front() + "' resolved by path search to '" +
                         report.program + "'. Please specify full path. (keepalived's warning)");
    }
    if (!report.unusable.empty()) return disable(line, report.unusable);
    if (!report.unsafe.empty()) {
      std::string what = "unsafe permissions found for script '" + report.program +
                         "': " + report.unsafe + ", and it runs as root";
      if (global_.enable_script_security)
        return disable(line, what + "; enable_script_security refuses such a script");
      diags_.warning(line.command_at, line.keyword,
                     what +
                         "; it still runs because enable_script_security is not set. Give "
                         "every part of its path to root, or set enable_script_security to "
                         "refuse it");
      insecure_ = true;
    }
    if (!first_running_) first_running_ = line.command_at;
    argv->front() = report.program;
    if (report.needs_shell) {
      diags_.warning(line.command_at, line.keyword,
                     "Please add a #! shebang to script " + report.program +
                         " (keepalived's warning): it is neither a binary nor a #! script, so "
                         "it runs through " +
                         kShell + ", as keepalived runs it");
      *argv = {kShell, "-c", shell_command(*argv)};
    }
    return {ResolvedScript{std::move(*argv), account->user, account->uid, account->gid}};
  }

  // keepalived's closing warning when scripts run without script security.
  void summarize() {
    if (!host_ || global_.enable_script_security || !first_running_) return;
    diags_.warning(*first_running_, "enable_script_security",
                   std::string("SECURITY VIOLATION - scripts are being executed but "
                               "script_security not enabled.") +
                       (insecure_ ? " There are insecure scripts." : ""));
  }

 private:
  // nullopt: the script has no account; *disabled when that was reported as
  // disabling it (rather than as an error).
  std::optional<Account> account_for(const ScriptLine& line, bool* disabled) {
    if (!line.user.empty()) {
      auto account = host_->find_account(line.user, line.group);
      if (account) return *account;
      diags_.error(line.user_at, line.keyword,
                   account.error().describe() +
                       "; expected an existing user (and group): the script never runs as "
                       "another user instead");
      return std::nullopt;
    }
    if (root_by_default_ && !warned_root_default_) {
      warned_root_default_ = true;
      diags_.warning(line.command_at, line.keyword,
                     "Script user 'keepalived_script' does not exist, and script_user is not "
                     "set: " +
                         line.label +
                         " and every other script without a user of its own run as root, as "
                         "with keepalived. Set script_user, or create that user");
    }
    if (default_) return default_;
    // A missing script_user was reported as an error already. Otherwise this
    // is enable_script_security without a default user: keepalived refuses
    // to default to root ("Unable to set default user keepalived_script").
    if (global_.script_user.empty()) {
      *disabled = disable(line,
                          "it names no user, script_user is not set and user "
                          "'keepalived_script' does not exist; with enable_script_security "
                          "scripts never default to root")
                      .disabled;
    }
    return std::nullopt;
  }

  Verdict disable(const ScriptLine& line, const std::string& why) {
    diags_.warning(line.command_at, line.keyword,
                   line.label + " disabled: " + why + "; " + line.if_disabled);
    return {std::nullopt, true};
  }

  const Global& global_;
  const ScriptHost* host_;
  DiagnosticSink& diags_;
  Account self_;
  std::optional<Account> default_;  // for scripts without a user of their own
  bool root_by_default_ = false;
  bool warned_root_default_ = false;
  bool insecure_ = false;
  std::optional<SourceLocation> first_running_;
};

constexpr std::pair<NotifyScript Instance::*, const char*> kNotifyLines[] = {
    {&Instance::notify_master, "notify_master"},
    {&Instance::notify_backup, "notify_backup"},
    {&Instance::notify_fault, "notify_fault"},
    {&Instance::notify_stop, "notify_stop"},
    {&Instance::notify, "notify"},
    {&Instance::notify_deleted_script, "notify_deleted"},
    {&Instance::notify_master_rx_lower_pri, "notify_master_rx_lower_pri"},
};

// A notify line or a FIFO's script: a disabled one is emptied (never runs).
void settle_notify(Settler& settler, NotifyScript& notify, const std::string& label,
                   const char* keyword) {
  ScriptLine line{label,
                  keyword,
                  notify.command,
                  notify.run_as.user,
                  notify.run_as.group,
                  notify.where,
                  notify.user_at,
                  "it is not run, as in keepalived"};
  Verdict verdict = settler.settle(line);
  notify.resolved = verdict.resolved;
  if (verdict.disabled) notify = NotifyScript{};
}

}  // namespace

void settle_scripts(Config& config, const ScriptHost* host, DiagnosticSink& diags) {
  Settler settler(config.global, host, diags);
  std::set<std::string> tracked;
  for (const auto& instance : config.instances)
    for (const auto& track : instance.track_scripts) tracked.insert(track.name);

  std::set<std::string> disabled;
  for (auto& [name, script] : config.scripts) {
    if (script.command_at.line == 0) continue;  // no "script" line: reported already
    ScriptLine line{"vrrp_script " + name,
                    "script",
                    script.command,
                    script.user,
                    script.group,
                    script.command_at,
                    script.user_at,
                    "instances tracking it elect without it, as in "
                    "keepalived"};
    // keepalived runs only the scripts some instance tracks: only their
    // words matter for the others.
    if (!tracked.count(name)) {
      (void)settler.words(line);
      continue;
    }
    Verdict verdict = settler.settle(line);
    script.resolved = verdict.resolved;
    if (verdict.disabled) disabled.insert(name);
  }
  for (const auto& name : disabled) config.scripts.erase(name);

  for (auto& instance : config.instances) {
    std::erase_if(instance.track_scripts,
                  [&](const Track& track) { return disabled.count(track.name) > 0; });
    for (const auto& [field, keyword] : kNotifyLines) {
      NotifyScript& notify = instance.*field;
      if (!notify.empty())
        settle_notify(settler, notify, std::string(keyword) + " of " + instance.name, keyword);
    }
  }
  // keepalived runs a FIFO's script only with its FIFO.
  for (auto [fifo, keyword] :
       {std::pair{&config.global.notify_fifo, "notify_fifo_script"},
        std::pair{&config.global.vrrp_notify_fifo, "vrrp_notify_fifo_script"}}) {
    if (!fifo->script.empty() && !fifo->path.empty())
      settle_notify(settler, fifo->script, keyword, keyword);
  }
  settler.summarize();
}

}  // namespace keepvip::config::detail
