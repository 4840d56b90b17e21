// include: relative to the including file, globs, loops, missing files.
#include "config/include.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/parser.h"
#include "memory_files.h"

namespace keepvip::config {
namespace {

namespace fs = std::filesystem;

std::string dump(const ParseResult& r) {
  std::string all;
  for (const auto& d : r.diagnostics) all += d.to_string() + "\n";
  return all;
}

std::string instance(const std::string& name, int vrid) {
  return "vrrp_instance " + name + " {\n  interface eth0\n  virtual_router_id " +
         std::to_string(vrid) + "\n  virtual_ipaddress {\n    192.0.2." + std::to_string(vrid) +
         "\n  }\n}\n";
}

// A scratch directory on the real file system, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "keepvip-config-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  void write(const std::string& relative, const std::string& content) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative) << content;
  }
  std::string operator/(const std::string& relative) const { return (path_ / relative).string(); }

 private:
  fs::path path_;
};

TEST(Include, RelativePathsAndGlobsResolveAgainstTheIncludingFile) {
  TempDir dir;
  dir.write("etc/keepvip.conf", "include conf.d/*.conf\ninclude scripts/chk.conf\n");
  dir.write("etc/conf.d/20-b.conf", instance("VI_B", 20));
  dir.write("etc/conf.d/10-a.conf", instance("VI_A", 10) + "include ../more/c.inc\n");
  dir.write("etc/conf.d/notes.txt", "this is not a config file {");
  dir.write("etc/more/c.inc", instance("VI_C", 30));
  dir.write("etc/scripts/chk.conf", "vrrp_script chk {\n  script /bin/true\n}\n");
  // Run from elsewhere: paths must not depend on the working directory.
  auto result = parse_file(dir / "etc/keepvip.conf");
  ASSERT_TRUE(result.ok()) << dump(result);
  const Config& c = *result.config;
  ASSERT_EQ(c.instances.size(), 3u);
  EXPECT_EQ(c.instances[0].name, "VI_A");  // glob results in sorted order
  EXPECT_EQ(c.instances[1].name, "VI_C");  // nested include, in place
  EXPECT_EQ(c.instances[2].name, "VI_B");
  EXPECT_EQ(c.instances[2].where.file.str(), dir / "etc/conf.d/20-b.conf");
  EXPECT_EQ(c.scripts.count("chk"), 1u);
  EXPECT_EQ(c.files.size(), 5u);
}

TEST(Include, MayStandInsideABlock) {
  testing::MemoryFiles files;
  files.add("/etc/keepvip/vips.inc", "192.0.2.10\n192.0.2.11/24\n");
  auto result = parse_text(
      "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n  virtual_ipaddress {\n"
      "    include vips.inc\n  }\n}\n",
      "/etc/keepvip/keepvip.conf", {}, files);
  ASSERT_TRUE(result.ok()) << dump(result);
  EXPECT_EQ(result.config->instances[0].virtual_addresses.size(), 2u);
}

TEST(Include, MissingFileIsAnErrorButAnEmptyGlobOnlyWarns) {
  testing::MemoryFiles files;
  auto result = parse_text("include conf.d/*.conf\ninclude other.conf\n" + instance("VI_1", 1),
                           "/etc/k.conf", {}, files);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 2u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].severity, Severity::Warning);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            "/etc/k.conf:1:1: warning: include: no file matches '/etc/conf.d/*.conf'");
  EXPECT_EQ(result.diagnostics[1].to_string(),
            "/etc/k.conf:2:1: error: include: file not found: '/etc/other.conf'");
}

TEST(Include, LoopIsAnErrorAtTheIncludeThatClosesIt) {
  testing::MemoryFiles files;
  files.add("/etc/a.conf", instance("VI_1", 1) + "include b.conf\n");
  files.add("/etc/b.conf", "\ninclude a.conf\n");
  auto result = parse_file("/etc/a.conf", {}, files);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            "/etc/b.conf:2:1: error: include: include loop: /etc/a.conf -> /etc/b.conf -> "
            "/etc/a.conf");
}

TEST(Include, SelfIncludeThroughAGlobIsALoop) {
  testing::MemoryFiles files;
  files.add("/etc/k/a.conf", instance("VI_1", 1) + "include *.conf\n");
  auto result = parse_file("/etc/k/a.conf", {}, files);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u) << dump(result);
  EXPECT_NE(result.diagnostics[0].message.find("include loop"), std::string::npos);
}

TEST(Include, DepthIsBounded) {
  testing::MemoryFiles files;
  // A chain of distinct files deeper than the limit: no loop, but refused.
  for (int i = 0; i < 20; ++i) {
    files.add("/c/" + std::to_string(i) + ".conf", "include " + std::to_string(i + 1) + ".conf\n");
  }
  auto result = parse_file("/c/0.conf", {}, files);
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u) << dump(result);
  EXPECT_NE(result.diagnostics[0].message.find("nested deeper than 8 levels"), std::string::npos);
}

TEST(Include, DiagnosticsOfAnIncludedFileSortAtTheIncludeAndNameThatFile) {
  testing::MemoryFiles files;
  files.add("/etc/inc.conf", "\n\nbogus_keyword\n");
  auto result = parse_text("frob_a\ninclude inc.conf\nfrob_b\n", "/etc/main.conf", {}, files);
  ASSERT_EQ(result.diagnostics.size(), 3u) << dump(result);
  EXPECT_EQ(result.diagnostics[0].where.to_string(), "/etc/main.conf:1:1");
  EXPECT_EQ(result.diagnostics[1].where.to_string(), "/etc/inc.conf:3:1");
  EXPECT_EQ(result.diagnostics[2].where.to_string(), "/etc/main.conf:3:1");
}

