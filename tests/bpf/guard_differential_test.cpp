// The guard must never pass what keepvipd rejects, nor drop what it accepts:
// one table of crafted frames goes through the XDP program
// (bpf_prog_test_run_opts) and through keepvipd's receive path
// (decode_advert, then check_received_advert, as InstanceRunner::on_packet
// runs them), and both must give the same verdict and the same reason.
//
// Frames a kernel socket never delivers (fragments, frames shorter than
// their IP length) are the guard's alone and live in guard_filter_test.cpp.
#include <optional>
#include <string>

#include "drop_names.h"
#include "guard_fixture.h"
#include "packet_builder.h"
#include "proto/advert.h"
#include "vrrp/receive_checks.h"

namespace keepvip::test {
namespace {

constexpr size_t kEthernetHeader = 14;
constexpr size_t kIpv6Header = 40;

// What keepvipd's raw socket would hand the instance: metadata and the VRRP
// message (the kernel steps over IPv6 extension headers).
struct Received {
  proto::PacketMeta meta;
  std::vector<uint8_t> payload;
};

std::optional<Received> as_received(const std::vector<uint8_t>& frame) {
  std::span<const uint8_t> ip(frame.data() + kEthernetHeader, frame.size() - kEthernetHeader);
  if (frame[12] == 0x08 && frame[13] == 0x00) {
    auto split = proto::split_ipv4(ip);
    if (!split) return std::nullopt;
    return Received{split->meta, {split->payload.begin(), split->payload.end()}};
  }
  Received r;
  r.meta.family = Family::V6;
  r.meta.ttl = ip[7];
  r.meta.source = *IpAddress::from_bytes(ip.subspan(8, 16));
  r.meta.destination = *IpAddress::from_bytes(ip.subspan(24, 16));
  uint8_t next = ip[6];
  size_t off = kIpv6Header;
  while (next == 0 || next == 43 || next == 60) {
    next = ip[off];
    off += (ip[off + 1] + 1u) * 8;
  }
  if (next != 112) return std::nullopt;
  r.payload.assign(ip.begin() + static_cast<std::ptrdiff_t>(off), ip.end());
  return r;
}

const ports::GuardInstance& instance_for(const std::vector<ports::GuardInstance>& all,
                                         uint8_t vrid) {
  for (const auto& g : all)
    if (g.vrid() == vrid) return g;
  throw std::logic_error("no instance for VRID " + std::to_string(vrid));
}

// keepvipd's verdict: "" when accepted, else the counter name.
std::string keepvipd_verdict(const ports::GuardInstance& g, const Received& r,
                             const std::optional<IpAddress>& master) {
  proto::DecodeOptions options;
  options.check_ttl = !g.receive.unicast;
  options.check_link_local_source = !g.receive.unicast;
  auto advert = proto::decode_advert(r.meta, r.payload, options);
  if (!advert) return std::string(proto::to_string(advert.error()));
  auto verdict = vrrp::check_received_advert(g.receive, r.meta, r.payload, master);
  if (!verdict) return std::string(vrrp::to_string(verdict.error()));
  return "";
}

struct Case {
  std::string name;
  uint8_t vrid;
  PacketBuilder frame;
};

Vrrp v2(Vrrp v = {}) {
  if (v.password.empty() && !v.auth_type) v.password = "secret";
  return v;
}
Vrrp v3(uint8_t vrid, std::vector<std::string> vips, uint16_t interval_cs) {
  return Vrrp{.version = 3, .vrid = vrid, .interval_cs = interval_cs, .vips = std::move(vips)};
}

// An advert of the auth_type AH instance (VRID 91): auth type 2, no password.
Vrrp ah_advert(Vrrp v = {}) {
  v.vrid = 91;
  if (v.vips == std::vector<std::string>{"192.0.2.10"}) v.vips = {"192.0.2.60"};
  if (!v.auth_type) v.auth_type = 2;
  return v;
}

std::vector<Case> cases() {
  using P = PacketBuilder;
  auto v3_v2sum = v3(61, {"192.0.2.20"}, 50);
  v3_v2sum.v3_checksum_without_pseudo_header = true;
  return {
      // The four the guard used to pass and keepvipd rejected.
      {"address list: another VIP", 51, P().ipv4("192.0.2.101").vrrp(v2({.vips = {"192.0.2.99"}}))},
      {"v3 interval 0", 61, P().ipv4("192.0.2.102").vrrp(v3(61, {"192.0.2.20"}, 0))},
      {"v3 over IPv4 with a v2-style checksum", 61, P().ipv4("192.0.2.103").vrrp(v3_v2sum)},
      {"IPv6 from a global source", 71,
       P().ipv6("2001:db8::104").vrrp(v3(71, {"2001:db8::10"}, 100))},
      // Everything else both sides check.
      {"v2 valid", 51, P().ipv4("192.0.2.105").vrrp(v2())},
      {"v3 IPv4 valid", 61, P().ipv4("192.0.2.106").vrrp(v3(61, {"192.0.2.20"}, 50))},
      {"v3 IPv6 valid", 71, P().ipv6("fe80::107").vrrp(v3(71, {"2001:db8::10"}, 100))},
      {"v3 IPv6 behind hop-by-hop and routing headers", 71,
       P().ipv6("fe80::108").ext_header(0).ext_header(43).vrrp(v3(71, {"2001:db8::10"}, 100))},
      {"TTL 64", 51, P().ipv4("192.0.2.109").ttl(64).vrrp(v2())},
      {"version 1", 51, P().ipv4("192.0.2.110").vrrp(v2({.version = 1}))},
      {"v2 over IPv6", 71,
       P().ipv6("fe80::111").vrrp({.vrid = 71, .vips = {"2001:db8::10"}, .password = "x"})},
      {"type 2", 51, P().ipv4("192.0.2.112").vrrp(v2({.type = 2}))},
      {"count 0", 51, P().ipv4("192.0.2.113").vrrp(v2({.vips = {}}))},
      {"count larger than the addresses", 51, P().ipv4("192.0.2.114").vrrp(v2({.count = 3}))},
      {"bytes after the message", 51, P().ipv4("192.0.2.115").vrrp(v2({.trailing_bytes = 8}))},
      {"bad checksum", 51, P().ipv4("192.0.2.116").vrrp(v2({.corrupt_checksum = true}))},
      {"v2 interval 0", 51, P().ipv4("192.0.2.117").vrrp(v2({.interval_cs = 0}))},
      {"own address", 51, P().ipv4("192.0.2.50").vrrp(v2())},
      {"v3 advert for our v2 VRID", 51, P().ipv4("192.0.2.118").vrrp(v3(51, {"192.0.2.10"}, 100))},
      {"no auth, we use PASS", 51, P().ipv4("192.0.2.119").vrrp(v2({.auth_type = 0}))},
      {"auth type 2 without an AH header", 51, P().ipv4("192.0.2.120").vrrp(v2({.auth_type = 2}))},
      // auth_type AH (VRID 91): the shared checks, after the AH header. The
      // ICV and the sequence number are keepvipd's alone (it holds the key).
      {"AH valid", 91, P().ipv4("192.0.2.133").ah().vrrp(ah_advert())},
      {"AH TTL 64", 91, P().ipv4("192.0.2.134").ttl(64).ah().vrrp(ah_advert())},
      {"AH interval 2 s", 91, P().ipv4("192.0.2.135").ah().vrrp(ah_advert({.interval_cs = 200}))},
      {"AH another VIP", 91,
       P().ipv4("192.0.2.136").ah().vrrp(ah_advert({.vips = {"192.0.2.99"}}))},
      {"AH bad checksum", 91,
       P().ipv4("192.0.2.137").ah().vrrp(ah_advert({.corrupt_checksum = true}))},
      {"plain advert for the AH instance", 91, P().ipv4("192.0.2.138").vrrp(ah_advert())},
      {"AH advert for the PASS instance", 51, P().ipv4("192.0.2.139").ah().vrrp(v2())},
      {"wrong password", 51, P().ipv4("192.0.2.121").vrrp(v2({.password = "guess"}))},
      {"v2 interval 2 s, ours 1 s", 51, P().ipv4("192.0.2.122").vrrp(v2({.interval_cs = 200}))},
      {"v3 other interval is learnt", 61,
       P().ipv4("192.0.2.123").vrrp(v3(61, {"192.0.2.20"}, 100))},
      {"our VIP and another", 51,
       P().ipv4("192.0.2.124").vrrp(v2({.vips = {"192.0.2.10", "192.0.2.11"}}))},
      {"our VIP twice", 51,
       P().ipv4("192.0.2.125").vrrp(v2({.vips = {"192.0.2.10", "192.0.2.10"}}))},
      {"two VIPs in another order", 82,
       P().ipv4("192.0.2.51", "192.0.2.50")
           .vrrp({.vrid = 82, .vips = {"192.0.2.41", "192.0.2.40"}})},
      {"one of two VIPs twice", 82,
       P().ipv4("192.0.2.132", "192.0.2.50")
           .vrrp({.vrid = 82, .vips = {"192.0.2.41", "192.0.2.41"}})},
      {"check_unicast_src: a peer", 82,
       P().ipv4("192.0.2.52", "192.0.2.50")
           .vrrp({.vrid = 82, .vips = {"192.0.2.40", "192.0.2.41"}})},
      {"check_unicast_src: not a peer", 82,
       P().ipv4("192.0.2.126", "192.0.2.50")
           .vrrp({.vrid = 82, .vips = {"192.0.2.40", "192.0.2.41"}})},
      {"unicast, no check: not a peer", 81,
       P().ipv4("192.0.2.127", "192.0.2.50").ttl(7).vrrp({.vrid = 81, .vips = {"192.0.2.30"}})},
      {"unicast instance, multicast advert", 81,
       P().ipv4("192.0.2.128").vrrp({.vrid = 81, .vips = {"192.0.2.30"}})},
      {"multicast instance, unicast advert", 51, P().ipv4("192.0.2.129", "192.0.2.50").vrrp(v2())},
  };
}

class GuardDifferentialTest : public GuardFixture {
 protected:
  // The guard's verdict: "" when passed and counted as an advert, else the
  // one drop reason counted on the source's row.
  std::string guard_verdict(const Case& c, const IpAddress& source) {
    Verdict v = run(Program::Xdp, c.frame.build());
    std::optional<ports::RouterCounters> row;
    for (auto& r : guard_->counters())
      if (r.vrid == c.vrid && r.source == source) row = r;
    if (!row) return v == Verdict::Pass ? "untouched" : "dropped, not counted";
    if (v == Verdict::Pass && row->adverts == 1 && row->drops.empty()) return "";
    if (v == Verdict::Drop && row->adverts == 0 && row->drops.size() == 1 &&
        row->drops.begin()->second == 1)
      return std::string(to_string(row->drops.begin()->first));
    return "inconsistent counters";
  }
};

TEST_F(GuardDifferentialTest, GuardAndKeepvipdAgreeOnEveryAdvert) {
  const auto all = instances();
  int accepted = 0;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    auto received = as_received(c.frame.build());
    ASSERT_TRUE(received);
    std::string user = keepvipd_verdict(instance_for(all, c.vrid), *received, std::nullopt);
    EXPECT_EQ(guard_verdict(c, received->meta.source), user)
        << "keepvipd: " << (user.empty() ? "accepted" : user);
    accepted += user.empty();
  }
  EXPECT_GE(accepted, 8) << "the table must accept too, not only reject";
}

// vrrp_skip_check_adv_addr: the master keepvipd follows is not held to the
// address list, in the kernel either.
TEST_F(GuardDifferentialTest, SkipCheckAdvAddrAppliesToTheFollowedMasterOnly) {
  auto all = instances();
  for (auto& g : all) g.receive.skip_check_adv_addr = true;
  ASSERT_TRUE(guard_->configure(all));
  const auto master = *IpAddress::parse("192.0.2.130");
  ASSERT_TRUE(guard_->set_master(kIfindex, 51, Family::V4, master));
  const Case from_master{"master, other list", 51,
                         PacketBuilder().ipv4("192.0.2.130").vrrp(v2({.vips = {"192.0.2.99"}}))};
  const Case from_other{"another, other list", 51,
                        PacketBuilder().ipv4("192.0.2.131").vrrp(v2({.vips = {"192.0.2.99"}}))};
  for (const Case& c : {from_master, from_other}) {
    SCOPED_TRACE(c.name);
    auto received = as_received(c.frame.build());
    ASSERT_TRUE(received);
    std::string user = keepvipd_verdict(instance_for(all, 51), *received, master);
    EXPECT_EQ(guard_verdict(c, received->meta.source), user);
  }
  EXPECT_EQ(
      keepvipd_verdict(instance_for(all, 51), *as_received(from_master.frame.build()), master), "");
}

}  // namespace
}  // namespace keepvip::test
