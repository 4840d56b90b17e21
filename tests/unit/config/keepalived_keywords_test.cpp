// keepalived's keywords (1.3.5 to 2.4): each one in the table does what the
// table says where keepalived expects it, none is an unknown keyword, a
// misspelt one is, with a suggestion, and the documentation lists the table
// as it is.
#include "config/keepalived_keywords.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "config/parser.h"
#include "parse_helpers.h"

namespace keepvip::config {
namespace {

using detail::KnownKeyword;
using detail::Support;

using testing::dump;
using testing::parse;

const std::string kVip = " virtual_ipaddress {\n  192.0.2.10\n }\n";

// A configuration with `line` where keepalived expects keyword `k`, on line 4.
std::string place(const KnownKeyword& k, const std::string& line) {
  const std::string instance_head =
      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n";
  if (k.block.empty()) return "\n\n\n" + line + "\n";
  if (k.block == "global_defs") return "global_defs {\n\n\n" + line + "\n}\n";
  if (k.block == "vrrp_instance") return instance_head + line + "\n" + kVip + "}\n";
  if (k.block == "authentication") {
    return "vrrp_instance VI_1 {\n interface eth0\n authentication {\n" + line + "\n }\n" +
           " virtual_router_id 51\n" + kVip + "}\n";
  }
  if (k.block == "vrrp_script") return "vrrp_script s {\n script /bin/true\n\n" + line + "\n}\n";
  return "";  // inside a block keepvip skips whole: not looked at
}

const Diagnostic* about(const ParseResult& r, std::string_view keyword) {
  for (const auto& d : r.diagnostics) {
    if (d.keyword == keyword && d.where.line == 4) return &d;
  }
  return nullptr;
}

TEST(KeepalivedKeywords, EachDoesWhatTheTableSaysWhereKeepalivedExpectsIt) {
  size_t checked = 0;
  for (const KnownKeyword& k : detail::keepalived_keywords()) {
    std::string name(k.name);
    // A value where one is expected; a block for the block keywords.
    // linkbeat_interfaces is read (and checked) before it is accepted unused.
    std::string line = " " + name +
                       (k.support == Support::Skipped   ? " x {\n }"
                        : name == "linkbeat_interfaces" ? " {\n }"
                                                        : " 239.0.0.1");
    std::string text = place(k, line);
    if (text.empty()) continue;
    SCOPED_TRACE(std::string(k.block) + " " + name);
    auto r = parse(text);
    const Diagnostic* d = about(r, name);
    switch (k.support) {
      case Support::Used:
        // Its value may be wrong here; it is never unknown, unused or refused.
        if (d) {
          EXPECT_EQ(d->message.find("unknown keyword"), std::string::npos) << dump(r);
          EXPECT_EQ(d->message.find("accepted, not used"), std::string::npos) << dump(r);
          EXPECT_EQ(d->message.find("not supported"), std::string::npos) << dump(r);
        }
        break;
      case Support::Unused:
        ASSERT_NE(d, nullptr) << dump(r);
        EXPECT_EQ(d->severity, Severity::Warning);
        EXPECT_EQ(d->message.find("accepted, not used by keepvip ("), 0u) << d->message;
        break;
      case Support::Refused:
        ASSERT_NE(d, nullptr) << dump(r);
        EXPECT_EQ(d->severity, Severity::Error);
        EXPECT_NE(d->message.find("not supported by keepvip"), std::string::npos) << d->message;
        break;
      case Support::Skipped:
        ASSERT_NE(d, nullptr) << dump(r);
        EXPECT_EQ(d->severity, Severity::Warning);
        EXPECT_EQ(d->message.find("not handled by keepvip (" + std::string(k.note) + ")"), 0u)
            << d->message;
        break;
    }
    ++checked;
  }
  EXPECT_GT(checked, 230u);
}

TEST(KeepalivedKeywords, KeywordsOfEveryVersionAreKnown) {
  // A sample from each keepalived release line, in the block it belongs to.
  const std::map<std::string, std::vector<std::string>> known = {
      {"global_defs",
       {"vrrp_garp_lower_prio_delay", "lvs_flush_onstop", "vrrp_notify_priority_changes",
        "json_version", "v3_checksum_as_v2", "dbus_no_interface_name", "iproute_etc_dir",
        "state_dump_file", "vrrp_owner_ignore_adverts", "vrrp_delay_after_boot"}},
      {"vrrp_instance",
       {"use_vmac", "kernel_rx_buf_size", "unicast_fault_no_peer", "no_virtual_ipaddress",
        "timer_expired_backup", "thread_timer_expired", "owner_ignore_adverts", "auth_hmac"}},
  };
  for (const auto& [block, names] : known) {
    for (const auto& name : names) {
      EXPECT_NE(detail::find_keepalived_keyword(block, name), nullptr) << block << " " << name;
    }
  }
}

TEST(KeepalivedKeywords, TrackBfdIsRefusedWithTheReason) {
  KnownKeyword instance{"vrrp_instance", "", Support::Used, "", ""};
  auto r = parse(place(instance, " track_bfd {\n  peer\n }"));
  EXPECT_FALSE(r.ok());
  const Diagnostic* d = about(r, "track_bfd");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_NE(d->message.find("keepvip runs no BFD speaker"), std::string::npos) << d->message;
}

TEST(KeepalivedKeywords, MisspeltOnesAreUnknownWithTheClosestSuggested) {
  struct Case {
    std::string block, typo, suggestion;
  } cases[] = {
      {"vrrp_instance", "priorty", "priority"},
      {"vrrp_instance", "use_vmca", "use_vmac"},
      {"vrrp_instance", "no_virtual_ipadress", "no_virtual_ipaddress"},
      {"global_defs", "enable_snmp_vrp", "enable_snmp_vrrp"},
      {"global_defs", "vrrp_garp_master_dealy", "vrrp_garp_master_delay"},
      {"", "vrrp_sync_grup", "vrrp_sync_group"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.typo);
    KnownKeyword where{c.block, c.typo, Support::Used, "", ""};
    auto r = parse(place(where, " " + c.typo + (c.block.empty() ? " x {\n}" : " 1")));
    EXPECT_FALSE(r.ok());
    const Diagnostic* d = about(r, c.typo);
    ASSERT_NE(d, nullptr) << dump(r);
    EXPECT_EQ(d->severity, Severity::Error);
    EXPECT_NE(d->message.find("unknown keyword"), std::string::npos) << d->message;
    EXPECT_NE(d->message.find("did you mean '" + c.suggestion + "'?"), std::string::npos)
        << d->message;
  }
}

TEST(KeepalivedKeywords, AKeywordOfAnotherBlockSaysWhereItBelongs) {
  KnownKeyword instance{"vrrp_instance", "", Support::Used, "", ""};
  auto r = parse(place(instance, " global_tracking"));
  const Diagnostic* d = about(r, "global_tracking");
  ASSERT_NE(d, nullptr) << dump(r);
  EXPECT_NE(d->message.find("'global_tracking' belongs in vrrp_sync_group"), std::string::npos)
      << d->message;

  auto top = parse("\n\n\nreal_server 192.0.2.1 80 {\n}\n");
  d = about(top, "real_server");
  ASSERT_NE(d, nullptr) << dump(top);
  EXPECT_NE(d->message.find("belongs in virtual_server"), std::string::npos) << d->message;
}

// --- the documentation lists the table ----------------------------------------

const char* kBlocks[] = {"",
                         "global_defs",
                         "vrrp_instance",
                         "authentication",
                         "vrrp_script",
                         "vrrp_sync_group",
                         "garp_group",
                         "track_file",
                         "vrrp_track_file",
                         "vrrp_track_process",
                         "track_group",
                         "SSL",
                         "virtual_server",
                         "real_server"};

std::string title(std::string_view block) {
  return block.empty() ? "top level" : std::string(block);
}

// Keywords newer than keepalived 2.2.7 (Debian 12's) say when they came.
std::string named(const KnownKeyword& k, bool markdown) {
  std::string name = markdown ? "`" + std::string(k.name) + "`" : std::string(k.name);
  std::string_view since = k.since;
  bool newer = since.compare(0, 3, "2.2") == 0 ? since > "2.2.7" : since >= "2.3";
  return newer ? name + " (" + std::string(since) + ")" : name;
}

// Groups of one block: "Used", "Refused: why", "Accepted, not used: area", "Skipped: area".
std::vector<std::pair<std::string, std::vector<std::string>>> groups(std::string_view block,
                                                                     bool markdown) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const KnownKeyword& k : detail::keepalived_keywords()) {
    if (k.block != block) continue;
    std::string head;
    switch (k.support) {
      case Support::Used:
        head = "used";
        break;
      case Support::Refused:
        head = "refused, " + std::string(k.note);
        break;
      case Support::Unused:
        head = "accepted, not used (" + std::string(k.note) + ")";
        break;
      case Support::Skipped:
        head = "block skipped (" + std::string(k.note) + ")";
        break;
    }
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == head; });
    if (it == out.end()) {
      out.emplace_back(head, std::vector<std::string>{});
      it = out.end() - 1;
    }
    it->second.push_back(named(k, markdown));
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string render_markdown() {
  std::string out;
  for (const char* block : kBlocks) {
    out += "\n#### " + title(block) + "\n\n";
    for (const auto& [head, names] : groups(block, true)) {
      out += "- " + join(names) + ": " + head + "\n";
    }
  }
  return out;
}

