#include "vrrp/split_brain.h"

#include <gtest/gtest.h>

namespace keepvip::vrrp {
namespace {

using namespace std::chrono_literals;

MonoTime at(Usec t) {
  return MonoTime{t};
}

SplitBrainEvidence evidence(std::string kind, const char* source, uint8_t vrid = 51) {
  SplitBrainEvidence e;
  e.kind = *parse_evidence_kind(kind);
  e.source = *IpAddress::parse(source);
  e.vrid = vrid;
  e.priority = 90;
  e.first_seen_usec = e.last_seen_usec = 1'700'000'000'000'000;
  return e;
}

class SplitBrainTrackerTest : public ::testing::Test {
 protected:
  SplitBrainTracker tracker{10s, 1s};
};

TEST_F(SplitBrainTrackerTest, SustainedForeignMasterStartsOnceAndEndsAfterQuiet) {
  tracker.set_role(State::Master, at(0s));
  auto fm = evidence("foreign-master", "192.0.2.2");
  EXPECT_EQ(tracker.feed(fm, at(1s)), SplitBrainEdge::None);  // one sighting: not yet
  EXPECT_FALSE(tracker.active());
  EXPECT_EQ(tracker.feed(fm, at(2s)), SplitBrainEdge::Started);
  EXPECT_TRUE(tracker.active());
  EXPECT_EQ(tracker.feed(fm, at(3s)), SplitBrainEdge::None);  // started is reported once
  ASSERT_EQ(tracker.evidence().size(), 1u);
  EXPECT_EQ(to_string(tracker.evidence()[0].kind), "foreign-master");
  EXPECT_EQ(tracker.next_deadline(), at(13s));
  EXPECT_EQ(tracker.tick(at(12s)), SplitBrainEdge::None);
  EXPECT_TRUE(tracker.active());
  EXPECT_EQ(tracker.tick(at(13s)), SplitBrainEdge::Ended);
  EXPECT_FALSE(tracker.active());
  EXPECT_TRUE(tracker.evidence().empty());
  EXPECT_EQ(tracker.tick(at(14s)), SplitBrainEdge::None);  // ended is reported once
  EXPECT_EQ(tracker.next_deadline(), std::nullopt);
}

TEST_F(SplitBrainTrackerTest, EvidenceFromDifferentSourcesConfirmsTogether) {
  tracker.set_role(State::Master, at(0s));
  EXPECT_EQ(tracker.feed(evidence("vrid-mismatch", "192.0.2.3", 52), at(1s)), SplitBrainEdge::None);
  EXPECT_EQ(tracker.feed(evidence("arp-conflict", "192.0.2.10"), at(2500ms)),
            SplitBrainEdge::Started);
  auto all = tracker.evidence();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(to_string(all[0].kind), "vrid-mismatch");  // sorted by first sighting
  EXPECT_EQ(all[0].vrid, 52);
  EXPECT_EQ(to_string(all[1].kind), "arp-conflict");
}

TEST_F(SplitBrainTrackerTest, RepeatedSightingsMergeAndKeepLatestTimes) {
  tracker.set_role(State::Master, at(0s));
  auto first = evidence("auth-mismatch", "192.0.2.4");
  auto later = first;
  later.last_seen_usec += 5'000'000;
  later.priority = 120;
  tracker.feed(first, at(1s));
  tracker.feed(later, at(6s));
  auto all = tracker.evidence();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].first_seen_usec, first.first_seen_usec);
  EXPECT_EQ(all[0].last_seen_usec, later.last_seen_usec);
  EXPECT_EQ(all[0].priority, 120);
}

// A peer preempting us sends its advert and a GARP burst; the GARP can reach
// us before we have left MASTER. That one burst must not raise the alarm.
TEST_F(SplitBrainTrackerTest, GarpBurstDuringPreemptionIsIgnored) {
  tracker.set_role(State::Master, at(0s));
  EXPECT_EQ(tracker.feed(evidence("arp-conflict", "192.0.2.10"), at(5s)), SplitBrainEdge::None);
  EXPECT_EQ(tracker.set_role(State::Backup, at(5001ms)), SplitBrainEdge::None);
  EXPECT_TRUE(tracker.evidence().empty());
  // Repeats of the burst arriving as BACKUP are in flight from before.
  EXPECT_EQ(tracker.feed(evidence("arp-conflict", "192.0.2.10"), at(6500ms)), SplitBrainEdge::None);
  EXPECT_FALSE(tracker.active());
}

