// inspect_program() on a real temporary tree, with owners and modes set per
// case: keepalived's check_script_secure() rules, plus the symbolic links on
// the way. Changing owners needs root; every case here runs as root in CI.
#include "config/program_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace keepvip::config {
namespace {

const Account kRoot{"root", 0, 0};
const Account kNobody{"nobody", 65534, 65534};

class ProgramCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give files other owners";
    char dir_template[] = "/tmp/keepvip-program-check-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    // mkdtemp's 0700 would hide everything from the non-root cases.
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string dir(const std::string& name, mode_t mode = 0755) {
    std::string path = dir_ + "/" + name;
    EXPECT_EQ(mkdir(path.c_str(), mode), 0) << path;
    EXPECT_EQ(chmod(path.c_str(), mode), 0);  // past the umask
    return path;
  }
  std::string file(const std::string& name, mode_t mode = 0755) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\nexit 0\n";
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    return path;
  }
  std::string link(const std::string& name, const std::string& target) {
    std::string path = dir_ + "/" + name;
    EXPECT_EQ(symlink(target.c_str(), path.c_str()), 0);
    return path;
  }
  ProgramReport inspect(const std::string& word, const Account& as = kRoot) {
    return inspect_program(word, as, "/nonexistent", dir_);
  }
  std::string dir_;
};

TEST_F(ProgramCheck, ARootScriptOnARootPathIsSafe) {
  dir("bin");
  std::string path = file("bin/check");
  auto r = inspect(path);
  EXPECT_EQ(r.unusable, "");
  EXPECT_EQ(r.program, path);
  EXPECT_FALSE(r.found_in_path);
  EXPECT_TRUE(r.runs_as_root);
  EXPECT_EQ(r.unsafe, "");
}

TEST_F(ProgramCheck, AFileWithoutShebangNeedsAShellABinaryOrAShebangDoesNot) {
  EXPECT_FALSE(inspect(file("with-shebang")).needs_shell);
  std::string plain = dir_ + "/plain";
  std::ofstream(plain) << "exit 0\n";
  ASSERT_EQ(chmod(plain.c_str(), 0755), 0);
  EXPECT_TRUE(inspect(plain).needs_shell);
  std::string binary = dir_ + "/binary";
  std::filesystem::copy_file("/bin/true", binary);
  ASSERT_EQ(chmod(binary.c_str(), 0755), 0);
  EXPECT_FALSE(inspect(binary).needs_shell);
}

TEST_F(ProgramCheck, AFileEveryoneMayWriteIsUnsafe) {
  std::string path = file("check", 0757);
  EXPECT_EQ(inspect(path).unsafe, path + " is writable by every user");
}

TEST_F(ProgramCheck, AFileOwnedByAUserIsUnsafe) {
  std::string path = file("check");
  ASSERT_EQ(chown(path.c_str(), 1000, 0), 0);
  EXPECT_TRUE(inspect(path).unsafe.starts_with(path + " is owned by uid 1000"))
      << inspect(path).unsafe;
}

TEST_F(ProgramCheck, ADirectoryANonRootGroupMayWriteIsUnsafe) {
  std::string bin = dir("bin", 0775);
  ASSERT_EQ(chown(bin.c_str(), 0, 100), 0);
  EXPECT_EQ(inspect(file("bin/check")).unsafe, bin + " is writable by group gid 100");
}

TEST_F(ProgramCheck, WritableByTheRootGroupIsSafe) {
  dir("bin", 0775);
  EXPECT_EQ(inspect(file("bin/check", 0775)).unsafe, "");
}

// Like /tmp: with the sticky bit only an entry's owner may replace it.
TEST_F(ProgramCheck, AStickyDirectoryEveryoneMayWriteIsSafe) {
  dir("spool", 01777);
  EXPECT_EQ(inspect(file("spool/check")).unsafe, "");
}

TEST_F(ProgramCheck, ADirectoryHigherUpCounts) {
  std::string top = dir("top");
  dir("top/bin");
  ASSERT_EQ(chown(top.c_str(), 1000, 1000), 0);
  EXPECT_TRUE(inspect(file("top/bin/check")).unsafe.starts_with(top + " is owned by uid 1000"));
}

