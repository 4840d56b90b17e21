// The pure half of announce.h: GARP and unsolicited NA frames as bytes.
#include <cstring>

#include "net/announce.h"
#include "proto/advert.h"

namespace keepvip::net {

namespace {

constexpr uint16_t kEtherTypeArp = 0x0806;
constexpr uint16_t kEtherTypeIpv6 = 0x86dd;
constexpr uint8_t kIcmpv6NeighbourAdvert = 136;
constexpr uint8_t kIpProtoIcmpv6 = 58;
constexpr uint8_t kOptionTargetLinkAddress = 2;
constexpr uint8_t kNaFlagRouter = 0x80;
constexpr uint8_t kNaFlagOverride = 0x20;
// ff02::1, all nodes, and its Ethernet mapping (RFC 2464 §7).
constexpr std::array<uint8_t, 16> kAllNodes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
constexpr MacAddress kAllNodesMac{0x33, 0x33, 0x00, 0x00, 0x00, 0x01};

class Frame {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u16(uint16_t v) {
    u8(static_cast<uint8_t>(v >> 8));
    u8(static_cast<uint8_t>(v & 0xff));
  }
  void u32(uint32_t v) {
    u16(static_cast<uint16_t>(v >> 16));
    u16(static_cast<uint16_t>(v & 0xffff));
  }
  void bytes(std::span<const uint8_t> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
  void ethernet(const MacAddress& dst, const MacAddress& src, uint16_t type) {
    bytes(dst);
    bytes(src);
    u16(type);
  }
  size_t size() const { return bytes_.size(); }
  std::vector<uint8_t>& data() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace

std::vector<uint8_t> build_garp_frame(const MacAddress& our_mac, const IpAddress& vip) {
  Frame f;
  f.ethernet(kBroadcastMac, our_mac, kEtherTypeArp);
  f.u16(1);       // hardware type: Ethernet
  f.u16(0x0800);  // protocol type: IPv4
  f.u8(6);        // hardware address length
  f.u8(4);        // protocol address length
  f.u16(1);       // operation: request (RFC 5227 §3: what hosts expect of an announcement)
  f.bytes(our_mac);
  f.bytes(vip.bytes());
  // Target hardware address: ignored in a request; broadcast, as keepalived sends it.
  f.bytes(kBroadcastMac);
  f.bytes(vip.bytes());
  return std::move(f.data());
}

std::vector<uint8_t> build_unsolicited_na_frame(const MacAddress& our_mac, const IpAddress& vip,
                                                const NaOptions& options) {
  constexpr uint16_t kIcmpLength = 24 + 8;  // NA header + target link-layer option
  Frame f;
  f.ethernet(kAllNodesMac, our_mac, kEtherTypeIpv6);
  // IPv6 header
  f.u32(0x60000000);  // version 6, traffic class 0, flow label 0
  f.u16(kIcmpLength);
  f.u8(kIpProtoIcmpv6);
  f.u8(255);  // hop limit: receivers drop ND packets with any other (RFC 4861 §7.1.2)
  f.bytes(vip.bytes());
  f.bytes(kAllNodes);
  const size_t icmp_start = f.size();
  f.u8(kIcmpv6NeighbourAdvert);
  f.u8(0);   // code
  f.u16(0);  // checksum, filled in below
  // Not Solicited: nobody asked. Override: replace cached link-layer addresses.
  f.u8(static_cast<uint8_t>(kNaFlagOverride | (options.router ? kNaFlagRouter : 0)));
  f.u8(0);
  f.u16(0);  // reserved
  f.bytes(vip.bytes());
  f.u8(kOptionTargetLinkAddress);
  f.u8(1);  // option length in units of 8 bytes
  f.bytes(our_mac);

  // Pseudo-header (RFC 8200 §8.1): source, destination, upper-layer length, next header.
  auto& frame = f.data();
  std::vector<uint8_t> pseudo;
  pseudo.insert(pseudo.end(), vip.bytes().begin(), vip.bytes().end());
  pseudo.insert(pseudo.end(), kAllNodes.begin(), kAllNodes.end());
  pseudo.insert(pseudo.end(),
                {0, 0, 0, static_cast<uint8_t>(kIcmpLength), 0, 0, 0, kIpProtoIcmpv6});
  pseudo.insert(pseudo.end(), frame.begin() + static_cast<long>(icmp_start), frame.end());
  uint16_t checksum = proto::internet_checksum(pseudo);
  frame[icmp_start + 2] = static_cast<uint8_t>(checksum >> 8);
  frame[icmp_start + 3] = static_cast<uint8_t>(checksum & 0xff);
  return std::move(frame);
}

}  // namespace keepvip::net
