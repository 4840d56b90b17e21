#include "daemon/instances/advert_dispatch.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace keepvip::daemon {
namespace {

struct FakeRunner {
  config::Instance instance;
  uint8_t vrid() const { return instance.vrid; }
  const config::Instance& config() const { return instance; }
};

FakeRunner runner(uint8_t vrid, bool unicast) {
  FakeRunner r;
  r.instance.vrid = vrid;
  if (unicast) r.instance.unicast_peers = {*IpAddress::parse("192.0.2.2")};
  return r;
}

TEST(ReceiverFor, MulticastAndUnicastInstancesOfOneVridEachGetTheirOwn) {
  auto uni = runner(51, true);
  auto multi = runner(51, false);
  std::vector<FakeRunner*> instances{&uni, &multi};  // the unicast one first
  EXPECT_EQ(receiver_for(instances, 51, /*multicast=*/true), &multi);
  EXPECT_EQ(receiver_for(instances, 51, /*multicast=*/false), &uni);
}

TEST(ReceiverFor, TheOtherKindGetsItWhenAloneAndNobodyForAnotherVrid) {
  auto uni = runner(51, true);
  std::vector<FakeRunner*> instances{&uni};
  EXPECT_EQ(receiver_for(instances, 51, /*multicast=*/true), &uni);  // it counts the drop
  EXPECT_EQ(receiver_for(instances, 52, /*multicast=*/true), nullptr);
}

}  // namespace
}  // namespace keepvip::daemon
