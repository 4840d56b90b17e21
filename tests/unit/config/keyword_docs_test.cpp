// docs/keepvip.conf.5.md and keepvip.conf(5) list keepalived_keywords.cpp as
// it is: the VRRP side as a table with the test that proves each keyword
// (keyword_proofs.cpp), the LVS side as lists by block. With
// KEEPVIP_UPDATE_DOCS=1 in the environment, the test rewrites both.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/keepalived_keywords.h"
#include "keyword_proofs.h"

namespace keepvip::config {
namespace {

using detail::KnownKeyword;
using detail::Support;
using proofs::vrrp_side;

std::string title(std::string_view block) {
  return block.empty() ? "top level" : std::string(block);
}

// "used", "accepted, not used (area)", "refused (why)", "block skipped (area)".
std::string status(const KnownKeyword& k) {
  switch (k.support) {
    case Support::Used:
      return "used";
    case Support::Unused:
      return "accepted, not used (" + std::string(k.note) + ")";
    case Support::Refused:
      return "refused (" + std::string(k.note) + ")";
    case Support::Skipped:
      return "block skipped (" + std::string(k.note) + ")";
  }
  return "";
}

// "1.3.5" in the table means that version or older.
std::string since(const KnownKeyword& k, std::string_view or_older) {
  return k.since == "1.3.5" ? std::string(or_older) + "1.3.5" : std::string(k.since);
}

std::string proof(const KnownKeyword& k) {
  const proofs::KeywordProof* p = proofs::find_keyword_proof(k.block, k.name);
  return p ? std::string(p->test) : "";
}

// --- the VRRP side: one table ---------------------------------------------------

std::string markdown_cell(std::string text) {
  for (size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 2)) {
    text.insert(at, "\\");
  }
  return text;
}

std::string vrrp_markdown() {
  std::string out =
      "\n### VRRP side\n\n"
      "| keyword | block | since | status | proving test |\n"
      "|---|---|---|---|---|\n";
  for (const KnownKeyword& k : detail::keepalived_keywords()) {
    if (!vrrp_side(k)) continue;
    out += "| `" + std::string(k.name) + "` | " + title(k.block) + " | " + since(k, "≤") + " | " +
           markdown_cell(status(k)) + " | `" + proof(k) + "` |\n";
  }
  return out;
}

// A test name may break after "::", "." and "_" on a narrow terminal, and is
// never hyphenated: it stays what one types to run the test.
std::string roff_test_name(const std::string& test) {
  std::string out = "\\%";
  for (size_t i = 0; i < test.size(); ++i) {
    out += test[i];
    bool after_colons = test[i] == ':' && i > 0 && test[i - 1] == ':';
    if (test[i] == '.' || test[i] == '_' || after_colons) out += "\\:";
  }
  return out;
}

// tbl would need the longest test name as a column: a .TP entry per keyword,
// left-aligned (.na), since a long test name leaves too little to spread a line.
std::string vrrp_roff() {
  std::string out = ".SS \"VRRP side\"\n.na\n";
  for (const KnownKeyword& k : detail::keepalived_keywords()) {
    if (!vrrp_side(k)) continue;
    out += ".TP\n.B " + std::string(k.name) + "\n" + title(k.block) + ", since keepalived " +
           since(k, "\\(<=") + ": " + status(k) + ".\n.br\nProved by " + roff_test_name(proof(k)) +
           "\n";
  }
  return out + ".ad\n";
}

// --- the LVS side: lists by block ------------------------------------------------

const char* kBlocks[] = {"",
                         "global_defs",
                         "vrrp_instance",
                         "unicast_peer",
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

// Keywords newer than keepalived 2.2.7 (Debian 12's) say when they came.
std::string named(const KnownKeyword& k, bool markdown) {
  std::string name = markdown ? "`" + std::string(k.name) + "`" : std::string(k.name);
  std::string_view since = k.since;
  bool newer = since.compare(0, 3, "2.2") == 0 ? since > "2.2.7" : since >= "2.3";
  return newer ? name + " (" + std::string(since) + ")" : name;
}

// The LVS-side keywords of one block, grouped by status.
std::vector<std::pair<std::string, std::vector<std::string>>> lvs_groups(std::string_view block,
                                                                         bool markdown) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const KnownKeyword& k : detail::keepalived_keywords()) {
    if (k.block != block || vrrp_side(k)) continue;
    std::string head = status(k);
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

std::string lvs_markdown() {
  std::string out = "\n### LVS side\n";
  for (const char* block : kBlocks) {
    auto groups = lvs_groups(block, true);
    if (groups.empty()) continue;
    out += "\n#### " + title(block) + "\n\n";
    for (const auto& [head, names] : groups) out += "- " + join(names) + ": " + head + "\n";
  }
  return out;
}

std::string lvs_roff() {
  std::string out = ".SS \"LVS side\"\n";
  for (const char* block : kBlocks) {
    auto groups = lvs_groups(block, false);
    if (groups.empty()) continue;
    out += ".TP\n.B " + title(block) + "\n";
    bool first = true;
    for (const auto& [head, names] : groups) {
      if (!first) out += ".br\n";
      first = false;
      out += join(names) + ": " + head + "\n";
    }
  }
  return out;
}

// --- the files -------------------------------------------------------------------

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
                              << " does not list keepalived_keywords.cpp and keyword_proofs.cpp "
                                 "as they are; run config_test with KEEPVIP_UPDATE_DOCS=1 to "
                                 "rewrite the list";
}

TEST(KeepalivedKeywords, DocumentationListsTheTable) {
  const std::string docs = KEEPVIP_SOURCE_DIR "/docs/";
  expect_section(docs + "keepvip.conf.5.md", "<!-- keepalived keywords: begin -->\n",
                 "<!-- keepalived keywords: end -->", vrrp_markdown() + lvs_markdown() + "\n");
  expect_section(docs + "man/keepvip.conf.5", ".\\\" keepalived keywords: begin\n",
                 ".\\\" keepalived keywords: end", vrrp_roff() + lvs_roff());
}

}  // namespace
}  // namespace keepvip::config
