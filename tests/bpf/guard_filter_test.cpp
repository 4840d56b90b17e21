// The receive checks as a table: frame, expected verdict, expected counter
// change; run through both the XDP and the tc ingress program.
#include <functional>
#include <string>

#include "drop_names.h"
#include "guard_fixture.h"
#include "packet_builder.h"

namespace keepvip::test {
namespace {

// What the router counters of the frame's source must show afterwards.
struct Expect {
  enum { Accepted, Dropped, Untouched } what;
  std::string reason;  // for Dropped
};
const Expect kAccepted{Expect::Accepted, ""};
const Expect kUntouched{Expect::Untouched, ""};
Expect dropped(std::string reason) {
  return {Expect::Dropped, std::move(reason)};
}

struct Case {
  std::string name;
  uint8_t vrid;  // whose counters to look at
  std::function<PacketBuilder(const std::string& src)> frame;
  Verdict verdict;
  Expect expect;
  bool v6 = false;
};

Vrrp v2(Vrrp v = {}) {
  if (v.password.empty() && !v.auth_type) v.password = "secret";
  return v;
}
Vrrp v3(uint8_t vrid, std::vector<std::string> vips, uint16_t interval_cs) {
  Vrrp v;
  v.version = 3;
  v.vrid = vrid;
  v.vips = std::move(vips);
  v.interval_cs = interval_cs;
  return v;
}

// An advert of the auth_type AH instance (VRID 91): auth type 2, no password.
Vrrp ah_advert(Vrrp v = {}) {
  v.vrid = 91;
  v.vips = {"192.0.2.60"};
  if (!v.auth_type) v.auth_type = 2;
  return v;
}

std::vector<Case> cases() {
  using P = PacketBuilder;
  return {
      {"AH valid (keepalived's auth_type AH)", 91,
       [](const std::string& s) { return P().ipv4(s).ah().vrrp(ah_advert()); }, Verdict::Pass,
       kAccepted},
      {"AH TTL 64", 91,
       [](const std::string& s) { return P().ipv4(s).ttl(64).ah().vrrp(ah_advert()); },
       Verdict::Drop, dropped("bad-ttl")},
      {"AH bad checksum", 91,
       [](const std::string& s) {
         return P().ipv4(s).ah().vrrp(ah_advert({.corrupt_checksum = true}));
       },
       Verdict::Drop, dropped("bad-checksum")},
      {"AH interval 2 s, ours 1 s", 91,
       [](const std::string& s) { return P().ipv4(s).ah().vrrp(ah_advert({.interval_cs = 200})); },
       Verdict::Drop, dropped("interval-mismatch")},
      {"AH bytes after the message", 91,
       [](const std::string& s) { return P().ipv4(s).ah().vrrp(ah_advert({.trailing_bytes = 8})); },
       Verdict::Drop, dropped("oversized")},
      // keepalived: "No AH header but auth type is AH".
      {"plain advert for our AH VRID", 91,
       [](const std::string& s) { return P().ipv4(s).vrrp(ah_advert()); }, Verdict::Drop,
       dropped("auth-type-mismatch")},
      // keepalived: "Received AH header but auth type not AH".
      {"AH advert for our PASS VRID", 51,
       [](const std::string& s) { return P().ipv4(s).ah().vrrp(v2()); }, Verdict::Drop,
       dropped("auth-type-mismatch")},
      {"AH header, auth type 1 inside", 91,
       [](const std::string& s) {
         return P().ipv4(s).ah().vrrp(ah_advert({.password = "secret", .auth_type = 1}));
       },
       Verdict::Drop, dropped("auth-type-mismatch")},
      // IPsec traffic that is not an advert is none of the guard's business.
      {"AH carrying TCP", 91,
       [](const std::string& s) { return P().ipv4(s).ah({.next_header = 6}).vrrp(ah_advert()); },
       Verdict::Pass, kUntouched},
      {"AH header cut short", 91,
       [](const std::string& s) { return P().ipv4(s).cut(30).ah().vrrp(ah_advert()); },
       Verdict::Pass, kUntouched},
      {"v2 valid", 51, [](const std::string& s) { return P().ipv4(s).vrrp(v2()); }, Verdict::Pass,
       kAccepted},
      {"v2 TTL 64", 51, [](const std::string& s) { return P().ipv4(s).ttl(64).vrrp(v2()); },
       Verdict::Drop, dropped("bad-ttl")},
      {"version 1", 51, [](const std::string& s) { return P().ipv4(s).vrrp(v2({.version = 1})); },
       Verdict::Drop, dropped("bad-version")},
      {"type 2", 51, [](const std::string& s) { return P().ipv4(s).vrrp(v2({.type = 2})); },
       Verdict::Drop, dropped("bad-type")},
      {"count larger than the addresses", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v2({.count = 3})); }, Verdict::Drop,
       dropped("truncated")},
      {"bytes after the message", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v2({.trailing_bytes = 8})); },
       Verdict::Drop, dropped("oversized")},
      {"frame shorter than its IP length says", 51,
       [](const std::string& s) { return P().ipv4(s).cut(4).vrrp(v2()); }, Verdict::Drop,
       dropped("truncated")},
      {"255 addresses: not our list", 51,
       [](const std::string& s) {
         std::vector<std::string> many;
         for (int n = 0; n < 255; ++n) many.push_back("198.51.100." + std::to_string(n));
         return P().ipv4(s).vrrp(v2({.vips = many}));
       },
       Verdict::Drop, dropped("address-list-mismatch")},
      {"bad checksum", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v2({.corrupt_checksum = true})); },
       Verdict::Drop, dropped("bad-checksum")},
      {"wrong password", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v2({.password = "guess"})); },
       Verdict::Drop, dropped("auth-mismatch")},
      {"no auth, we use PASS", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v2({.auth_type = 0})); }, Verdict::Drop,
       dropped("auth-type-mismatch")},
      {"v3 advert for our v2 VRID", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v3(51, {"192.0.2.10"}, 100)); },
       Verdict::Drop, dropped("version-mismatch")},
      {"v2 interval 2 s, ours 1 s", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v2({.interval_cs = 200})); },
       Verdict::Drop, dropped("interval-mismatch")},
      {"v3 IPv4 valid (pseudo-header checksum)", 61,
       [](const std::string& s) { return P().ipv4(s).vrrp(v3(61, {"192.0.2.20"}, 50)); },
       Verdict::Pass, kAccepted},
      // keepalived checks v3 over IPv4 with the pseudo-header too.
      {"v3 IPv4 with the v2-style checksum", 61,
       [](const std::string& s) {
         auto v = v3(61, {"192.0.2.20"}, 50);
         v.v3_checksum_without_pseudo_header = true;
         return P().ipv4(s).vrrp(v);
       },
       Verdict::Drop, dropped("bad-checksum")},
      {"v3 IPv4 other interval is learnt, not dropped", 61,
       [](const std::string& s) { return P().ipv4(s).vrrp(v3(61, {"192.0.2.20"}, 100)); },
       Verdict::Pass, kAccepted},
      {"v3 IPv6 valid", 71,
       [](const std::string& s) { return P().ipv6(s).vrrp(v3(71, {"2001:db8::10"}, 100)); },
       Verdict::Pass, kAccepted, true},
      {"v3 IPv6 hop limit 64", 71,
       [](const std::string& s) { return P().ipv6(s).ttl(64).vrrp(v3(71, {"2001:db8::10"}, 100)); },
       Verdict::Drop, dropped("bad-ttl"), true},
      {"v3 IPv6 count larger than the addresses", 71,
       [](const std::string& s) {
         auto v = v3(71, {"2001:db8::10"}, 100);
         v.count = 2;
         return P().ipv6(s).vrrp(v);
       },
       Verdict::Drop, dropped("truncated"), true},
      {"v3 IPv6 bytes after the message", 71,
       [](const std::string& s) {
         auto v = v3(71, {"2001:db8::10"}, 100);
         v.trailing_bytes = 16;
         return P().ipv6(s).vrrp(v);
       },
       Verdict::Drop, dropped("oversized"), true},
      {"v3 IPv6 bad checksum", 71,
       [](const std::string& s) {
         auto v = v3(71, {"2001:db8::10"}, 100);
         v.corrupt_checksum = true;
         return P().ipv6(s).vrrp(v);
       },
       Verdict::Drop, dropped("bad-checksum"), true},
      // A tagged frame is a VLAN interface's (its own instances, its own
      // guard): not judged by this interface's configuration.
      {"VLAN-tagged, our VRID", 51,
       [](const std::string& s) { return P().vlan(10).ipv4(s).vrrp(v2()); }, Verdict::Pass,
       kUntouched},
      {"VLAN-tagged, our VRID, TTL 64 and a wrong password", 51,
       [](const std::string& s) {
         return P().vlan(10).ipv4(s).ttl(64).vrrp(v2({.password = "other"}));
       },
       Verdict::Pass, kUntouched},
      {"our VRID, shorter than the VRRP header", 51,
       [](const std::string& s) {
         return P().ipv4(s).other({.protocol = 112, .payload = {0x21, 51, 100, 1}});
       },
       Verdict::Drop, dropped("truncated")},
      {"other VRID, shorter than the VRRP header", 99,
       [](const std::string& s) {
         return P().ipv4(s).other({.protocol = 112, .payload = {0x21, 99, 100}});
       },
       Verdict::Pass, kUntouched},
      {"unicast instance: TTL 64 is fine", 81,
       [](const std::string& s) {
         return P().ipv4(s, "192.0.2.50").ttl(64).vrrp({.vrid = 81, .vips = {"192.0.2.30"}});
       },
       Verdict::Pass, kAccepted},
      // What we do not own passes untouched, however broken.
      {"other VRID, TTL 64, bad checksum", 99,
       [](const std::string& s) {
         return P().ipv4(s).ttl(64).vrrp({.vrid = 99, .password = "x", .corrupt_checksum = true});
       },
       Verdict::Pass, kUntouched},
      {"other VRID on IPv6", 98,
       [](const std::string& s) { return P().ipv6(s).ttl(1).vrrp(v3(98, {"2001:db8::99"}, 100)); },
       Verdict::Pass, kUntouched, true},
      {"our VRID on another family (IPv6 51)", 51,
       [](const std::string& s) { return P().ipv6(s).vrrp(v3(51, {"2001:db8::51"}, 100)); },
       Verdict::Pass, kUntouched, true},
      {"UDP", 51, [](const std::string& s) { return P().ipv4(s).ttl(64).other({}); }, Verdict::Pass,
       kUntouched},
      // Our VRID's first fragment is dropped: the rest can never be
      // reassembled past the guard.
      {"IPv4 first fragment of our VRID", 51,
       [](const std::string& s) { return P().ipv4(s).fragment().vrrp(v2()); }, Verdict::Drop,
       dropped("fragment")},
      {"IPv4 later fragment", 51,
       [](const std::string& s) { return P().ipv4(s).fragment(8).vrrp(v2()); }, Verdict::Pass,
       kUntouched},
      {"IPv4 first fragment of another VRID", 99,
       [](const std::string& s) { return P().ipv4(s).fragment().vrrp({.vrid = 99}); },
       Verdict::Pass, kUntouched},
      {"IPv6 first fragment of our VRID", 71,
       [](const std::string& s) {
         return P().ipv6(s).ext_header(44).vrrp(v3(71, {"2001:db8::10"}, 100));
       },
       Verdict::Drop, dropped("fragment"), true},
      {"IPv6 later fragment", 71,
       [](const std::string& s) {
         return P().ipv6(s).ext_header(44, 8).vrrp(v3(71, {"2001:db8::10"}, 100));
       },
       Verdict::Pass, kUntouched, true},
      {"IPv6 behind hop-by-hop and destination options: checked like any advert", 71,
       [](const std::string& s) {
         return P().ipv6(s).ext_header(0).ext_header(60).vrrp(v3(71, {"2001:db8::10"}, 100));
       },
       Verdict::Pass, kAccepted, true},
      {"IPv6 behind a routing header, wrong VIP", 71,
       [](const std::string& s) {
         return P().ipv6(s).ext_header(43).vrrp(v3(71, {"2001:db8::99"}, 100));
       },
       Verdict::Drop, dropped("address-list-mismatch"), true},
      {"IPv6 behind a routing header, hop limit 64", 71,
       [](const std::string& s) {
         return P().ipv6(s).ttl(64).ext_header(43).vrrp(v3(71, {"2001:db8::10"}, 100));
       },
       Verdict::Drop, dropped("bad-ttl"), true},
      {"wrong address list", 51,
       [](const std::string& s) { return P().ipv4(s).vrrp(v2({.vips = {"192.0.2.99"}})); },
       Verdict::Drop, dropped("address-list-mismatch")},
      {"our VIP listed twice", 51,
       [](const std::string& s) {
         return P().ipv4(s).vrrp(v2({.vips = {"192.0.2.10", "192.0.2.10"}}));
       },
       Verdict::Drop, dropped("address-list-mismatch")},
      {"check_unicast_src: not a peer", 82,
       [](const std::string& s) {
         return P().ipv4(s, "192.0.2.50").vrrp({.vrid = 82, .vips = {"192.0.2.41", "192.0.2.40"}});
       },
       Verdict::Drop, dropped("not-unicast-peer")},
      {"unicast instance, multicast advert", 81,
       [](const std::string& s) { return P().ipv4(s).vrrp({.vrid = 81, .vips = {"192.0.2.30"}}); },
       Verdict::Drop, dropped("multicast-in-unicast-mode")},
      {"multicast instance, unicast advert", 51,
       [](const std::string& s) { return P().ipv4(s, "192.0.2.50").vrrp(v2()); }, Verdict::Drop,
       dropped("unicast-in-multicast-mode")},
      {"v3 interval 0", 61,
       [](const std::string& s) { return P().ipv4(s).vrrp(v3(61, {"192.0.2.20"}, 0)); },
       Verdict::Drop, dropped("zero-interval")},
      {"from our own address", 51,
       [](const std::string&) { return P().ipv4("192.0.2.50").vrrp(v2()); }, Verdict::Drop,
       kUntouched},
      {"ARP", 51, [](const std::string&) { return P().arp({}); }, Verdict::Pass, kUntouched},
  };
}

