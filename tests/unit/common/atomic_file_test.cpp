// Files are replaced whole: a reader sees the old content or the new one,
// never a temp file, and the mode asked for whatever the umask says.
#include "common/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace keepvip {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/keepvip-atomic-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    return names;
  }
  std::string read_text(const std::string& path) const {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string dir_;
};

TEST_F(AtomicFileTest, LeavesNoTempFileAndKeepsTheMode) {
  mode_t old_umask = umask(077);
  ASSERT_TRUE(write_file_atomically(dir_ + "/stats", "counters\n", 0644).has_value());
  ASSERT_TRUE(write_file_atomically(dir_ + "/stats", "more counters\n", 0644).has_value());
  umask(old_umask);
  EXPECT_EQ(entries(), std::vector<std::string>{"stats"});
  EXPECT_EQ(read_text(dir_ + "/stats"), "more counters\n");
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/stats").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(AtomicFileTest, AFailedWriteLeavesTheOldFileAndNoTempFile) {
  ASSERT_TRUE(write_file_atomically(dir_ + "/state", "old\n", 0600).has_value());
  // A directory stands at the target name: rename() does not put a file
  // in its place, so the write fails after the temp file was written.
  fs::create_directory(dir_ + "/busy");
  EXPECT_FALSE(write_file_atomically(dir_ + "/busy", "new\n", 0600).has_value());
  EXPECT_EQ(read_text(dir_ + "/state"), "old\n");
  auto names = entries();
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"busy", "state"}));
}

}  // namespace
}  // namespace keepvip
