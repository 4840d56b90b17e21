// The runtime directory is trusted by --release (it removes what the state
// file names, as root): nothing in it may be written or read through a
// symlink, and a directory others could write into is refused.
#include "daemon/publish/runtime_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/publish/state_file.h"

namespace keepvip::daemon {
namespace {

namespace fs = std::filesystem;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RuntimeFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/keepvip-runtime-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    base_ = dir_template;
    dir_ = base_ + "/run";
    ASSERT_EQ(mkdir(dir_.c_str(), 0750), 0);
    victim_ = base_ + "/victim";
    std::ofstream(victim_) << "precious\n";
  }
  void TearDown() override { fs::remove_all(base_); }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string base_, dir_, victim_;
};

TEST_F(RuntimeFilesTest, StateFileIsNotWrittenThroughALinkAtTheTempName) {
  // The name the state file's temp file used to have, predictable to anyone.
  fs::create_symlink(victim_, dir_ + "/state.tmp");
  ASSERT_TRUE(write_state_file(dir_, {}).has_value());
  EXPECT_EQ(read_text(victim_), "precious\n");
  EXPECT_EQ(read_text(dir_ + "/state"), format_state({}));
}

TEST_F(RuntimeFilesTest, ALinkAtTheFinalNameIsReplacedNotFollowed) {
  fs::create_symlink(victim_, dir_ + "/state");
  ASSERT_TRUE(write_state_file(dir_, {}).has_value());
  EXPECT_EQ(read_text(victim_), "precious\n");
  EXPECT_FALSE(fs::is_symlink(dir_ + "/state"));
  struct stat st {};
  ASSERT_EQ(lstat((dir_ + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(RuntimeFilesTest, PidFileIsNotWrittenThroughALink) {
  fs::create_symlink(victim_, pid_file_path(dir_));
  ASSERT_TRUE(write_pid_file(dir_).has_value());
  EXPECT_EQ(read_text(victim_), "precious\n");
  EXPECT_EQ(read_text(pid_file_path(dir_)), std::to_string(getpid()) + "\n");
}

TEST_F(RuntimeFilesTest, APidFileThatIsALinkNamesNoAgent) {
  // Our own pid would count as a running keepvipd only under that name; a
  // link must not even be read.
  std::ofstream(victim_) << getpid() << "\n";
  fs::create_symlink(victim_, pid_file_path(dir_));
  auto read = read_own_file(pid_file_path(dir_), 64);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().errnum, ELOOP);
  EXPECT_FALSE(running_agent(dir_).has_value());
}

TEST_F(RuntimeFilesTest, OwnDirectoryIsAccepted) {
  EXPECT_TRUE(check_runtime_dir(dir_).has_value());
  std::string fresh = base_ + "/fresh";
  ASSERT_TRUE(prepare_runtime_dir(fresh).has_value());
  struct stat st {};
  ASSERT_EQ(stat(fresh.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0750u);
}

TEST_F(RuntimeFilesTest, WorldWritableDirectoryIsRefused) {
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  auto r = prepare_runtime_dir(dir_);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().context.find("0777"), std::string::npos) << r.error().describe();
  ASSERT_EQ(chmod(dir_.c_str(), 0770), 0);
  EXPECT_FALSE(check_runtime_dir(dir_).has_value());
}

TEST_F(RuntimeFilesTest, SymlinkedDirectoryIsRefused) {
  std::string link = base_ + "/link";
  fs::create_symlink(dir_, link);
  auto r = prepare_runtime_dir(link);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().context.find("symlink"), std::string::npos) << r.error().describe();
}

TEST_F(RuntimeFilesTest, DirectoryOfAnotherOwnerIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  ASSERT_EQ(chown(dir_.c_str(), 65534, 65534), 0);
  auto r = check_runtime_dir(dir_);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().context.find("owned by uid 65534"), std::string::npos)
      << r.error().describe();
}

TEST_F(RuntimeFilesTest, FileOfAnotherOwnerIsNotRead) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  std::string state = dir_ + "/state";
  std::ofstream(state) << format_state({});
  ASSERT_EQ(chown(state.c_str(), 65534, 65534), 0);
  EXPECT_FALSE(read_own_file(state, 1 << 20).has_value());
}

}  // namespace
}  // namespace keepvip::daemon
