#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <utility>

#include "common/fd.h"

namespace keepvip {
namespace {

bool is_open(int fd) {
  return ::fcntl(fd, F_GETFD) != -1;
}

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) == 0) {
      read_end = fds[0];
      write_end = fds[1];
    }
  }
};

TEST(UniqueFd, ClosesOnDestruction) {
  Pipe p;
  ASSERT_GE(p.read_end, 0);
  { UniqueFd owner(p.read_end); }
  EXPECT_FALSE(is_open(p.read_end));
  ::close(p.write_end);
}

TEST(UniqueFd, MoveTransfersOwnershipOnce) {
  Pipe p;
  ASSERT_GE(p.read_end, 0);
  UniqueFd a(p.read_end);
  UniqueFd b(std::move(a));
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(b.get(), p.read_end);
  UniqueFd c;
  c = std::move(b);
  EXPECT_TRUE(is_open(p.read_end));
  c.reset();
  EXPECT_FALSE(is_open(p.read_end));
  ::close(p.write_end);
}

TEST(UniqueFd, MoveAssignmentClosesThePreviousFd) {
  Pipe p;
  ASSERT_GE(p.read_end, 0);
  UniqueFd reader(p.read_end);
  UniqueFd writer(p.write_end);
  reader = std::move(writer);
  EXPECT_FALSE(is_open(p.read_end));
  EXPECT_EQ(reader.get(), p.write_end);
}

TEST(UniqueFd, ReleaseKeepsTheFdOpen) {
  Pipe p;
  ASSERT_GE(p.read_end, 0);
  int fd = -1;
  {
    UniqueFd owner(p.read_end);
    fd = owner.release();
  }
  EXPECT_TRUE(is_open(fd));
  ::close(fd);
  ::close(p.write_end);
}

}  // namespace
}  // namespace keepvip
