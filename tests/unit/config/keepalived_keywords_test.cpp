// keepalived's keywords (1.3.5 to 2.4): each one in the table does what the
// table says where keepalived expects it, none is an unknown keyword, a
// misspelt one is, with a suggestion (keyword_docs_test.cpp: the documentation
// lists the table as it is).
#include "config/keepalived_keywords.h"

#include <gtest/gtest.h>

#include <map>
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

// The keywords of a block keepvip skips whole (vrrp_sync_group, garp_group,
// track_group, the LVS blocks) are never looked at: the block's one warning
// is all a configuration with them gets.
TEST(KeepalivedKeywords, EveryKeywordOfASkippedBlockGoesWithIt) {
  size_t checked = 0;
  for (const KnownKeyword& k : detail::keepalived_keywords()) {
    const KnownKeyword* opener = detail::find_keepalived_keyword("", k.block);
    if (k.block.empty() || !opener || opener->support != Support::Skipped) continue;
    SCOPED_TRACE(std::string(k.block) + " " + std::string(k.name));
    auto r = parse("\n\n\n" + std::string(k.block) + " x {\n " + std::string(k.name) +
                   " 239.0.0.1\n}\n");
    ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
    const Diagnostic& d = r.diagnostics[0];
    EXPECT_EQ(d.keyword, k.block) << dump(r);
    EXPECT_EQ(d.where.line, 4) << dump(r);
    EXPECT_EQ(d.severity, Severity::Warning);
    EXPECT_EQ(d.message.find("not handled by keepvip (" + std::string(opener->note) + ")"), 0u)
        << d.message;
    ++checked;
  }
  EXPECT_GT(checked, 20u);
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

}  // namespace
}  // namespace keepvip::config
