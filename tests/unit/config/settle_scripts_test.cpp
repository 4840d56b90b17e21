// Who scripts run as and which may run, settled against a fake host
// (users, programs): keepalived's default user, no fallback to root for a
// user that does not exist, enable_script_security disabling what a
// non-root user could change (the track dropped, the instance kept), and
// keepalived's warnings, each at the script's line.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "config/parser.h"
#include "memory_files.h"

namespace keepvip::config {
namespace {

struct FakeHost final : ScriptHost {
  Account me{"root", 0, 0};
  std::map<std::string, Account> users{{"root", {"root", 0, 0}}};
  std::map<std::string, uint32_t> groups;
  std::map<std::string, ProgramReport> programs;  // by first word; default: a safe file
  mutable std::vector<std::string> inspected;     // "word as user"

  Account self() const override { return me; }
  Result<Account> find_account(const std::string& user, const std::string& group) const override {
    auto u = users.find(user);
    if (u == users.end()) return logic_error("user '" + user + "' does not exist");
    Account a = u->second;
    if (group.empty()) return a;
    auto g = groups.find(group);
    if (g == groups.end()) return logic_error("group '" + group + "' does not exist");
    a.gid = g->second;
    return a;
  }
  ProgramReport inspect(const std::string& word, const Account& as) const override {
    inspected.push_back(word + " as " + as.user);
    auto found = programs.find(word);
    if (found != programs.end()) return found->second;
    return ProgramReport{word, false, "", as.uid == 0 || as.gid == 0, ""};
  }
};

ProgramReport unsafe_report(const std::string& program) {
  return ProgramReport{program, false, "", true, "/opt is writable by every user"};
}

std::string config_text(const std::string& globals, const std::string& instance_lines) {
  return "global_defs {\n" + globals +
         "}\n"
         "vrrp_script chk {\n"
         "  script \"/opt/check httpd\"\n"
         "}\n"
         "vrrp_script unused {\n"
         "  script /opt/unused\n"
         "}\n"
         "vrrp_instance VI_1 {\n"
         "  interface eth0\n"
         "  virtual_router_id 51\n"
         "  virtual_ipaddress {\n"
         "    192.0.2.10\n"
         "  }\n" +
         instance_lines + "}\n";
}
// Line numbers in config_text(): globals start on line 2.
constexpr const char* kTrack = "  track_script {\n    chk\n  }\n";

class Settle : public ::testing::Test {
 protected:
  ParseResult parse(const std::string& text, const ScriptHost* host) {
    testing::MemoryFiles files;
    return parse_text(text, "t.conf", HostProbe{{}, host}, files);
  }
  ParseResult parse(const std::string& text) { return parse(text, &host_); }
  static std::string dump(const ParseResult& r) {
    std::string all;
    for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
    return all;
  }
  static const Diagnostic* find(const ParseResult& r, const std::string& part) {
    for (const auto& d : r.diagnostics)
      if (d.to_string().find(part) != std::string::npos) return &d;
    return nullptr;
  }
  FakeHost host_;
};

TEST_F(Settle, ScriptsDefaultToKeepalivedScriptWhenThatUserExists) {
  host_.users["keepalived_script"] = {"keepalived_script", 990, 985};
  auto r = parse(config_text("", std::string(kTrack) + "  notify_master /opt/notify\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  const Instance& i = r.config->instances[0];
  ASSERT_TRUE(i.notify_master.resolved.has_value());
  EXPECT_EQ(i.notify_master.resolved->user, "keepalived_script");
  EXPECT_EQ(i.notify_master.resolved->uid, 990u);
  EXPECT_EQ(i.notify_master.resolved->gid, 985u);
  ASSERT_TRUE(r.config->scripts.at("chk").resolved.has_value());
  EXPECT_EQ(r.config->scripts.at("chk").resolved->argv,
            (std::vector<std::string>{"/opt/check", "httpd"}));
  EXPECT_EQ(r.config->scripts.at("chk").resolved->uid, 990u);
  EXPECT_EQ(find(r, "does not exist"), nullptr) << dump(r);
}

TEST_F(Settle, WithoutKeepalivedScriptTheyRunAsRootWithAWarning) {
  auto r = parse(config_text("", std::string(kTrack) + "  notify_master /opt/notify\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].notify_master.resolved->uid, 0u);
  EXPECT_EQ(r.config->scripts.at("chk").resolved->uid, 0u);
  // Once, at the first script that relies on it.
  const Diagnostic* d = find(r, "Script user 'keepalived_script' does not exist");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_EQ(d->where.to_string(), "t.conf:4:10");
  EXPECT_EQ(d->severity, Severity::Warning);
  EXPECT_NE(d->message.find("vrrp_script chk and every other script"), std::string::npos);
  EXPECT_EQ(std::count_if(r.diagnostics.begin(), r.diagnostics.end(),
                          [](const Diagnostic& x) {
                            return x.message.find("keepalived_script") != std::string::npos;
                          }),
            1);
}

TEST_F(Settle, WithoutScriptSecurityKeepalivedsWarningFollows) {
  auto r = parse(config_text("", kTrack));
  ASSERT_TRUE(r.ok()) << dump(r);
  const Diagnostic* d = find(r, "SECURITY VIOLATION");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_EQ(d->to_string(),
            "t.conf:4:10: warning: enable_script_security: SECURITY VIOLATION - scripts are being "
            "executed but script_security not enabled.");
}

// The case: a script_user that does not exist must not leave notify
// scripts running as root.
TEST_F(Settle, AScriptUserThatDoesNotExistIsAnErrorNamingIt) {
  auto r = parse(config_text("  script_user kv-ghost\n", "  notify_master /opt/notify\n"));
  ASSERT_FALSE(r.ok());
  const Diagnostic* d = find(r, "kv-ghost");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->where.to_string(), "t.conf:2:15");
  EXPECT_EQ(d->keyword, "script_user");
  EXPECT_NE(d->message.find("user 'kv-ghost' does not exist"), std::string::npos);
}

TEST_F(Settle, AScriptUserThatNoScriptReliesOnMustStillExist) {
  host_.users["alice"] = {"alice", 1000, 1000};
  auto r = parse(config_text("  script_user kv-ghost\n", "  notify_master /opt/notify alice\n"));
  EXPECT_FALSE(r.ok()) << dump(r);
}

TEST_F(Settle, ScriptUserAndItsGroup) {
  host_.users["alice"] = {"alice", 1000, 1000};
  host_.groups["staff"] = 50;
  auto r = parse(config_text("  script_user alice staff\n", "  notify_master /opt/notify\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].notify_master.resolved->uid, 1000u);
  EXPECT_EQ(r.config->instances[0].notify_master.resolved->gid, 50u);
  auto missing = parse(config_text("  script_user alice kv-nogroup\n", ""));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(find(missing, "group 'kv-nogroup' does not exist"), nullptr) << dump(missing);
}

TEST_F(Settle, AScriptsOwnUserThatDoesNotExistIsAnErrorAtThatWord) {
  auto notify = parse(config_text("", "  notify_master /opt/notify kv-ghost\n"));
  ASSERT_FALSE(notify.ok());
  const Diagnostic* d = find(notify, "user 'kv-ghost' does not exist");
  ASSERT_NE(d, nullptr) << dump(notify);
  EXPECT_EQ(d->where.to_string(), "t.conf:15:29");
  EXPECT_EQ(d->keyword, "notify_master");

  std::string text = config_text("", kTrack);
  text.replace(text.find("  script \"/opt/check httpd\"\n"), 0, "  user kv-ghost\n");
  auto script = parse(text);
  ASSERT_FALSE(script.ok());
  d = find(script, "user 'kv-ghost' does not exist");
  ASSERT_NE(d, nullptr) << dump(script);
  EXPECT_EQ(d->where.to_string(), "t.conf:4:8");
}

TEST_F(Settle, AScriptsOwnUserWinsOverScriptUser) {
  host_.users["alice"] = {"alice", 1000, 1000};
  host_.users["bob"] = {"bob", 1001, 1001};
  auto r = parse(config_text("  script_user alice\n", "  notify_master /opt/notify bob\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].notify_master.resolved->user, "bob");
}

TEST_F(Settle, WithScriptSecurityAnUnsafeTrackedScriptIsDisabledAndItsTrackDropped) {
  host_.programs["/opt/check"] = unsafe_report("/opt/check");
  auto r = parse(config_text("  script_user root\n  enable_script_security\n", kTrack));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->scripts.count("chk"), 0u);
  ASSERT_EQ(r.config->instances.size(), 1u) << "the instance still elects";
  EXPECT_TRUE(r.config->instances[0].track_scripts.empty());
  const Diagnostic* d = find(r, "vrrp_script chk disabled");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_EQ(d->to_string(),
            "t.conf:6:10: warning: script: vrrp_script chk disabled: unsafe permissions found for "
            "script '/opt/check': /opt is writable by every user, and it runs as root; "
            "enable_script_security refuses such a script; instances tracking it elect without "
            "it, as in keepalived");
  EXPECT_EQ(find(r, "SECURITY VIOLATION"), nullptr);
}

TEST_F(Settle, WithScriptSecurityAnUnsafeNotifyScriptIsNotRun) {
  host_.programs["/opt/notify"] = unsafe_report("/opt/notify");
  host_.users["keepalived_script"] = {"keepalived_script", 990, 990};
  auto r = parse(config_text("  enable_script_security\n",
                             "  notify_master /opt/notify root\n"
                             "  notify_backup /opt/backup\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.config->instances[0].notify_master.empty());
  EXPECT_TRUE(r.config->instances[0].notify_backup.resolved.has_value());
  EXPECT_NE(find(r, "t.conf:16:17: warning: notify_master: notify_master of VI_1 disabled: unsafe"),
            nullptr)
      << dump(r);
}

TEST_F(Settle, WithoutScriptSecurityAnUnsafeScriptRunsWithWarnings) {
  host_.programs["/opt/check"] = unsafe_report("/opt/check");
  auto r = parse(config_text("", kTrack));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.config->scripts.at("chk").resolved.has_value());
  EXPECT_NE(find(r,
                 "t.conf:4:10: warning: script: unsafe permissions found for script "
                 "'/opt/check': /opt is writable by every user, and it runs as root; it still "
                 "runs because enable_script_security is not set"),
            nullptr)
      << dump(r);
  EXPECT_NE(find(r, "script_security not enabled. There are insecure scripts."), nullptr);
}

// keepalived: "enforce the default script_user is keepalived_script, and
// don't default to the user under which keepalived is running".
TEST_F(Settle, WithScriptSecurityNothingDefaultsToRoot) {
  auto r = parse(config_text("  enable_script_security\n",
                             std::string(kTrack) + "  notify_master /opt/notify\n"
                                                   "  notify_backup /opt/backup root\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->scripts.count("chk"), 0u);
  EXPECT_TRUE(r.config->instances[0].track_scripts.empty());
  EXPECT_TRUE(r.config->instances[0].notify_master.empty());
  EXPECT_TRUE(r.config->instances[0].notify_backup.resolved.has_value()) << "it names root";
  const Diagnostic* d = find(r, "vrrp_script chk disabled");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_NE(d->message.find("with enable_script_security scripts never default to root"),
            std::string::npos);
}

TEST_F(Settle, AProgramThatCannotRunIsDisabledAsInKeepalived) {
  host_.programs["/opt/check"] = ProgramReport{"", false,
                                               "cannot be reached: /opt/check: No "
                                               "such file or directory",
                                               false, ""};
  auto r = parse(config_text("", kTrack));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->scripts.count("chk"), 0u);
  EXPECT_TRUE(r.config->instances[0].track_scripts.empty());
  EXPECT_NE(find(r, "vrrp_script chk disabled: cannot be reached: /opt/check: No such file"),
            nullptr)
      << dump(r);
}

TEST_F(Settle, ABareNameFoundInPathIsRunByItsFullPathWithKeepalivedsWarning) {
  host_.programs["pidof"] = ProgramReport{"/usr/bin/pidof", true, "", true, ""};
  std::string text = config_text("", kTrack);
  text.replace(text.find("/opt/check httpd"), 16, "pidof httpd");
  auto r = parse(text);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->scripts.at("chk").resolved->argv,
            (std::vector<std::string>{"/usr/bin/pidof", "httpd"}));
  EXPECT_NE(find(r,
                 "script 'pidof' resolved by path search to '/usr/bin/pidof'. Please specify "
                 "full path."),
            nullptr)
      << dump(r);
}

// keepalived's check_script_secure(): "</..." only tests that a file opens
// and is run by a shell, never looked at as a program; enable_script_security
// does not refuse it.
TEST_F(Settle, ARedirectionIsRunByAShellUnchecked) {
  host_.users["keepalived_script"] = {"keepalived_script", 990, 985};
  std::string text = config_text("  enable_script_security\n", kTrack);
  text.replace(text.find("\"/opt/check httpd\""), 18, "\"</dev/tcp/127.0.0.1/80\"");
  auto r = parse(text);
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_TRUE(r.config->scripts.at("chk").resolved.has_value()) << dump(r);
  EXPECT_EQ(r.config->scripts.at("chk").resolved->argv,
            (std::vector<std::string>{"/bin/bash", "-c", "</dev/tcp/127.0.0.1/80"}));
  EXPECT_EQ(r.config->scripts.at("chk").resolved->uid, 990u);
  EXPECT_TRUE(host_.inspected.empty()) << host_.inspected[0];
  EXPECT_EQ(r.config->instances[0].track_scripts.size(), 1u);
}

// keepalived (with libmagic, as RHEL builds it) runs a script without "#!"
// through /bin/sh, every word quoted as its cmd_str() quotes them.
TEST_F(Settle, AScriptWithoutAShebangRunsThroughShWithKeepalivedsWarning) {
  ProgramReport plain{"/opt/check", false, "", true, ""};
  plain.needs_shell = true;
  host_.programs["/opt/check"] = plain;
  std::string text = config_text("", kTrack);
  text.replace(text.find("/opt/check httpd"), 16, "/opt/check it\\'s");
  auto r = parse(text);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->scripts.at("chk").resolved->argv,
            (std::vector<std::string>{"/bin/sh", "-c", "'/opt/check' 'it'\\''s'"}));
  const Diagnostic* d = find(r, "Please add a #! shebang to script /opt/check");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_EQ(d->severity, Severity::Warning);
}

TEST_F(Settle, OnlyTrackedScriptsAreLookedAt) {
  auto r = parse(config_text("", kTrack));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(host_.inspected, std::vector<std::string>{"/opt/check as root"});
  EXPECT_FALSE(r.config->scripts.at("unused").resolved.has_value());
}

TEST_F(Settle, AKeepvipdThatIsNotRootRunsEveryScriptAsItself) {
  host_.me = {"kv", 1234, 1234};
  host_.users["alice"] = {"alice", 1000, 1000};
  auto r = parse(config_text("  script_user alice\n", "  notify_master /opt/notify\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].notify_master.resolved->uid, 1234u);
  EXPECT_EQ(find(r, "keepalived_script"), nullptr);
  EXPECT_FALSE(parse(config_text("  script_user kv-ghost\n", "")).ok())
      << "the user must exist all the same";
}

TEST_F(Settle, UnbalancedQuotesAreAnErrorAtTheCommand) {
  auto r = parse(config_text("", "  notify_master \"/opt/notify 'open\"\n"));
  ASSERT_FALSE(r.ok());
  const Diagnostic* d = find(r, "expected balanced quotes");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_EQ(d->where.to_string(), "t.conf:15:17");
  EXPECT_FALSE(parse(config_text("", "  notify_master \"/opt/notify 'open\"\n"), nullptr).ok())
      << "a syntax error whether or not the host is asked";
}

TEST_F(Settle, WithoutAHostNothingIsSettled) {
  auto r = parse(config_text("", std::string(kTrack) + "  notify_master /opt/notify\n"), nullptr);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_FALSE(r.config->instances[0].notify_master.resolved.has_value());
  EXPECT_FALSE(r.config->scripts.at("chk").resolved.has_value());
  EXPECT_EQ(r.warning_count(), 0u) << dump(r);
}

}  // namespace
}  // namespace keepvip::config
