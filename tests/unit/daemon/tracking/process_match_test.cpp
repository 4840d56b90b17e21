#include "daemon/tracking/process_match.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

using config::ParamMatch;
using namespace std::string_literals;

config::TrackedProcess spec(std::string process, std::vector<std::string> params = {},
                            ParamMatch match = ParamMatch::None, bool full = false) {
  config::TrackedProcess p;
  p.name = "t";
  p.process = std::move(process);
  p.params = std::move(params);
  // As the parser sets it: parameters mean exact unless said otherwise.
  p.param_match = match == ParamMatch::None && !p.params.empty() ? ParamMatch::Exact : match;
  p.full_command = full || !p.params.empty() || match != ParamMatch::None;
  return p;
}

// keepalived's track_process.c rules, one row each.
struct Row {
  const char* why;
  config::TrackedProcess spec;
  std::string comm;
  std::string cmdline;
  bool matches;
};

TEST(ProcessMatch, KeepalivedRules) {
  const std::vector<Row> rows = {
      {"comm equal", spec("nginx"), "nginx", "nginx: master\0"s, true},
      {"comm is not a pattern (pgrep ssh vs sshd)", spec("ssh"), "sshd", "/usr/sbin/sshd\0"s,
       false},
      {"comm compared, not the command line", spec("nginx"), "worker", "nginx\0"s, false},
      {"full_command: argv[0] equal", spec("/bin/sleep", {}, ParamMatch::None, true), "sleep",
       "/bin/sleep\0"s
       "100\0"s,
       true},
      {"full_command without param_match ignores parameters",
       spec("/bin/sleep", {}, ParamMatch::None, true), "sleep",
       "/bin/sleep\0"s
       "1\0"s
       "2\0"s,
       true},
      {"full_command: a different argv[0]", spec("sleep", {}, ParamMatch::None, true), "sleep",
       "/bin/sleep\0"s
       "100\0"s,
       false},
      {"exact: the same parameters", spec("/bin/sleep", {"100"}), "sleep",
       "/bin/sleep\0"s
       "100\0"s,
       true},
      {"exact: one more parameter", spec("/bin/sleep", {"100"}), "sleep",
       "/bin/sleep\0"s
       "100\0"s
       "x\0"s,
       false},
      {"exact: a longer word", spec("/bin/sleep", {"100"}), "sleep",
       "/bin/sleep\0"s
       "1000\0"s,
       false},
      {"exact with no parameters: none allowed", spec("/bin/sleep", {}, ParamMatch::Exact), "sleep",
       "/bin/sleep\0"s, true},
      {"exact with no parameters: one present", spec("/bin/sleep", {}, ParamMatch::Exact), "sleep",
       "/bin/sleep\0"s
       "5\0"s,
       false},
      {"partial: leading whole words", spec("/bin/sleep", {"100"}, ParamMatch::Partial), "sleep",
       "/bin/sleep\0"s
       "100\0"s
       "x\0"s,
       true},
      {"partial: the last word must be whole", spec("/bin/sleep", {"10"}, ParamMatch::Partial),
       "sleep",
       "/bin/sleep\0"s
       "100\0"s,
       false},
      {"partial: fewer parameters than configured",
       spec("/bin/sleep", {"1", "2"}, ParamMatch::Partial), "sleep",
       "/bin/sleep\0"s
       "1\0"s,
       false},
      {"initial: the last word may be longer", spec("/bin/sleep", {"10"}, ParamMatch::Initial),
       "sleep",
       "/bin/sleep\0"s
       "100\0"s,
       true},
      {"initial: earlier words whole", spec("/bin/x", {"a", "b"}, ParamMatch::Initial), "x",
       "/bin/x\0"s
       "ab\0"s
       "b\0"s,
       false},
      {"initial: the start must agree", spec("/bin/sleep", {"20"}, ParamMatch::Initial), "sleep",
       "/bin/sleep\0"s
       "100\0"s,
       false},
      {"a command line without a NUL", spec("/bin/x", {}, ParamMatch::Exact), "x", "/bin/x", true},
  };
  for (const Row& row : rows)
    EXPECT_EQ(process_matches(row.spec, row.comm, row.cmdline), row.matches) << row.why;
}

}  // namespace
}  // namespace keepvip::daemon