TEST_F(SplitBrainTrackerTest, MasterOnlyKindsAreIgnoredInOtherRoles) {
  for (State role : {State::Init, State::Backup, State::Fault}) {
    SplitBrainTracker t{10s, 0s};
    t.set_role(role, at(0s));
    for (const char* kind : {"foreign-master", "vrid-mismatch", "auth-mismatch", "version-mismatch",
                             "interval-mismatch", "arp-conflict", "na-conflict"}) {
      EXPECT_EQ(t.feed(evidence(kind, "192.0.2.2"), at(1s)), SplitBrainEdge::None) << kind;
    }
    EXPECT_FALSE(t.active());
    EXPECT_TRUE(t.evidence().empty());
  }
}

TEST_F(SplitBrainTrackerTest, TwoMastersCountsOnlyAsBackup) {
  tracker.set_role(State::Master, at(0s));
  EXPECT_EQ(tracker.feed(evidence("two-masters", "192.0.2.2"), at(1s)), SplitBrainEdge::None);
  EXPECT_EQ(tracker.feed(evidence("two-masters", "192.0.2.2"), at(3s)), SplitBrainEdge::None);
  EXPECT_TRUE(tracker.evidence().empty());
  tracker.set_role(State::Backup, at(4s));
  EXPECT_EQ(tracker.feed(evidence("two-masters", "192.0.2.2"), at(5s)), SplitBrainEdge::None);
  EXPECT_EQ(tracker.feed(evidence("two-masters", "192.0.2.3"), at(6s)), SplitBrainEdge::Started);
}

// We held MASTER in a split brain and then yielded: the conflict is over.
TEST_F(SplitBrainTrackerTest, LeavingMasterEndsAnActiveAlarm) {
  tracker.set_role(State::Master, at(0s));
  tracker.feed(evidence("foreign-master", "192.0.2.2"), at(1s));
  ASSERT_EQ(tracker.feed(evidence("foreign-master", "192.0.2.2"), at(2s)), SplitBrainEdge::Started);
  EXPECT_EQ(tracker.set_role(State::Backup, at(3s)), SplitBrainEdge::Ended);
  EXPECT_FALSE(tracker.active());
  EXPECT_EQ(tracker.set_role(State::Backup, at(4s)), SplitBrainEdge::None);
}

TEST_F(SplitBrainTrackerTest, PendingEvidenceExpiresWithoutAnAlarm) {
  tracker.set_role(State::Master, at(0s));
  tracker.feed(evidence("foreign-master", "192.0.2.2"), at(1s));
  EXPECT_EQ(tracker.next_deadline(), at(11s));
  EXPECT_EQ(tracker.tick(at(5s)), SplitBrainEdge::None);  // one sighting never confirms itself
  EXPECT_FALSE(tracker.active());
  EXPECT_EQ(tracker.tick(at(11s)), SplitBrainEdge::None);
  EXPECT_TRUE(tracker.evidence().empty());
  EXPECT_EQ(tracker.feed(evidence("foreign-master", "192.0.2.2"), at(12s)), SplitBrainEdge::None);
}

// A node that took our VIP may announce it once (one GARP burst) and then
// stay silent; if we are still MASTER a second later it was no handover.
TEST_F(SplitBrainTrackerTest, ClaimStillStandingAfterConfirmStartsTheAlarm) {
  tracker.set_role(State::Master, at(0s));
  EXPECT_EQ(tracker.feed(evidence("arp-conflict", "192.0.2.10"), at(3s)), SplitBrainEdge::None);
  EXPECT_EQ(tracker.next_deadline(), at(4s));
  EXPECT_EQ(tracker.tick(at(3500ms)), SplitBrainEdge::None);
  EXPECT_EQ(tracker.tick(at(4s)), SplitBrainEdge::Started);
  EXPECT_TRUE(tracker.active());
  EXPECT_EQ(tracker.next_deadline(), at(13s));  // now only the quiet period
  EXPECT_EQ(tracker.tick(at(13s)), SplitBrainEdge::Ended);
}

