#include "packet_builder.h"

#include <algorithm>
#include <stdexcept>

namespace keepvip::test {

namespace {

constexpr uint8_t kProtoVrrp = 112;
constexpr uint8_t kProtoAh = 51;
constexpr uint8_t kProtoIcmpv6 = 58;

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

void put(std::vector<uint8_t>& out, std::span<const uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

IpAddress parse(const std::string& text) {
  auto a = IpAddress::parse(text);
  if (!a) throw std::invalid_argument("bad address " + text);
  return *a;
}

uint32_t sum16(std::span<const uint8_t> bytes, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < bytes.size(); i += 2)
    sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (bytes.size() % 2) sum += static_cast<uint32_t>(bytes.back() << 8);
  return sum;
}

uint16_t finish(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

uint32_t pseudo_sum(const IpAddress& src, const IpAddress& dst, uint8_t proto, size_t len) {
  uint32_t sum = sum16(src.bytes()) + sum16(dst.bytes());
  auto len32 = static_cast<uint32_t>(len);
  if (src.is_v6()) return sum + (len32 >> 16) + (len32 & 0xffff) + proto;
  return sum + proto + len32;
}

void set_checksum(std::vector<uint8_t>& msg, size_t at, uint16_t csum) {
  msg[at] = static_cast<uint8_t>(csum >> 8);
  msg[at + 1] = static_cast<uint8_t>(csum);
}

std::vector<uint8_t> vrrp_message(const Vrrp& v, const IpAddress& src, const IpAddress& dst) {
  std::vector<uint8_t> m;
  m.push_back(static_cast<uint8_t>(v.version << 4 | v.type));
  m.push_back(v.vrid);
  m.push_back(v.priority);
  m.push_back(v.count.value_or(static_cast<uint8_t>(v.vips.size())));
  if (v.version == 2) {
    m.push_back(v.auth_type.value_or(v.password.empty() ? 0 : 1));
    m.push_back(static_cast<uint8_t>(v.interval_cs / 100));
  } else {
    put16(m, v.interval_cs & 0x0fff);
  }
  put16(m, 0);
  for (const auto& vip : v.vips) put(m, parse(vip).bytes());
  if (v.version == 2) {
    uint8_t auth[8] = {};
    for (size_t i = 0; i < v.password.size() && i < 8; ++i)
      auth[i] = static_cast<uint8_t>(v.password[i]);
    put(m, auth);
  }
  m.insert(m.end(), v.trailing_bytes, 0);
  uint32_t sum = sum16(m);
  if (v.version == 3 && !v.v3_checksum_without_pseudo_header)
    sum += pseudo_sum(src, dst, kProtoVrrp, m.size());
  uint16_t csum = finish(sum);
  if (v.corrupt_checksum) csum ^= 0x5a5a;
  set_checksum(m, 6, csum);
  return m;
}

std::vector<uint8_t> na_message(const NeighbourAdvert& n, const IpAddress& src,
                                const IpAddress& dst) {
  std::vector<uint8_t> m{136, 0, 0, 0, 0x20, 0, 0, 0};  // override flag
  put(m, parse(n.target).bytes());
  if (n.target_ll) {
    m.push_back(2);
    m.push_back(1);
    put(m, *n.target_ll);
  }
  set_checksum(m, 2, finish(sum16(m, pseudo_sum(src, dst, kProtoIcmpv6, m.size()))));
  return m;
}

}  // namespace

PacketBuilder& PacketBuilder::src_mac(Mac mac) {
  src_mac_ = mac;
  return *this;
}
PacketBuilder& PacketBuilder::vlan(uint16_t id) {
  vlan_ = id;
  return *this;
}
PacketBuilder& PacketBuilder::ipv4(const std::string& src, const std::string& dst) {
  src_ = parse(src);
  dst_ = parse(dst);
  return *this;
}
PacketBuilder& PacketBuilder::ipv6(const std::string& src, const std::string& dst) {
  return ipv4(src, dst);  // the addresses say which family
}
PacketBuilder& PacketBuilder::ttl(uint8_t ttl) {
  ttl_ = ttl;
  return *this;
}
PacketBuilder& PacketBuilder::fragment(uint16_t offset) {
  fragment_ = offset;
  return *this;
}
PacketBuilder& PacketBuilder::ext_header(uint8_t type, uint16_t fragment_offset) {
  ext_headers_.emplace_back(type, fragment_offset);
  return *this;
}
PacketBuilder& PacketBuilder::cut(size_t bytes) {
  cut_ = bytes;
  return *this;
}
PacketBuilder& PacketBuilder::ah(Ah a) {
  ah_ = a;
  return *this;
}

PacketBuilder& PacketBuilder::vrrp(Vrrp v) {
  l4_ = std::move(v);
  return *this;
}
PacketBuilder& PacketBuilder::arp(Arp a) {
  l4_ = std::move(a);
  return *this;
}
PacketBuilder& PacketBuilder::na(NeighbourAdvert n) {
  l4_ = std::move(n);
  return *this;
}
PacketBuilder& PacketBuilder::other(OtherL4 o) {
  l4_ = std::move(o);
  return *this;
}

std::vector<uint8_t> PacketBuilder::build() const {
  std::vector<uint8_t> f;
  bool v6 = src_ && src_->is_v6();
  // Destination: the VRRP multicast MAC for IP, broadcast for ARP.
  if (std::holds_alternative<Arp>(l4_)) {
    f.insert(f.end(), 6, 0xff);
  } else if (v6) {
    put(f, std::array<uint8_t, 6>{0x33, 0x33, 0, 0, 0, 0x12});
  } else {
    put(f, std::array<uint8_t, 6>{0x01, 0x00, 0x5e, 0, 0, 0x12});
  }
  put(f, src_mac_);
  if (vlan_) {
    put16(f, 0x8100);
    put16(f, *vlan_);
  }

  if (const auto* a = std::get_if<Arp>(&l4_)) {
    put16(f, 0x0806);
    put16(f, 1);
    put16(f, 0x0800);
    f.push_back(6);
    f.push_back(4);
    put16(f, a->op);
    put(f, a->sender_mac);
    put(f, parse(a->sender_ip).bytes());
    put(f, a->target_mac);
    put(f, parse(a->target_ip).bytes());
    return f;
  }
  if (!src_ || !dst_) throw std::logic_error("PacketBuilder: no IP layer");

  std::vector<uint8_t> l4;
  uint8_t proto = 0;
  if (const auto* v = std::get_if<Vrrp>(&l4_)) {
    l4 = vrrp_message(*v, *src_, *dst_);
    proto = kProtoVrrp;
    if (ah_) {
      std::vector<uint8_t> header{ah_->next_header, ah_->payload_length, 0, 0};
      put(header, src_->bytes());  // keepalived's SPI: the source address
      put16(header, static_cast<uint16_t>(ah_->sequence >> 16));
      put16(header, static_cast<uint16_t>(ah_->sequence & 0xffff));
      header.insert(header.end(), 12, 0);  // ICV
      l4.insert(l4.begin(), header.begin(), header.end());
      proto = kProtoAh;
    }
  } else if (const auto* n = std::get_if<NeighbourAdvert>(&l4_)) {
    l4 = na_message(*n, *src_, *dst_);
    proto = kProtoIcmpv6;
  } else if (const auto* o = std::get_if<OtherL4>(&l4_)) {
    l4 = o->payload;
    proto = o->protocol;
  }

  if (v6) {
    std::vector<uint8_t> ext;
    for (size_t i = 0; i < ext_headers_.size(); ++i) {
      const auto& [type, offset] = ext_headers_[i];
      ext.push_back(i + 1 < ext_headers_.size() ? ext_headers_[i + 1].first : proto);
      ext.push_back(0);  // 8 bytes long; reserved for a fragment header
      if (type == 44) {
        put16(ext, static_cast<uint16_t>(offset | 1));       // offset (8-byte units << 3), M
        put(ext, std::array<uint8_t, 4>{0, 0, 0x4b, 0x56});  // identification
      } else {
        ext.insert(ext.end(), 6, 0);
      }
    }
    put16(f, 0x86dd);
    put(f, std::array<uint8_t, 4>{0x60, 0, 0, 0});
    put16(f, static_cast<uint16_t>(ext.size() + l4.size()));
    f.push_back(ext_headers_.empty() ? proto : ext_headers_.front().first);
    f.push_back(ttl_);
    put(f, src_->bytes());
    put(f, dst_->bytes());
    put(f, ext);
  } else {
    put16(f, 0x0800);
    size_t ip_start = f.size();
    f.push_back(0x45);
    f.push_back(0xc0);
    put16(f, static_cast<uint16_t>(20 + l4.size()));
    put16(f, 0);                                                               // id
    put16(f, fragment_ ? static_cast<uint16_t>(0x2000 | *fragment_ / 8) : 0);  // MF, offset
    f.push_back(ttl_);
    f.push_back(proto);
    put16(f, 0);
    put(f, src_->bytes());
    put(f, dst_->bytes());
    uint16_t csum = finish(sum16(std::span<const uint8_t>(f).subspan(ip_start, 20)));
    set_checksum(f, ip_start + 10, csum);
  }
  put(f, l4);
  f.resize(f.size() - std::min(cut_, f.size()));
  return f;
}

}  // namespace keepvip::test