std::string render_roff() {
  std::string out;
  for (const char* block : kBlocks) {
    out += ".TP\n.B " + title(block) + "\n";
    bool first = true;
    for (const auto& [head, names] : groups(block, false)) {
      if (!first) out += ".br\n";
      first = false;
      out += join(names) + ": " + head + "\n";
    }
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text between the two marker lines of `file`; with KEEPVIP_UPDATE_DOCS=1
// in the environment, the file is rewritten with `expected` there instead.
void expect_section(const std::string& file, const std::string& begin, const std::string& end,
                    const std::string& expected) {
  std::string text = read(file);
  size_t from = text.find(begin);
  size_t to = text.find(end);
  ASSERT_NE(from, std::string::npos) << file << " has no line " << begin;
  ASSERT_NE(to, std::string::npos) << file << " has no line " << end;
  from += begin.size();
  std::string actual = text.substr(from, to - from);
  if (actual != expected && std::getenv("KEEPVIP_UPDATE_DOCS")) {
    text.replace(from, to - from, expected);
    std::ofstream(file) << text;
    return;
  }
  EXPECT_EQ(actual, expected) << file
                              << " does not list keepalived_keywords.cpp as it is; run "
                                 "config_test with KEEPVIP_UPDATE_DOCS=1 to rewrite the list";
}

TEST(KeepalivedKeywords, DocumentationListsTheTable) {
  const std::string docs = KEEPVIP_SOURCE_DIR "/docs/";
  expect_section(docs + "keepvip.conf.5.md", "<!-- keepalived keywords: begin -->\n",
                 "<!-- keepalived keywords: end -->", render_markdown() + "\n");
  expect_section(docs + "man/keepvip.conf.5", ".\\\" keepalived keywords: begin\n",
                 ".\\\" keepalived keywords: end", render_roff());
}

}  // namespace
}  // namespace keepvip::config
