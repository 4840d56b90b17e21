#include "daemon/tracking/script_health.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

TEST(ScriptHealth, StartsUpUnlessInitFail) {
  EXPECT_TRUE(ScriptHealth(1, 1, false).up());
  EXPECT_FALSE(ScriptHealth(1, 1, true).up());
}

TEST(ScriptHealth, FallNeedsConsecutiveFailures) {
  ScriptHealth h(2, 3, false);
  EXPECT_FALSE(h.record(false));
  EXPECT_FALSE(h.record(false));
  EXPECT_TRUE(h.up());
  EXPECT_TRUE(h.record(false));  // third failure in a row flips
  EXPECT_FALSE(h.up());
}

TEST(ScriptHealth, SuccessResetsTheFailureStreak) {
  ScriptHealth h(1, 2, false);
  h.record(false);
  h.record(true);
  EXPECT_FALSE(h.record(false));
  EXPECT_TRUE(h.up());
  EXPECT_TRUE(h.record(false));
  EXPECT_FALSE(h.up());
}

TEST(ScriptHealth, RiseNeedsConsecutiveSuccesses) {
  ScriptHealth h(3, 1, true);
  EXPECT_FALSE(h.record(true));
  EXPECT_FALSE(h.record(true));
  EXPECT_FALSE(h.record(false));  // streak broken
  EXPECT_FALSE(h.record(true));
  EXPECT_FALSE(h.record(true));
  EXPECT_TRUE(h.record(true));
  EXPECT_TRUE(h.up());
}

TEST(ScriptHealth, RepeatedAgreementReportsNoFlip) {
  ScriptHealth h(1, 1, false);
  EXPECT_FALSE(h.record(true));
  EXPECT_TRUE(h.record(false));
  EXPECT_FALSE(h.record(false));
}

}  // namespace
}  // namespace keepvip::daemon
