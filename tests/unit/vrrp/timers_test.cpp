#include "vrrp/timers.h"

#include <gtest/gtest.h>

namespace keepvip::vrrp {
namespace {

using namespace std::chrono_literals;

// Expected values worked out by hand from RFC 3768 §6.1 / RFC 9568 §6.1,
// rounded down to the microsecond as keepalived 2.2.7 does.
struct TimerRow {
  uint8_t version;
  uint8_t priority;
  Usec interval;
  Usec skew;
  Usec master_down;
};

const TimerRow kRows[] = {
    // v2: skew = (256 - p) / 256 s whatever the interval.
    {2, 100, 1s, 609'375us, 3'609'375us},
    {2, 150, 1s, 414'062us, 3'414'062us},  // the seed's master: keepalived's 3.41 s
    {2, 254, 1s, 7'812us, 3'007'812us},
    {2, 255, 1s, 3'906us, 3'003'906us},
    {2, 1, 1s, 996'093us, 3'996'093us},
    {2, 100, 3s, 609'375us, 9'609'375us},
    {2, 200, 255s, 218'750us, 765'218'750us},
    // v3: skew = (256 - p) * Master_Adver_Interval / 256.
    {3, 100, 1s, 609'375us, 3'609'375us},
    {3, 100, 500ms, 304'687us, 1'804'687us},
    {3, 120, 500ms, 265'625us, 1'765'625us},
    {3, 200, 10ms, 2'187us, 32'187us},
    {3, 255, 40'950ms, 159'960us, 123'009'960us},
    {3, 1, 2s, 1'992'187us, 7'992'187us},
};

TEST(Timers, SkewTimeTable) {
  for (const TimerRow& row : kRows) {
    SCOPED_TRACE(::testing::Message()
                 << "v" << int{row.version} << " priority " << int{row.priority} << " interval "
                 << row.interval.count() << "us");
    EXPECT_EQ(skew_time(row.version, row.priority, row.interval), row.skew);
  }
}

TEST(Timers, MasterDownIntervalTable) {
  for (const TimerRow& row : kRows) {
    SCOPED_TRACE(::testing::Message()
                 << "v" << int{row.version} << " priority " << int{row.priority} << " interval "
                 << row.interval.count() << "us");
    EXPECT_EQ(master_down_interval(row.version, row.priority, row.interval), row.master_down);
  }
}

TEST(Timers, HigherPriorityAlwaysClaimsFirst) {
  for (uint8_t version : {uint8_t{2}, uint8_t{3}}) {
    for (int p = 1; p < 255; ++p) {
      EXPECT_LT(master_down_interval(version, static_cast<uint8_t>(p + 1), 1s),
                master_down_interval(version, static_cast<uint8_t>(p), 1s))
          << "v" << int{version} << " priority " << p;
    }
  }
}

TEST(Timers, CentisecondConversions) {
  struct Row {
    uint16_t cs;
    Usec usec;
  };
  for (const Row& row : {Row{0, 0us}, Row{1, 10ms}, Row{50, 500ms}, Row{100, 1s},
                         Row{4095, 40'950ms}, Row{25500, 255s}, Row{65535, 655'350ms}}) {
    EXPECT_EQ(from_centiseconds(row.cs), row.usec) << row.cs;
    EXPECT_EQ(to_centiseconds(row.usec), row.cs) << row.cs;
  }
}

TEST(Timers, ToCentisecondsRoundsToNearestAndClamps) {
  EXPECT_EQ(to_centiseconds(5ms), 1);
  EXPECT_EQ(to_centiseconds(4'999us), 0);
  EXPECT_EQ(to_centiseconds(1'234ms), 123);
  EXPECT_EQ(to_centiseconds(1'235ms), 124);
  EXPECT_EQ(to_centiseconds(1000s), 65535);
  EXPECT_EQ(to_centiseconds(-1s), 0);
}

}  // namespace
}  // namespace keepvip::vrrp
