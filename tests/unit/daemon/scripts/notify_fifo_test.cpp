// The notify FIFO: keepalived's line format, the FIFO created as keepalived
// creates it, writes that never block without a reader, and order kept.
#include "daemon/scripts/notify_fifo.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace keepvip::daemon {
namespace {

TEST(NotifyFifoLine, IsKeepalivedsInstanceLine) {
  EXPECT_EQ(notify_fifo_line("VI_1", to_string(NotifyState::Master), 100),
            "INSTANCE \"VI_1\" MASTER 100\n");
  EXPECT_EQ(notify_fifo_line("VI_1", to_string(NotifyState::Backup), 90),
            "INSTANCE \"VI_1\" BACKUP 90\n");
  EXPECT_EQ(notify_fifo_line("web", to_string(NotifyState::Fault), 1),
            "INSTANCE \"web\" FAULT 1\n");
  EXPECT_EQ(notify_fifo_line("web", to_string(NotifyState::Stop), 0), "INSTANCE \"web\" STOP 0\n");
  EXPECT_EQ(notify_fifo_line("web", to_string(NotifyState::Deleted), 90),
            "INSTANCE \"web\" DELETED 90\n");
}

// vrrp_notify.c's event words, in the state's place.
TEST(NotifyFifoLine, NamesKeepalivedsEvents) {
  EXPECT_EQ(notify_fifo_line("VI_1", to_string(InstanceEvent::MasterRxLowerPri), 100),
            "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n");
  EXPECT_EQ(notify_fifo_line("VI_1", to_string(InstanceEvent::MasterPriority), 80),
            "INSTANCE \"VI_1\" MASTER_PRIORITY 80\n");
  EXPECT_EQ(notify_fifo_line("VI_1", to_string(InstanceEvent::BackupPriority), 70),
            "INSTANCE \"VI_1\" BACKUP_PRIORITY 70\n");
}

class NotifyFifoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/keepvip-fifo-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    fifo_.path = dir_ + "/fifo";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string read_all(int fd) {
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, n);
    return out;
  }
  std::string dir_;
  config::NotifyFifo fifo_;
};

TEST_F(NotifyFifoTest, CreatesAMissingFifoMode0644AndRemovesItAfter) {
  {
    auto f = NotifyFifo::open(nullptr, fifo_, "notify_fifo");
    ASSERT_TRUE(f.has_value()) << f.error().describe();
    struct stat st {};
    ASSERT_EQ(::stat(fifo_.path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0644u);
  }
  EXPECT_FALSE(std::filesystem::exists(fifo_.path));
}

TEST_F(NotifyFifoTest, AnExistingFifoIsUsedAndLeftInPlace) {
  ASSERT_EQ(::mkfifo(fifo_.path.c_str(), 0600), 0);
  { ASSERT_TRUE(NotifyFifo::open(nullptr, fifo_, "notify_fifo").has_value()); }
  EXPECT_TRUE(std::filesystem::exists(fifo_.path));
}

TEST_F(NotifyFifoTest, ARegularFileIsRefused) {
  {
    std::FILE* f = std::fopen(fifo_.path.c_str(), "w");
    std::fclose(f);
  }
  EXPECT_FALSE(NotifyFifo::open(nullptr, fifo_, "notify_fifo").has_value());
}

TEST_F(NotifyFifoTest, WritesWithoutAReaderNeverBlockAndKeepOrder) {
  auto f = NotifyFifo::open(nullptr, fifo_, "notify_fifo");
  ASSERT_TRUE(f.has_value());
  // No reader yet: lines wait in the pipe.
  (*f)->write(notify_fifo_line("VI_1", to_string(NotifyState::Backup), 100));
  (*f)->write(notify_fifo_line("VI_1", to_string(NotifyState::Master), 100));
  int reader = ::open(fifo_.path.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  EXPECT_EQ(read_all(reader), "INSTANCE \"VI_1\" BACKUP 100\nINSTANCE \"VI_1\" MASTER 100\n");
  ::close(reader);
}

TEST_F(NotifyFifoTest, AFullPipeDropsLinesWithoutBlocking) {
  auto f = NotifyFifo::open(nullptr, fifo_, "notify_fifo");
  ASSERT_TRUE(f.has_value());
  std::string line = notify_fifo_line("VI_1", to_string(NotifyState::Master), 100);
  for (int i = 0; i < 100'000; ++i) (*f)->write(line);  // far beyond 64 KiB: returns
  int reader = ::open(fifo_.path.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  std::string all = read_all(reader);
  ::close(reader);
  EXPECT_GT(all.size(), 0u);
  EXPECT_EQ(all.size() % line.size(), 0u);  // whole lines only
}

TEST_F(NotifyFifoTest, BothFifosGetEveryLineAndAReloadKeepsAnUnchangedOne) {
  config::Global global;
  global.notify_fifo = fifo_;
  global.vrrp_notify_fifo.path = dir_ + "/vrrp_fifo";
  NotifyFifos fifos;
  fifos.configure(nullptr, global);
  int a = ::open(fifo_.path.c_str(), O_RDONLY | O_NONBLOCK);
  int b = ::open(global.vrrp_notify_fifo.path.c_str(), O_RDONLY | O_NONBLOCK);
  fifos.write("one\n");
  fifos.configure(nullptr, global);  // a reload with the same settings
  fifos.write("two\n");
  EXPECT_EQ(read_all(a), "one\ntwo\n");
  EXPECT_EQ(read_all(b), "one\ntwo\n");
  global.vrrp_notify_fifo = {};
  fifos.configure(nullptr, global);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/vrrp_fifo"));
  ::close(a);
  ::close(b);
}

}  // namespace
}  // namespace keepvip::daemon