TEST_F(ProgramCheck, ASymlinkOwnedByAUserIsUnsafe) {
  std::string target = file("check");
  std::string via = link("via", target);
  ASSERT_EQ(lchown(via.c_str(), 1000, 1000), 0);
  auto r = inspect(via);
  EXPECT_EQ(r.program, via);
  EXPECT_TRUE(r.unsafe.starts_with(via + " is owned by uid 1000")) << r.unsafe;
}

// The path as written is safe; the directory the link leads to is not.
TEST_F(ProgramCheck, TheTargetOfASymlinkIsCheckedToo) {
  std::string open_dir = dir("open", 0777);
  file("open/check");
  dir("bin");
  std::string via = link("bin/check", "../open/check");
  auto r = inspect(via);
  EXPECT_EQ(r.program, via);
  EXPECT_EQ(r.unsafe, open_dir + " is writable by every user");
}

TEST_F(ProgramCheck, AScriptRunByAnotherUserNeedsNoProtection) {
  auto r = inspect(file("check", 0757), kNobody);
  EXPECT_EQ(r.unusable, "");
  EXPECT_FALSE(r.runs_as_root);
  EXPECT_EQ(r.unsafe, "");
}

TEST_F(ProgramCheck, ASetUserIdRootProgramRunsAsRootWhoeverStartsIt) {
  std::string path = file("check", 04757);
  auto r = inspect(path, kNobody);
  EXPECT_TRUE(r.runs_as_root);
  EXPECT_EQ(r.unsafe, path + " is writable by every user");
}

TEST_F(ProgramCheck, ABareNameIsLookedUpInPath) {
  std::string first = dir("first");
  std::string second = dir("second");
  file("first/check", 0644);  // not executable: skipped, as execvp() would
  std::string found = file("second/check");
  auto r = inspect_program("check", kRoot, first + ":" + second, dir_);
  EXPECT_EQ(r.unusable, "");
  EXPECT_TRUE(r.found_in_path);
  EXPECT_EQ(r.program, found);
}

TEST_F(ProgramCheck, ABareNameNotInPathIsUnusable) {
  auto r = inspect_program("kv-no-such-program", kRoot, dir_, dir_);
  EXPECT_EQ(r.program, "");
  EXPECT_EQ(r.unusable, "'kv-no-such-program' is not in PATH (" + dir_ + ")");
}

TEST_F(ProgramCheck, AMissingFileIsUnusable) {
  EXPECT_EQ(inspect(dir_ + "/missing").unusable,
            "cannot be reached: " + dir_ + "/missing: No such file or directory");
}

TEST_F(ProgramCheck, AFileTheAccountMayNotRunIsUnusable) {
  std::string path = file("check", 0744);
  EXPECT_EQ(inspect(path, kNobody).unusable,
            path + " is not executable by nobody (uid:gid 65534:65534)");
  EXPECT_EQ(inspect(path).unusable, "") << "root may run it";
}

TEST_F(ProgramCheck, ADirectoryTheAccountMayNotEnterMakesItUnusable) {
  std::string closed = dir("closed", 0700);
  std::string path = file("closed/check");
  EXPECT_EQ(inspect(path, kNobody).unusable,
            "cannot be reached: " + closed + " is not searchable by nobody");
}

TEST_F(ProgramCheck, ADirectoryIsNotAProgram) {
  std::string path = dir("bin");
  EXPECT_EQ(inspect(path).unusable, path + " is not a regular file");
}

TEST_F(ProgramCheck, ARelativePathStartsFromTheCurrentDirectory) {
  dir("bin");
  std::string path = file("bin/check");
  auto r = inspect("./bin/../bin/check");
  EXPECT_EQ(r.unusable, "");
  EXPECT_EQ(r.program, dir_ + "/./bin/../bin/check");
  EXPECT_EQ(r.unsafe, "");
}

}  // namespace
}  // namespace keepvip::config
