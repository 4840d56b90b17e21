// Tracked files: the number read as keepalived reads it, what value x weight
// does to the priority, and the inotify watch on a real sd-event loop
// (written in place, replaced by rename, deleted, created) with init_file.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "daemon/tracking/priority.h"
#include "daemon/tracking/track_file_value.h"
#include "daemon/tracking/track_file_watch.h"
#include "scripts/script_test_support.h"

namespace keepvip::daemon {
namespace {

using namespace std::chrono_literals;

TEST(TrackFileValue, ReadsANumberAsStrtolBaseZero) {
  EXPECT_EQ(parse_track_file_value("5\n"), 5);
  EXPECT_EQ(parse_track_file_value("  -12 trailing words"), -12);
  EXPECT_EQ(parse_track_file_value("+7"), 7);
  EXPECT_EQ(parse_track_file_value("0x10"), 16);
  EXPECT_EQ(parse_track_file_value("010"), 8);  // a leading 0 is octal
  EXPECT_EQ(parse_track_file_value("09"), 0);   // ...so 9 ends the number
  EXPECT_EQ(parse_track_file_value("0xg"), 0);
}

TEST(TrackFileValue, EmptyOrNotANumberReadsAsZero) {
  EXPECT_EQ(parse_track_file_value(""), 0);
  EXPECT_EQ(parse_track_file_value("up\n"), 0);
  EXPECT_EQ(parse_track_file_value("\n"), 0);
}

TEST(TrackFileValue, OutOfRangeIsIgnored) {
  EXPECT_EQ(parse_track_file_value("2147483648"), 2147483648);  // INT32_MAX + 1 is kept
  EXPECT_EQ(parse_track_file_value("-2147483648"), -2147483648);
  EXPECT_EQ(parse_track_file_value("2147483649"), std::nullopt);
  EXPECT_EQ(parse_track_file_value("-2147483649"), std::nullopt);
  EXPECT_EQ(parse_track_file_value("99999999999999999999999"), std::nullopt);
}

TEST(TrackFileValue, OnlyTheFirst127BytesAreRead) {
  std::string text(126, ' ');
  EXPECT_EQ(parse_track_file_value(text + "42"), 4);
}

TrackedObject file(int64_t value, int weight, bool reverse = false) {
  TrackedObject o;
  o.description = "file f";
  o.weight = weight;
  o.reverse = reverse;
  o.key = "file:f";
  o.value = value;
  return o;
}

TEST(TrackFilePriority, ValueTimesWeightMovesThePriority) {
  EXPECT_EQ(effective_priority(100, {file(3, 10)}).priority, 130);
  EXPECT_EQ(effective_priority(100, {file(-3, 10)}).priority, 70);
  EXPECT_EQ(effective_priority(100, {file(0, 10)}).priority, 100);
  EXPECT_EQ(effective_priority(100, {file(3, -10)}).priority, 70);
}

TEST(TrackFilePriority, ReverseNegates) {
  EXPECT_EQ(effective_priority(100, {file(3, 10, true)}).priority, 70);
  EXPECT_EQ(effective_priority(100, {file(-3, 10, true)}).priority, 130);
}

TEST(TrackFilePriority, ContributionIsBoundedAndMinus254IsFault) {
  // +253 at most, then the instance's own clamp to 254.
  EXPECT_EQ(effective_priority(100, {file(1000, 1)}).priority, 254);
  EXPECT_FALSE(effective_priority(100, {file(1000, 1)}).faulted());
  EXPECT_FALSE(effective_priority(100, {file(-253, 1)}).faulted());
  EXPECT_EQ(effective_priority(100, {file(-253, 1)}).priority, 1);
  auto v = effective_priority(100, {file(-254, 1)});
  EXPECT_TRUE(v.faulted());
  EXPECT_EQ(v.fault_reasons, std::vector<std::string>{"file f value -254"});
  EXPECT_TRUE(effective_priority(100, {file(2147483648, -254)}).faulted());
}

TEST(TrackFilePriority, WeightZeroFaultsOnNonZeroAndReverseOnZero) {
  EXPECT_FALSE(effective_priority(100, {file(0, 0)}).faulted());
  EXPECT_TRUE(effective_priority(100, {file(1, 0)}).faulted());
  EXPECT_TRUE(effective_priority(100, {file(-1, 0)}).faulted());
  EXPECT_EQ(effective_priority(100, {file(1, 0)}).priority, 100);
  EXPECT_TRUE(effective_priority(100, {file(0, 0, true)}).faulted());
  EXPECT_FALSE(effective_priority(100, {file(5, 0, true)}).faulted());
}

class TrackFileWatchTest : public testing::ScriptTest {
 protected:
  void TearDown() override {
    watch_.reset();
    ScriptTest::TearDown();
  }
  void start(config::TrackFile f, bool initialise = false) {
    auto w = TrackFileWatch::create(loop_.get(), f, initialise,
                                    [this](int64_t v) { reports_.push_back(v); });
    ASSERT_TRUE(w.has_value()) << w.error().describe();
    watch_ = std::move(*w);
  }
  config::TrackFile spec() {
    config::TrackFile f;
    f.name = "tf";
    f.path = dir_ + "/value";
    return f;
  }
  void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
  std::string content(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bool settles_at(int64_t v) {
    return run_until([&] { return watch_->value() == v; }, 3s);
  }

  std::unique_ptr<TrackFileWatch> watch_;
  std::vector<int64_t> reports_;
};

TEST_F(TrackFileWatchTest, ReadsAtStartWithoutReporting) {
  write(dir_ + "/value", "7\n");
  start(spec());
  EXPECT_EQ(watch_->value(), 7);
  EXPECT_TRUE(reports_.empty());
}

TEST_F(TrackFileWatchTest, FollowsWritesRenamesDeletesAndCreation) {
  start(spec());  // no file yet: 0
  EXPECT_EQ(watch_->value(), 0);
  write(dir_ + "/value", "5\n");
  ASSERT_TRUE(settles_at(5));
  write(dir_ + "/new", "-2\n");
  ASSERT_EQ(std::rename((dir_ + "/new").c_str(), (dir_ + "/value").c_str()), 0);
  ASSERT_TRUE(settles_at(-2));
  ASSERT_EQ(std::rename((dir_ + "/value").c_str(), (dir_ + "/gone").c_str()), 0);
  ASSERT_TRUE(settles_at(0));
  write(dir_ + "/value", "9");
  ASSERT_TRUE(settles_at(9));
  ASSERT_EQ(std::remove((dir_ + "/value").c_str()), 0);
  ASSERT_TRUE(settles_at(0));
  EXPECT_EQ(reports_, (std::vector<int64_t>{5, -2, 0, 9, 0}));
}

TEST_F(TrackFileWatchTest, OtherFilesAndOutOfRangeNumbersChangeNothing) {
  write(dir_ + "/value", "4\n");
  start(spec());
  write(dir_ + "/other", "8\n");
  write(dir_ + "/value", "99999999999\n");  // ignored: 4 stands
  write(dir_ + "/value", "6\n");
  ASSERT_TRUE(settles_at(6));
  EXPECT_EQ(reports_, std::vector<int64_t>{6});
}

TEST_F(TrackFileWatchTest, InitFileCreatesAMissingFileOnly) {
  auto f = spec();
  f.init = config::TrackFile::Init::Create;
  f.init_value = 3;
  start(f, true);
  EXPECT_EQ(content(f.path), "3\n");
  EXPECT_EQ(watch_->value(), 3);
  watch_.reset();
  write(f.path, "10\n");
  start(f, true);
  EXPECT_EQ(content(f.path), "10\n");  // not overwritten
  watch_.reset();
  start(f, false);  // a reload never writes
  EXPECT_EQ(watch_->value(), 10);
}

TEST_F(TrackFileWatchTest, InitFileOverwriteReplacesTheContent) {
  auto f = spec();
  write(f.path, "10\n");
  f.init = config::TrackFile::Init::Overwrite;
  f.init_value = -5;
  start(f, true);
  EXPECT_EQ(content(f.path), "-5\n");
  EXPECT_EQ(watch_->value(), -5);
}

TEST_F(TrackFileWatchTest, AMissingDirectoryIsRefused) {
  auto f = spec();
  f.path = dir_ + "/nowhere/value";
  auto w = TrackFileWatch::create(loop_.get(), f, false, [](int64_t) {});
  ASSERT_FALSE(w.has_value());
  EXPECT_NE(w.error().describe().find("Track file directory for tf does not exist"),
            std::string::npos);
}

}  // namespace
}  // namespace keepvip::daemon