class GuardFilterTest : public GuardFixture, public ::testing::WithParamInterface<Program> {};

TEST_P(GuardFilterTest, ReceiveChecksTable) {
  int n = 0;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    // A source of its own per case, so each counter row belongs to one case.
    ++n;
    std::string src = c.v6 ? "fe80::1:" + std::to_string(n) : "192.0.2." + std::to_string(100 + n);
    EXPECT_EQ(run(GetParam(), c.frame(src).build()), c.verdict);
    auto row = router(c.vrid, src);
    switch (c.expect.what) {
      case Expect::Untouched:
        EXPECT_FALSE(row.has_value()) << "counted a frame we do not own";
        break;
      case Expect::Accepted:
        ASSERT_TRUE(row.has_value());
        EXPECT_EQ(row->adverts, 1u);
        EXPECT_TRUE(row->drops.empty());
        EXPECT_GT(row->last_seen_usec, 0u);
        break;
      case Expect::Dropped:
        ASSERT_TRUE(row.has_value());
        EXPECT_EQ(row->adverts, 0u);
        EXPECT_EQ(testing::by_name(row->drops),
                  (std::map<std::string, uint64_t>{{c.expect.reason, 1}}));
        break;
    }
  }
}

TEST_P(GuardFilterTest, AcceptedAdvertRecordsPriorityAndInterval) {
  run(GetParam(), PacketBuilder().ipv4("192.0.2.7").vrrp(v2({.priority = 150})).build());
  run(GetParam(), PacketBuilder().ipv4("192.0.2.8").vrrp(v3(61, {"192.0.2.20"}, 50)).build());
  auto a = router(51, "192.0.2.7");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->last_priority, 150);
  EXPECT_EQ(a->last_interval_cs, 100);
  EXPECT_EQ(a->family, Family::V4);
  auto b = router(61, "192.0.2.8");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->last_interval_cs, 50);
}

