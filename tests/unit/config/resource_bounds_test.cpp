// The largest configuration the reader accepts (4 MiB over several files),
// written to hurt: long include paths (their name was copied into every
// token), '{' floods, one statement of 500k words, a file of lines, unclosed
// blocks (repaired by copying every token), and include patterns whose {a,b}
// alternatives glob(3) would expand into millions. And keepalived's
// preprocessor turned against it: definitions that double at each level,
// ~SEQ over billions of values, nested repetitions of multi-line
// definitions. `keepvipd --check` and a reload must read either within
// 200 MB and 2 s of CPU, on a loaded machine too.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/parser.h"

namespace keepvip::config {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMiB = size_t{1} << 20;
constexpr long kMaxRssKiB = 200 * 1024;
constexpr double kMaxCpuSeconds = 2.0;

class Bomb {
 public:
  Bomb() {
    std::string pattern = (fs::temp_directory_path() / "keepvip-bomb-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    // ~3800 bytes of path, the most a file name may have.
    fs::path deep = root_;
    for (int i = 0; i < 15; ++i) deep /= std::string(250, 'd');
    fs::create_directories(deep);
    fs::create_directories(root_ / "g");
    std::ofstream(root_ / "g" / "a.conf");
    std::ofstream(root_ / "g" / "b.conf");
    // Each file just under the 1 MiB limit, 4 MiB in all.
    write(deep / "p1.conf", "", "{", kMiB - 64);
    write(deep / "p2.conf", "", "a ", kMiB - 64);
    write(deep / "p3.conf", "", "x\n", kMiB - 64);
    std::string head = "include \"" + (root_ / "g").string() + "/{a,b}";
    for (int i = 0; i < 22; ++i) head += "{,}";
    head += ".conf\"\ninclude \"/nonexistent/";
    for (int i = 0; i < 22; ++i) head += "{a,b}";
    head += "\"\ninclude " + deep.string() + "/p*.conf\n";
    head += "vrrp_instance VI_1 {\n    state MASTER\n";
    write(root_ / "main.conf", head, "    priority 100\n", kMiB - 4096);
  }
  ~Bomb() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  std::string main_file() const { return (root_ / "main.conf").string(); }

 private:
  static void write(const fs::path& path, const std::string& head, const std::string& unit,
                    size_t size) {
    std::string text = head;
    while (text.size() + unit.size() <= size) text += unit;
    std::ofstream(path) << text;
  }
  fs::path root_;
};

struct ChildCost {
  int status = 0;
  long max_rss_kib = 0;
  double cpu_seconds = 0;
};

// Parses in a child process so its peak memory and CPU time are its own.
// The child's address space and CPU are capped well above the bounds, so a
// regression fails the test instead of the machine.
ChildCost parse_in_child(const std::string& path) {
  pid_t pid = fork();
  if (pid == 0) {
    rlimit memory{1024 * kMiB, 1024 * kMiB};
    setrlimit(RLIMIT_AS, &memory);
    rlimit cpu{10, 10};
    setrlimit(RLIMIT_CPU, &cpu);
    alarm(60);
    auto result = parse_file(path);
    _exit(result.ok() ? 2 : 0);  // it must be rejected, with diagnostics
  }
  ChildCost cost;
  rusage usage{};
  if (pid < 0 || wait4(pid, &cost.status, 0, &usage) != pid) return cost;
  cost.max_rss_kib = usage.ru_maxrss;
  cost.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return cost;
}

void expect_rejected_within_bounds(const ChildCost& cost) {
  ASSERT_TRUE(WIFEXITED(cost.status))
      << "the parser died (signal " << (WIFSIGNALED(cost.status) ? WTERMSIG(cost.status) : 0)
      << ") after " << cost.cpu_seconds << " s CPU, " << cost.max_rss_kib / 1024 << " MB";
  EXPECT_EQ(WEXITSTATUS(cost.status), 0) << "the bomb was accepted";
  std::cout << "  peak " << cost.max_rss_kib / 1024 << " MB, " << cost.cpu_seconds << " s CPU\n";
  EXPECT_LT(cost.max_rss_kib, kMaxRssKiB);
  EXPECT_LT(cost.cpu_seconds, kMaxCpuSeconds);
}

// Line-level limits (line length, nesting, empty expansions) report and go
// on; the others stop reading. So each bomb has the first ones, then one
// that stops: the expansion budget spent on 30 KiB lines, the token limit
// reached with expanded tokens (the most memory), or the limit on made
// lines reached with empty ones (the most iterations).
enum class Ending { Budget, Tokens, MadeLines };

std::string expansion_bomb(Ending ending) {
  std::string text = "$W0=" + std::string(60, 'w') + "\n";
  for (int i = 1; i <= 30; ++i) {
    text += "$W" + std::to_string(i) + "=${W" + std::to_string(i - 1) + "} ${W" +
            std::to_string(i - 1) + "}\n";
  }
  text += "router_id $W30\n";  // past the line limit
  text += "$E=\n$D0=${D1}\n";
  for (int i = 1; i < 2000; ++i) {
    text += "$D" + std::to_string(i) + "=${D" + std::to_string(i + 1) + "}\n";
  }
  text += "router_id $D0\n";  // a chain deeper than the nesting limit
  text += "router_id";        // empty values are not free
  for (int i = 0; i < 60000; ++i) text += " $E";
  text += "\n";
  switch (ending) {
    case Ending::Budget:
      text += "~SEQ(I, 1, 2000000000) router_id $W9\n";
      break;
    case Ending::Tokens:
      text += "$M= \\\n";
      for (int i = 0; i < 64; ++i) text += "  a b c d e f g h \\\n";
      text += "  z\n\n~SEQ(A, 1, 100000) ~SEQ(B, 1, 100000) $M\n";
      break;
    case Ending::MadeLines:
      text += "~SEQ(A, 1, 2000000000)\n";
      break;
  }
  return text;
}

TEST(ResourceBounds, PreprocessorBombsStayWithinBounds) {
  for (Ending ending : {Ending::Budget, Ending::Tokens, Ending::MadeLines}) {
    SCOPED_TRACE(static_cast<int>(ending));
    std::string path = (fs::temp_directory_path() / "keepvip-expansion-XXXXXX").string();
    int fd = ::mkstemp(path.data());
    ASSERT_GE(fd, 0);
    ::close(fd);
    std::ofstream(path) << expansion_bomb(ending);
    expect_rejected_within_bounds(parse_in_child(path));
    fs::remove(path);
  }
}

TEST(ResourceBounds, AdversarialFourMiBConfigurationStaysWithinBounds) {
  Bomb bomb;
  expect_rejected_within_bounds(parse_in_child(bomb.main_file()));
}

}  // namespace
}  // namespace keepvip::config
