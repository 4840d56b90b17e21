// interface_up_down_delays as keepalived's update_interface_flags applies
// them: each row an event sequence on one link and what comes out.
#include "daemon/tracking/link_debounce.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;

namespace keepvip::daemon {
namespace {

using Kind = LinkDecision::Kind;
const LinkDelaySettings kDelays{2s, 1s};  // down 2 s, up 1 s

LinkDebounce seen_up() {
  LinkDebounce link;
  on_link_read(link, true);
  return link;
}

TEST(LinkDebounce, ADownLinkWaitsForTheDownDelay) {
  LinkDebounce link = seen_up();
  LinkDecision d = on_link_event(link, false, kDelays);
  EXPECT_EQ(d.kind, Kind::Delay);
  EXPECT_EQ(d.delay, 2s);
  EXPECT_TRUE(link.up);  // nobody told yet
  LinkDecision fired = on_delay_expired(link);
  EXPECT_EQ(fired.kind, Kind::Deliver);
  EXPECT_FALSE(fired.up);
  EXPECT_FALSE(link.up);
}

TEST(LinkDebounce, BackUpWithinTheDelayCancelsItAndTellsNobody) {
  LinkDebounce link = seen_up();
  on_link_event(link, false, kDelays);
  LinkDecision back = on_link_event(link, true, kDelays);
  EXPECT_EQ(back.kind, Kind::CancelPending);
  EXPECT_TRUE(link.up);
  EXPECT_FALSE(link.pending);
  EXPECT_EQ(on_delay_expired(link).kind, Kind::Nothing);
}

TEST(LinkDebounce, ARepeatedEventKeepsThePendingTimer) {
  LinkDebounce link = seen_up();
  on_link_event(link, false, kDelays);
  EXPECT_EQ(on_link_event(link, false, kDelays).kind, Kind::Nothing);
  EXPECT_EQ(link.pending, false);
}

TEST(LinkDebounce, UpAfterADeliveredDownWaitsForTheUpDelay) {
  LinkDebounce link = seen_up();
  on_link_event(link, false, kDelays);
  on_delay_expired(link);
  LinkDecision up = on_link_event(link, true, kDelays);
  EXPECT_EQ(up.kind, Kind::Delay);
  EXPECT_EQ(up.delay, 1s);
}

TEST(LinkDebounce, ALinkNeverSeenUpChangesAtOnce) {
  LinkDebounce link;  // read down at start
  on_link_read(link, false);
  LinkDecision up = on_link_event(link, true, kDelays);
  EXPECT_EQ(up.kind, Kind::Deliver);
  EXPECT_TRUE(up.up);
  EXPECT_TRUE(link.seen_up);
  // From then on the delays apply.
  EXPECT_EQ(on_link_event(link, false, kDelays).kind, Kind::Delay);
}

TEST(LinkDebounce, NoDelayConfiguredChangesAtOnce) {
  LinkDebounce link = seen_up();
  LinkDecision d = on_link_event(link, false, LinkDelaySettings{});
  EXPECT_EQ(d.kind, Kind::Deliver);
  // keepalived: a missing UP_DELAY is 0, so the way back is immediate.
  LinkDecision up = on_link_event(link, true, LinkDelaySettings{2s, 0s});
  EXPECT_EQ(up.kind, Kind::Deliver);
}

TEST(LinkDebounce, AKernelReadIsActedOnAtOnce) {
  LinkDebounce link = seen_up();
  on_link_event(link, false, kDelays);
  LinkDecision read = on_link_read(link, false);
  EXPECT_EQ(read.kind, Kind::Deliver);
  EXPECT_FALSE(link.pending);
  EXPECT_EQ(on_link_read(link, false).kind, Kind::Nothing);
}

// keepalived's check_debounce_timers, also when a VRRPv3 master advertises
// a shorter interval: below (down_timer_adverts - 1) intervals.
TEST(LinkDebounce, DelaysAreCutBelowTheTakeoverTime) {
  LinkDelaySettings delays{2s, 1s};
  EXPECT_TRUE(fit_delays_below(delays, 3, 500ms));
  EXPECT_EQ(delays.down, 998047us);  // 1 s - 500 ms / 256
  EXPECT_EQ(delays.up, 998047us);
  LinkDelaySettings short_ones{900ms, 0s};
  EXPECT_FALSE(fit_delays_below(short_ones, 3, 500ms));
  EXPECT_EQ(short_ones.down, 900ms);
  EXPECT_FALSE(fit_delays_below(delays, 1, 500ms));
}

}  // namespace
}  // namespace keepvip::daemon