// The token bucket allows a burst of 2 x 10/s per source for a 1 s interval;
// a flood from one source is cut down to that, counted as rate-limit drops.
TEST_P(GuardFilterTest, FloodFromOneSourceIsRateLimited) {
  auto frame = PacketBuilder().ipv4("192.0.2.9").vrrp(v2()).build();
  EXPECT_EQ(run(GetParam(), frame, 200), Verdict::Drop);  // the last of 200 back to back
  auto row = router(51, "192.0.2.9");
  ASSERT_TRUE(row);
  uint64_t limited = testing::by_name(row->drops)["rate-limit"];
  EXPECT_EQ(row->adverts + limited, 200u);
  EXPECT_GE(row->adverts, 20u);
  EXPECT_LE(row->adverts, 22u);  // the burst, plus what refills while the loop runs
  // Another source has its own bucket.
  EXPECT_EQ(run(GetParam(), PacketBuilder().ipv4("192.0.2.11").vrrp(v2()).build()), Verdict::Pass);
}

TEST_P(GuardFilterTest, WrongPasswordFloodIsDroppedNotRateLimited) {
  auto frame = PacketBuilder().ipv4("192.0.2.12").vrrp(v2({.password = "flood"})).build();
  run(GetParam(), frame, 500);
  auto row = router(51, "192.0.2.12");
  ASSERT_TRUE(row);
  EXPECT_EQ(testing::by_name(row->drops),
            (std::map<std::string, uint64_t>{{"auth-mismatch", 500}}));
}

