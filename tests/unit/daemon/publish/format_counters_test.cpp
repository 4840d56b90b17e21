#include "daemon/publish/format_counters.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

ports::RouterCounters router(int ifindex, uint8_t vrid, const char* source) {
  ports::RouterCounters r;
  r.ifindex = ifindex;
  r.vrid = vrid;
  r.source = *IpAddress::parse(source);
  r.family = r.source.family();
  r.adverts = 42;
  r.last_priority = 100;
  r.last_interval_cs = 150;
  r.last_seen_usec = 12'345'678;
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    out.push_back(text.substr(start, nl - start));
  return out;
}

TEST(FormatCounters, HeaderThenOneSortedLinePerRouter) {
  auto b = router(1, 52, "192.0.2.3");
  b.drops = {{proto::DropReason::AuthMismatch, 9}, {proto::DropReason::BadTtl, 1}};
  MonoTime now{Usec{13'000'000}};  // 0.654 s after the last advert
  auto text = format_counters({b, router(1, 51, "2001:db8::2"), router(1, 51, "192.0.2.2")}, now);
  auto l = lines(text);
  ASSERT_EQ(l.size(), 4u);
  EXPECT_NE(l[0].find("SOURCE"), std::string::npos);
  EXPECT_NE(l[0].find("DROPS"), std::string::npos);
  EXPECT_NE(l[1].find("192.0.2.2"), std::string::npos);  // VRID 51, IPv4 first
  EXPECT_NE(l[2].find("2001:db8::2"), std::string::npos);
  EXPECT_NE(l[2].find("ipv6"), std::string::npos);
  EXPECT_NE(l[3].find("192.0.2.3"), std::string::npos);
  EXPECT_NE(l[1].find(" 42 "), std::string::npos);
  EXPECT_NE(l[1].find("1.50s"), std::string::npos);
  EXPECT_NE(l[1].find("0.654s ago"), std::string::npos) << l[1];
  EXPECT_NE(l[1].find("  -"), std::string::npos);
  EXPECT_NE(l[3].find("auth-mismatch=9,bad-ttl=1"), std::string::npos);
  EXPECT_EQ(l[1].rfind("lo ", 0), 0u);  // ifindex 1 is the loopback, shown by name
}

TEST(FormatCounters, EmptyIsJustTheHeader) {
  EXPECT_EQ(lines(format_counters({}, MonoTime{})).size(), 1u);
}

}  // namespace
}  // namespace keepvip::daemon
