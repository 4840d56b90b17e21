#include "vrrp/ah_sequence.h"

#include <gtest/gtest.h>

#include "../proto/advert_test_support.h"
#include "../proto/keepalived_ah_vectors.h"
#include "vrrp/ah_checks.h"

namespace keepvip::vrrp {
namespace {

TEST(AhSequence, SendsFromOneAndAcceptsOnlyHigherNumbers) {
  AhSequence s;
  EXPECT_EQ(s.next_to_send(), 1u);
  EXPECT_EQ(s.next_to_send(), 2u);
  EXPECT_FALSE(s.accept(2));  // keepalived: "already processed"
  EXPECT_TRUE(s.accept(10));
  EXPECT_EQ(s.value(), 10u);
  // One counter: what we send next continues from what we accepted, so a
  // backup that takes over is believed by the old master's other peers.
  EXPECT_EQ(s.next_to_send(), 11u);
}

TEST(AhSequence, MasterJumpsPastALowerPriorityRouter) {
  AhSequence s;
  s.accept(5);
  s.sync_past(40);
  EXPECT_EQ(s.value(), 41u);
  EXPECT_EQ(s.next_to_send(), 42u);
}

TEST(AhSequence, StopsBeforeWrappingAndRestartsOnBecomingMaster) {
  AhSequence s;
  ASSERT_TRUE(s.accept(0xfffffffd));
  EXPECT_EQ(s.next_to_send(), 0xfffffffeu);
  EXPECT_FALSE(s.cycled());
  EXPECT_EQ(s.next_to_send(), 0xfffffffeu);  // stuck: keepalived's "cycle"
  EXPECT_TRUE(s.cycled());
  s.on_becoming_master();
  EXPECT_EQ(s.next_to_send(), 1u);
}

struct AhCheck : ::testing::Test {
  std::vector<uint8_t> packet = proto::testing::bytes(proto::vectors::kAhIpv4Packet);
  proto::AhKey key = proto::ah_key(proto::vectors::kAhKeyText);
  AhSequence sequence;

  std::optional<proto::DropReason> check() {
    auto split = proto::split_ipv4(packet);
    EXPECT_TRUE(split);
    return check_ah_advert(split->meta, split->payload, key, false, sequence);
  }
};

TEST_F(AhCheck, AcceptsKeepalivedsAdvertOnceThenCallsItAReplay) {
  EXPECT_EQ(check(), std::nullopt);
  EXPECT_EQ(sequence.value(), 1u);
  EXPECT_EQ(check(), proto::DropReason::AhSequenceReplay);
}

TEST_F(AhCheck, WrongPasswordIsAnIcvMismatchAndMovesNothing) {
  key = proto::ah_key("other");
  EXPECT_EQ(check(), proto::DropReason::AhIcvMismatch);
  EXPECT_EQ(sequence.value(), 0u);
}

TEST_F(AhCheck, ChecksTheIcvBeforeTheSequence) {
  sequence.accept(100);
  key = proto::ah_key("other");
  EXPECT_EQ(check(), proto::DropReason::AhIcvMismatch);
}

TEST_F(AhCheck, SpiMustBeTheSource) {
  // The ICV covers the bytes as received; the SPI is compared with the
  // source the socket reported.
  auto split = proto::split_ipv4(packet);
  ASSERT_TRUE(split);
  split->meta.source = proto::testing::ip("192.0.2.12");
  EXPECT_EQ(check_ah_advert(split->meta, split->payload, key, false, sequence),
            proto::DropReason::AhSpiMismatch);
  EXPECT_EQ(sequence.value(), 0u);
}

TEST_F(AhCheck, PlainAdvertIsAnAuthTypeMismatch) {
  auto split = proto::split_ipv4(packet);
  ASSERT_TRUE(split);
  split->meta.ah.reset();
  EXPECT_EQ(check_ah_advert(split->meta, split->payload, key, false, sequence),
            proto::DropReason::AuthTypeMismatch);
}

}  // namespace
}  // namespace keepvip::vrrp
