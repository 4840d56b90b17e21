// Builds Ethernet frames for the guard's data-path tests, fluently:
//   PacketBuilder().vlan(10).ipv4("192.0.2.2").ttl(64).vrrp(Vrrp{.vrid = 51}).build()
// Lengths and checksums are computed unless a field says to break them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/ip_address.h"

namespace keepvip::test {

using Mac = std::array<uint8_t, 6>;
inline constexpr Mac kPeerMac{0x52, 0x54, 0x00, 0x00, 0x00, 0x02};

struct Vrrp {
  uint8_t version = 2;
  uint8_t type = 1;
  uint8_t vrid = 51;
  uint8_t priority = 100;
  uint16_t interval_cs = 100;  // v2 sends whole seconds
  std::vector<std::string> vips{"192.0.2.10"};
  std::string password;              // v2: non-empty means auth type 1
  std::optional<uint8_t> auth_type;  // overrides the type derived from password
  std::optional<uint8_t> count;      // declared address count, if not vips.size()
  size_t trailing_bytes = 0;         // extra payload after the message
  bool corrupt_checksum = false;
  bool v3_checksum_without_pseudo_header = false;
};

// keepalived's auth_type AH: an AH header between the IPv4 header (protocol
// 51) and the VRRP message. The guard does not check the ICV (keepvipd
// holds the key), so it is left zero.
struct Ah {
  uint8_t next_header = 112;
  uint8_t payload_length = 4;
  uint32_t sequence = 1;
};

struct Arp {
  uint16_t op = 2;  // 1 request, 2 reply
  Mac sender_mac = kPeerMac;
  std::string sender_ip = "192.0.2.10";
  Mac target_mac{};
  std::string target_ip = "192.0.2.1";
};

struct NeighbourAdvert {
  std::string target = "2001:db8::10";
  std::optional<Mac> target_ll;  // the Target Link-Layer Address option
};

struct OtherL4 {
  uint8_t protocol = 17;
  std::vector<uint8_t> payload = std::vector<uint8_t>(16, 0xab);
};

class PacketBuilder {
 public:
  PacketBuilder& src_mac(Mac mac);
  PacketBuilder& vlan(uint16_t id);
  PacketBuilder& ipv4(const std::string& src, const std::string& dst = "224.0.0.18");
  PacketBuilder& ipv6(const std::string& src, const std::string& dst = "ff02::12");
  PacketBuilder& ttl(uint8_t ttl);  // hop limit for IPv6
  // An IPv4 fragment with "more fragments" set: the first (offset 0) or a
  // later one (offset in bytes, a multiple of 8).
  PacketBuilder& fragment(uint16_t offset = 0);
  // An IPv6 extension header before the payload, in call order: hop-by-hop
  // (0), routing (43), destination options (60), each 8 bytes, or a fragment
  // header (44) with "more fragments" at `fragment_offset`.
  PacketBuilder& ext_header(uint8_t type, uint16_t fragment_offset = 0);
  PacketBuilder& cut(size_t bytes);  // drop the frame's last bytes (IP lengths unchanged)
  PacketBuilder& vrrp(Vrrp v);
  PacketBuilder& ah(Ah a = {});  // IPv4 only, before vrrp()
  PacketBuilder& arp(Arp a);
  PacketBuilder& na(NeighbourAdvert n);
  PacketBuilder& other(OtherL4 o);
  std::vector<uint8_t> build() const;

 private:
  Mac src_mac_ = kPeerMac;
  std::optional<uint16_t> vlan_;
  std::optional<IpAddress> src_;
  std::optional<IpAddress> dst_;
  uint8_t ttl_ = 255;
  std::optional<uint16_t> fragment_;
  std::vector<std::pair<uint8_t, uint16_t>> ext_headers_;
  size_t cut_ = 0;
  std::optional<Ah> ah_;
  std::variant<std::monostate, Vrrp, Arp, NeighbourAdvert, OtherL4> l4_;
};

}  // namespace keepvip::test
