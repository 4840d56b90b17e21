#include "ports/status.h"

#include <gtest/gtest.h>

namespace keepvip::ports {
namespace {

SplitBrainEvidence evidence(std::string kind, const char* source, uint8_t vrid) {
  SplitBrainEvidence e;
  e.kind = std::move(kind);
  e.source = *IpAddress::parse(source);
  e.vrid = vrid;
  e.priority = 90;
  return e;
}

TEST(SplitBrainDescribe, ClaimNamesTheVipAndTheClaimingMac) {
  auto claim = evidence("arp-conflict", "192.0.2.100", 51);
  claim.mac = "02:6b:76:00:00:03";
  EXPECT_TRUE(is_claim(claim));
  EXPECT_EQ(describe(claim), "arp-conflict: 192.0.2.100 claimed by 02:6b:76:00:00:03");
  claim.kind = "na-conflict";
  claim.source = *IpAddress::parse("2001:db8::100");
  claim.mac.clear();
  EXPECT_EQ(describe(claim), "na-conflict: 2001:db8::100 claimed by an unknown MAC");
}

TEST(SplitBrainDescribe, AdvertNamesItsSenderVridAndPriority) {
  auto advert = evidence("vrid-mismatch", "192.0.2.13", 52);
  EXPECT_FALSE(is_claim(advert));
  EXPECT_EQ(describe(advert), "vrid-mismatch from 192.0.2.13, VRID 52 priority 90");
  advert.mac = "02:6b:76:00:00:03";
  EXPECT_EQ(describe(advert),
            "vrid-mismatch from 192.0.2.13 (02:6b:76:00:00:03), VRID 52 priority 90");
}

}  // namespace
}  // namespace keepvip::ports
