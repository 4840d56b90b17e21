#include "daemon/release/release_plan.h"

#include <gtest/gtest.h>

#include <map>

namespace keepvip::daemon {
namespace {

HeldInstance held(std::string name, std::string interface, int ifindex,
                  std::vector<std::string> units = {}) {
  HeldInstance h;
  h.name = std::move(name);
  h.interface = std::move(interface);
  h.ifindex = ifindex;
  h.advert.vrid = 51;
  h.advert.source = *IpAddress::parse("192.0.2.1");
  h.advert.vips = {*IpPrefix::parse("192.0.2.100/32")};
  h.master_units = std::move(units);
  return h;
}

ReleasePlan plan(const std::vector<HeldInstance>& record, std::map<std::string, int> links) {
  return plan_release(record, [&](const std::string& name) -> std::optional<int> {
    auto it = links.find(name);
    return it == links.end() ? std::nullopt : std::optional<int>(it->second);
  });
}

TEST(ReleasePlan, ReleasesWhereNameAndIndexAgree) {
  auto p = plan({held("VI_1", "eth0", 2)}, {{"eth0", 2}});
  ASSERT_EQ(p.release.size(), 1u);
  EXPECT_EQ(p.release[0].ifindex, 2);
  EXPECT_TRUE(p.skipped.empty());
}

TEST(ReleasePlan, RecreatedInterfaceIsLeftAlone) {
  auto p = plan({held("VI_1", "eth0", 2), held("VI_2", "eth1", 3)}, {{"eth0", 7}, {"eth1", 3}});
  ASSERT_EQ(p.release.size(), 1u);
  EXPECT_EQ(p.release[0].name, "VI_2");
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_NE(p.skipped[0].find("VI_1: interface eth0 has index 7, the record says 2"),
            std::string::npos)
      << p.skipped[0];
}

TEST(ReleasePlan, VanishedInterfaceIsLeftAlone) {
  auto p = plan({held("VI_1", "eth0", 2)}, {{"eth1", 2}});
  EXPECT_TRUE(p.release.empty());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_NE(p.skipped[0].find("no longer exists"), std::string::npos) << p.skipped[0];
}

TEST(ReleasePlan, StopsRecordedUnitsOnceAndRefusesWhatIsNoUnitName) {
  auto p = plan({held("VI_1", "eth0", 2, {"web.service", "getty@tty1.service", "../../x"}),
                 held("VI_2", "eth9", 9, {"web.service", "db.service"})},
                {{"eth0", 2}});
  EXPECT_EQ(p.units, (std::vector<std::string>{"web.service", "getty@tty1.service", "db.service"}));
  EXPECT_EQ(p.refused_units, std::vector<std::string>{"../../x"});
}

TEST(ReleasePlan, UnitNames) {
  for (const char* good : {"web.service", "a-b_c:d.socket", "x@y.timer", "foo\\x2dbar.mount"})
    EXPECT_TRUE(is_unit_name(good)) << good;
  for (const char* bad : {"", ".service", "web", "web.exe", "a b.service", "a/b.service",
                          "*.service", "web.service\n"})
    EXPECT_FALSE(is_unit_name(bad)) << bad;
  EXPECT_FALSE(is_unit_name(std::string(300, 'a') + ".service"));
}

}  // namespace
}  // namespace keepvip::daemon
