#include "vrrp/evidence.h"

#include <gtest/gtest.h>

namespace keepvip::vrrp {
namespace {

SplitBrainEvidence evidence(EvidenceKind kind, const char* source, uint8_t vrid) {
  SplitBrainEvidence e;
  e.kind = kind;
  e.source = *IpAddress::parse(source);
  e.vrid = vrid;
  e.priority = 90;
  return e;
}

TEST(SplitBrainDescribe, ClaimNamesTheVipAndTheClaimingMac) {
  auto claim = evidence(EvidenceKind::ArpConflict, "192.0.2.100", 51);
  claim.mac = "02:6b:76:00:00:03";
  EXPECT_TRUE(is_claim(claim));
  EXPECT_EQ(describe(claim), "arp-conflict: 192.0.2.100 claimed by 02:6b:76:00:00:03");
  claim.kind = EvidenceKind::NaConflict;
  claim.source = *IpAddress::parse("2001:db8::100");
  claim.mac.clear();
  EXPECT_EQ(describe(claim), "na-conflict: 2001:db8::100 claimed by an unknown MAC");
}

TEST(SplitBrainDescribe, AdvertNamesItsSenderVridAndPriority) {
  auto advert = evidence(EvidenceKind::VridMismatch, "192.0.2.13", 52);
  EXPECT_FALSE(is_claim(advert));
  EXPECT_EQ(describe(advert), "vrid-mismatch from 192.0.2.13, VRID 52 priority 90");
  advert.mac = "02:6b:76:00:00:03";
  EXPECT_EQ(describe(advert),
            "vrid-mismatch from 192.0.2.13 (02:6b:76:00:00:03), VRID 52 priority 90");
}

// The names are the D-Bus API's; every kernel event kind has one, and a
// reader gets back the kind it was sent.
TEST(EvidenceKindNames, EveryKernelKindHasAStableName) {
  const std::pair<unsigned, const char*> kernel[] = {
      {KV_EVENT_FOREIGN_MASTER, "foreign-master"},
      {KV_EVENT_VRID_MISMATCH, "vrid-mismatch"},
      {KV_EVENT_AUTH_MISMATCH, "auth-mismatch"},
      {KV_EVENT_VERSION_MISMATCH, "version-mismatch"},
      {KV_EVENT_INTERVAL_MISMATCH, "interval-mismatch"},
      {KV_EVENT_ARP_CONFLICT, "arp-conflict"},
      {KV_EVENT_NA_CONFLICT, "na-conflict"},
      {KV_EVENT_TWO_MASTERS, "two-masters"},
  };
  for (const auto& [number, name] : kernel) {
    EvidenceKind kind = evidence_kind_from_kernel(number);
    EXPECT_EQ(to_string(kind), name);
    EXPECT_EQ(parse_evidence_kind(name), kind);
  }
  EXPECT_EQ(evidence_kind_from_kernel(0), EvidenceKind::Unknown);
  EXPECT_EQ(evidence_kind_from_kernel(KV_EVENT_TWO_MASTERS + 1), EvidenceKind::Unknown);
  EXPECT_EQ(to_string(EvidenceKind::Unknown), "unknown");
  EXPECT_EQ(parse_evidence_kind("split"), std::nullopt);
}

}  // namespace
}  // namespace keepvip::vrrp