TEST(Include, BraceExpansionIsCountedWithoutExpanding) {
  using detail::brace_expansion_count;
  EXPECT_EQ(brace_expansion_count("conf.d/*.conf", 256), 1u);
  EXPECT_EQ(brace_expansion_count("{a,b}.conf", 256), 2u);
  EXPECT_EQ(brace_expansion_count("{a,b}{c,d,e}", 256), 6u);
  EXPECT_EQ(brace_expansion_count("{a,{b,c}}{,x}", 256), 6u);
  EXPECT_EQ(brace_expansion_count("{a,b", 256), 1u);     // no '}': literal, as glob takes it
  EXPECT_EQ(brace_expansion_count("\\{a,b}", 256), 1u);  // escaped
  std::string bomb;
  for (int i = 0; i < 40; ++i) bomb += "{a,b}";
  EXPECT_EQ(brace_expansion_count(bomb, 256), 257u);  // saturates instead of overflowing
  // A whole line of braces: counted in linear time, never deeper than 32.
  EXPECT_EQ(brace_expansion_count(std::string(500000, '{') + std::string(500000, '}'), 256), 257u);
}

// glob(3) makes every combination before matching any: 2^22 patterns took
// seconds and hundreds of MB before a single file was read.
TEST(Include, TooManyBraceAlternativesAreAnErrorAtTheInclude) {
  TempDir dir;
  dir.write("a.conf", instance("VI_A", 10));
  dir.write("b.conf", instance("VI_B", 20));
  std::string pattern = "\"" + dir / "{a,b}";
  for (int i = 0; i < 22; ++i) pattern += "{,}";
  pattern += ".conf\"";
  auto r = parse_text("global_defs {\n}\n  include " + pattern + "\n", "main.conf");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_NE(r.diagnostics[0].to_string().find(
                "main.conf:3:3: error: include: '{a,b}' alternatives make more than 256 patterns"),
            std::string::npos)
      << dump(r);
  // A handful of alternatives is fine.
  auto fine = parse_text("include \"" + dir / "{a,b}.conf\"\n", "main.conf");
  EXPECT_TRUE(fine.ok()) << dump(fine);
  EXPECT_EQ(fine.config->instances.size(), 2u);
}

TEST(Include, TokenCountIsBounded) {
  testing::MemoryFiles files;
  files.add("/etc/more.conf", "a b c\nd e f\n");
  detail::DiagnosticSink diags;
  detail::SourceLimits limits;
  limits.max_tokens = 6;
  auto source =
      detail::load_source("x\ninclude /etc/more.conf\ny\n", "main.conf", files, diags, limits);
  EXPECT_LE(source.tokens.size(), 6u);
  auto all = diags.take_sorted();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].to_string(),
            "/etc/more.conf:2:1: error: more than 6 words, braces and lines in the "
            "configuration; the rest is not read");
}

// Every token carries its file's name: shared, not copied, so a long include
// path does not multiply the memory a token costs.
TEST(Include, TokensShareTheirFilesName) {
  testing::MemoryFiles files;
  std::string dir = "/" + std::string(3000, 'd');
  files.add(dir + "/x.conf", "a b c d\n{ }\n");
  detail::DiagnosticSink diags;
  auto source = detail::load_source("include " + dir + "/x.conf\n", "main.conf", files, diags);
  ASSERT_GE(source.tokens.size(), 6u);
  for (const auto& token : source.tokens) {
    EXPECT_EQ(token.where.file, dir + "/x.conf");
    EXPECT_EQ(&token.where.file.str(), &source.tokens[0].where.file.str());
  }
}

TEST(Include, UnreadableMainFileIsAnError) {
  auto result = parse_file("/nonexistent/keepvip.conf");
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].message.find("cannot read configuration"), std::string::npos);
}

TEST(Include, StricterVariantsAsInKeepalived) {
  TempDir dir;
  dir.write("a.conf", instance("VI_A", 10));
  dir.write("main.conf",
            "includer a.conf\n"             // as include
            "includem a.*\n"                // as include
            "include none-*.conf\n"         // no match: a warning
            "includew none-*.conf\n"        // no match: an error
            "includeb {a,b}.conf\n"         // b.conf missing: an error
            "includea {a,none-*}.conf\n");  // the second alternative matches nothing
  auto r = parse_file(dir / "main.conf");
  EXPECT_FALSE(r.ok());
  std::vector<std::string> got;
  std::vector<Diagnostic> in_main;
  for (const auto& d : r.diagnostics) {
    // a.conf, read four times, clashes with itself: not what is tested here.
    if (d.where.file != dir / "main.conf") continue;
    in_main.push_back(d);
    got.push_back(std::to_string(d.where.line) + " " +
                  (d.severity == Severity::Error ? "error " : "warning ") + d.keyword);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"3 warning include", "4 error includew",
                                           "5 error includeb", "6 error includea"}))
      << dump(r);
  ASSERT_EQ(in_main.size(), 4u);
  EXPECT_NE(in_main[2].message.find("b.conf', one of the alternatives"), std::string::npos)
      << dump(r);
}

TEST(Include, EveryAlternativeMatchingReadsEachOnce) {
  TempDir dir;
  dir.write("a.conf", instance("VI_A", 10));
  dir.write("b.conf", instance("VI_B", 20));
  dir.write("main.conf", "includea {a,b,a}.conf\n");
  auto r = parse_file(dir / "main.conf");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.config->instances.size(), 2u);
  EXPECT_EQ(r.config->instances[0].name, "VI_A");
  EXPECT_EQ(r.config->instances[1].name, "VI_B");
}

}  // namespace
}  // namespace keepvip::config
