// Adverts captured from keepalived 2.2.7 (Debian 12 package), used as
// known-answer vectors for the codec.
//
// How they were captured (capture_keepalived_vectors.sh repeats it): a
// network namespace with a veth pair (kvc0 <-> kvc1, both ends in the
// namespace), 192.0.2.2/24 and 2001:db8::2/64 nodad on kvc0, then
//   keepalived -n -l -D -f CONF -p PIDFILE -r VRRP_PIDFILE --vrrp
// with CONF one of the configs below, and
//   tshark -i kvc1 -c 6 -a duration:10 -f "ip proto 112 or ip6 proto 112"
// on the other end; keepalived was then stopped with SIGTERM (which produced
// the priority-0 adverts) and the namespace deleted. The bytes are the IP
// packets from those captures, minus the Ethernet header.
//
// v2 (PASS auth):  vrrp_instance VI_V2 { state MASTER; interface kvc0;
//   virtual_router_id 51; priority 150; advert_int 1;
//   authentication { auth_type PASS; auth_pass 1111 }
//   virtual_ipaddress { 192.0.2.100/24; 192.0.2.101/24 } }
// v3 over IPv4:    global_defs { vrrp_version 3 }
//   vrrp_instance VI_V3 { state MASTER; interface kvc0; virtual_router_id 52;
//   priority 120; advert_int 0.5; virtual_ipaddress { 192.0.2.110/24 } }
// v3 over IPv6:    global_defs { vrrp_version 3 }
//   vrrp_instance VI_V6 { state MASTER; interface kvc0; virtual_router_id 53;
//   priority 200; advert_int 1;
//   virtual_ipaddress { 2001:db8::100/64; 2001:db8::101/64 } }
#pragma once

#include <array>
#include <cstdint>

namespace keepvip::proto::vectors {

// v2, VRID 51, priority 150, 2 addresses, auth PASS "1111", Adver Int 1 s.
// Whole IPv4 packet: 192.0.2.2 -> 224.0.0.18, TTL 255, TOS 0xc0.
inline constexpr std::array<uint8_t, 44> kV2PassIpv4Packet = {
    0x45, 0xc0, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x18, 0x8c,
    0xc0, 0x00, 0x02, 0x02, 0xe0, 0x00, 0x00, 0x12,  // IPv4 header
    0x21, 0x33, 0x96, 0x02, 0x01, 0x01, 0x60, 0x9c, 0xc0, 0x00, 0x02, 0x64,
    0xc0, 0x00, 0x02, 0x65, 0x31, 0x31, 0x31, 0x31, 0x00, 0x00, 0x00, 0x00};
inline constexpr std::array<uint8_t, 24> kV2Pass = {0x21, 0x33, 0x96, 0x02, 0x01, 0x01, 0x60, 0x9c,
                                                    0xc0, 0x00, 0x02, 0x64, 0xc0, 0x00, 0x02, 0x65,
                                                    0x31, 0x31, 0x31, 0x31, 0x00, 0x00, 0x00, 0x00};

// The same instance's last advert when keepalived got SIGTERM: priority 0.
inline constexpr std::array<uint8_t, 24> kV2PassShutdown = {
    0x21, 0x33, 0x00, 0x02, 0x01, 0x01, 0xf6, 0x9c, 0xc0, 0x00, 0x02, 0x64,
    0xc0, 0x00, 0x02, 0x65, 0x31, 0x31, 0x31, 0x31, 0x00, 0x00, 0x00, 0x00};

// v3 over IPv4, VRID 52, priority 120, 1 address, Max Adver Int 50 cs. The
// checksum covers the RFC 5798 pseudo-header (192.0.2.2 -> 224.0.0.18).
inline constexpr std::array<uint8_t, 32> kV3Ipv4Packet = {
    0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x18, 0x98,
    0xc0, 0x00, 0x02, 0x02, 0xe0, 0x00, 0x00, 0x12,  // IPv4 header
    0x31, 0x34, 0x78, 0x01, 0x00, 0x32, 0xf1, 0x97, 0xc0, 0x00, 0x02, 0x6e};
inline constexpr std::array<uint8_t, 12> kV3Ipv4 = {0x31, 0x34, 0x78, 0x01, 0x00, 0x32,
                                                    0xf1, 0x97, 0xc0, 0x00, 0x02, 0x6e};

// The same instance's priority-0 advert on SIGTERM.
inline constexpr std::array<uint8_t, 12> kV3Ipv4Shutdown = {0x31, 0x34, 0x00, 0x01, 0x00, 0x32,
                                                            0x69, 0x98, 0xc0, 0x00, 0x02, 0x6e};

// v3 over IPv6, VRID 53, priority 200, 2 addresses, Max Adver Int 100 cs,
// from fe80::9884:50ff:fe66:fe2b to ff02::12, hop limit 255.
inline constexpr const char* kV3Ipv6Source = "fe80::9884:50ff:fe66:fe2b";
inline constexpr std::array<uint8_t, 40> kV3Ipv6 = {
    0x31, 0x35, 0xc8, 0x02, 0x00, 0x64, 0xc4, 0xab,  // header
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,  // 2001:db8::100
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01};  // 2001:db8::101

}  // namespace keepvip::proto::vectors