TEST_F(SplitBrainTrackerTest, KernelAndReceivePathSightingsOfOneRouterMerge) {
  tracker.set_role(State::Master, at(0s));
  auto from_kernel = evidence("foreign-master", "192.0.2.2");
  from_kernel.mac = "52:54:00:00:00:02";
  tracker.feed(evidence("foreign-master", "192.0.2.2"), at(1s));  // receive path: no MAC
  tracker.feed(from_kernel, at(1100ms));
  auto all = tracker.evidence();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].mac, "52:54:00:00:00:02");
  auto other = from_kernel;
  other.mac = "52:54:00:00:00:09";  // a second box answering for the same address
  tracker.feed(other, at(1200ms));
  EXPECT_EQ(tracker.evidence().size(), 2u);
}

TEST_F(SplitBrainTrackerTest, KeepsAtMostMaxEvidenceDroppingTheStalest) {
  tracker.set_role(State::Master, at(0s));
  for (int i = 0; i < 20; ++i) {
    std::string src = "192.0.2." + std::to_string(100 + i);
    tracker.feed(evidence("foreign-master", src.c_str()), at(Usec{1'000'000 + i * 1000}));
  }
  auto all = tracker.evidence();
  ASSERT_EQ(all.size(), SplitBrainTracker::kMaxEvidence);
  EXPECT_EQ(all.front().source, *IpAddress::parse("192.0.2.104"));
  EXPECT_EQ(all.back().source, *IpAddress::parse("192.0.2.119"));
}

// The receive path's own evidence follows the state machine's tie-break:
// what would make us yield is never evidence.
TEST(SplitBrainClassifier, AdvertsThatDoNotOutrankUsAreEvidence) {
  const IpAddress us = *IpAddress::parse("192.0.2.5");
  InstanceState master;
  master.state = State::Master;
  master.priority = 100;
  EXPECT_EQ(evidence_in_advert(master, us, 90, *IpAddress::parse("192.0.2.9")),
            EvidenceKind::ForeignMaster);
  EXPECT_EQ(evidence_in_advert(master, us, 100, *IpAddress::parse("192.0.2.4")),
            EvidenceKind::ForeignMaster)
      << "equal priority from a lower address";
  EXPECT_EQ(evidence_in_advert(master, us, 100, *IpAddress::parse("192.0.2.6")), std::nullopt)
      << "equal priority from a higher address wins: we yield";
  EXPECT_EQ(evidence_in_advert(master, us, 110, *IpAddress::parse("192.0.2.4")), std::nullopt);
  EXPECT_EQ(evidence_in_advert(master, us, 0, *IpAddress::parse("192.0.2.4")), std::nullopt)
      << "a master resigning";

  InstanceState backup;
  backup.state = State::Backup;
  backup.priority = 100;
  backup.master_address = *IpAddress::parse("192.0.2.7");
  EXPECT_EQ(evidence_in_advert(backup, us, 90, *IpAddress::parse("192.0.2.8")),
            EvidenceKind::TwoMasters);
  EXPECT_EQ(evidence_in_advert(backup, us, 90, *IpAddress::parse("192.0.2.7")), std::nullopt)
      << "the master we follow";
  EXPECT_EQ(evidence_in_advert(backup, us, 120, *IpAddress::parse("192.0.2.8")), std::nullopt);
  backup.master_address.reset();
  EXPECT_EQ(evidence_in_advert(backup, us, 90, *IpAddress::parse("192.0.2.8")), std::nullopt);

  InstanceState fault;
  fault.state = State::Fault;
  EXPECT_EQ(evidence_in_advert(fault, us, 90, *IpAddress::parse("192.0.2.8")), std::nullopt);
}

TEST(SplitBrainClassifier, RejectionsOfAnotherConfigurationAreEvidence) {
  EXPECT_EQ(evidence_in_rejection(RejectReason::AuthMismatch), EvidenceKind::AuthMismatch);
  EXPECT_EQ(evidence_in_rejection(RejectReason::AuthTypeMismatch), EvidenceKind::AuthMismatch);
  EXPECT_EQ(evidence_in_rejection(RejectReason::VersionMismatch), EvidenceKind::VersionMismatch);
  EXPECT_EQ(evidence_in_rejection(RejectReason::IntervalMismatch), EvidenceKind::IntervalMismatch);
  EXPECT_EQ(evidence_in_rejection(RejectReason::OwnAdvert), std::nullopt);
  EXPECT_EQ(evidence_in_rejection(RejectReason::AddressListMismatch), std::nullopt);
}

}  // namespace
}  // namespace keepvip::vrrp
