// Drop reasons are named once: the kernel's by the table the guard shares,
// keepvipd's own beside them. The names key D-Bus Drops and --stats.
#include "proto/drop_reason.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "proto/advert.h"

namespace keepvip::proto {
namespace {

TEST(DropReasonNames, EveryReasonHasOneDistinctName) {
  std::set<std::string_view> names;
  for (unsigned r = 0; r < KV_DROP__MAX; ++r) {
    std::string_view name = to_string(drop_reason_from_kernel(r));
    EXPECT_NE(name, "unknown") << r;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  for (DropReason own :
       {DropReason::FamilyMismatch, DropReason::VridMismatch, DropReason::BadIpHeader})
    EXPECT_TRUE(names.insert(to_string(own)).second) << to_string(own);
  EXPECT_EQ(to_string(drop_reason_from_kernel(KV_DROP__MAX)), "unknown");
}

TEST(DropReasonNames, KeepvipdsOwnChecksKeepTheirNames) {
  EXPECT_EQ(to_string(DropReason::FamilyMismatch), "family-mismatch");
  EXPECT_EQ(to_string(DropReason::VridMismatch), "vrid-mismatch");
  EXPECT_EQ(to_string(DecodeError::BadIpHeader), "bad-ip-header");
  EXPECT_EQ(to_string(DecodeError::BadTtl), to_string(DropReason::BadTtl));
}

TEST(DropCounts, ListInNameOrder) {
  DropCounts counts{
      {DropReason::RateLimit, 1}, {DropReason::AuthMismatch, 2}, {DropReason::BadTtl, 3}};
  std::string order;
  for (const auto& [reason, count] : counts) order += std::string(to_string(reason)) + " ";
  EXPECT_EQ(order, "auth-mismatch bad-ttl rate-limit ");
}

}  // namespace
}  // namespace keepvip::proto