// Too short to show its VRID, it could be ours: dropped all the same, and
// counted on the interface's VRID 0 row (no advert to charge it to).
TEST_P(GuardFilterTest, FirstFragmentWithoutTheVrrpHeaderIsDropped) {
  auto frame =
      PacketBuilder().ipv6("fe80::9").ext_header(44).other({.protocol = 112, .payload = {}});
  EXPECT_EQ(run(GetParam(), frame.build()), Verdict::Drop);
  auto row = router(0, "::");
  ASSERT_TRUE(row);
  EXPECT_EQ(testing::by_name(row->drops), (std::map<std::string, uint64_t>{{"fragment", 1}}));
}

// An extension header chain the guard cannot follow to its end.
TEST_P(GuardFilterTest, OverlongExtensionHeaderChainIsDropped) {
  PacketBuilder frame;
  frame.ipv6("fe80::9");
  for (int i = 0; i < 9; ++i) frame.ext_header(60);
  frame.vrrp({.version = 3, .vrid = 71, .vips = {"2001:db8::10"}});
  EXPECT_EQ(run(GetParam(), frame.build()), Verdict::Drop);
  auto row = router(0, "::");
  ASSERT_TRUE(row);
  EXPECT_EQ(testing::by_name(row->drops),
            (std::map<std::string, uint64_t>{{"ext-header-chain", 1}}));
}

INSTANTIATE_TEST_SUITE_P(Programs, GuardFilterTest,
                         ::testing::Values(Program::Xdp, Program::TcIngress),
                         [](const auto& param_info) {
                           return param_info.param == Program::Xdp ? std::string("Xdp")
                                                                   : std::string("TcIngress");
                         });

}  // namespace
}  // namespace keepvip::test
