"""A rogue lab host claims an address: gratuitous ARP (IPv4) or an unsolicited
Neighbor Advertisement (IPv6), sent from the host's own MAC.

    send_garp(lab, "r", "192.0.2.100")
    send_unsolicited_na(lab, "r", "2001:db8::100")

Both go out raw on the host's eth0 (an AF_PACKET socket created in its
namespace), as a second master or a misconfigured box would send them; the
frames are built here because arping/ndisc6 options differ between
distributions, and ndisc6 is not always installed.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import time

from .lab import IFNAME, Lab
from .netlink_addrs import socket_in_netns
from .packets import internet_checksum, vrrp_frame, vrrp_message

ETH_P_ARP = 0x0806
ETH_P_IPV6 = 0x86DD
ICMPV6 = 58
NA_TYPE = 136
NA_FLAG_OVERRIDE = 0x20000000
ND_OPT_TARGET_LL_ADDR = 2
ALL_NODES = ipaddress.IPv6Address("ff02::1")


def garp_frame(mac: bytes, address: str) -> bytes:
    """A gratuitous ARP request: sender = target = address, from mac."""
    ip = ipaddress.IPv4Address(address).packed
    arp = bytes.fromhex("0001080006040001") + mac + ip + b"\xff" * 6 + ip
    return b"\xff" * 6 + mac + struct.pack("!H", ETH_P_ARP) + arp


def unsolicited_na_frame(mac: bytes, source: str, address: str) -> bytes:
    """An unsolicited NA (RFC 4861 7.2.6) for address to all nodes, Override
    set, with our MAC as the target link-layer address, hop limit 255."""
    src = ipaddress.IPv6Address(source).packed
    dst = ALL_NODES.packed
    body = struct.pack("!BBHI", NA_TYPE, 0, 0, NA_FLAG_OVERRIDE) + \
        ipaddress.IPv6Address(address).packed + bytes([ND_OPT_TARGET_LL_ADDR, 1]) + mac
    pseudo = src + dst + struct.pack("!IxxxB", len(body), ICMPV6)
    csum = internet_checksum(pseudo + body)
    body = body[:2] + struct.pack("!H", csum) + body[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), ICMPV6, 255) + src + dst
    eth_dst = b"\x33\x33" + dst[12:]
    return eth_dst + mac + struct.pack("!H", ETH_P_IPV6) + ip6 + body


def _send(lab: Lab, host: str, build, count: int, gap: float) -> None:
    sock = socket_in_netns(f"/run/netns/{lab.host(host).ns}", socket.AF_PACKET, socket.SOCK_RAW)
    try:
        sock.bind((IFNAME, 0))
        frame = build(sock.getsockname()[4])
        for i in range(count):
            if i:
                time.sleep(gap)
            sock.send(frame)
    finally:
        sock.close()


def send_garp(lab: Lab, host: str, address: str, count: int = 2, gap: float = 0.5) -> None:
    """host claims the IPv4 address: `count` gratuitous ARPs `gap` s apart."""
    _send(lab, host, lambda mac: garp_frame(mac, address), count, gap)


def send_unsolicited_na(lab: Lab, host: str, address: str, count: int = 2, gap: float = 0.5) -> None:
    """host claims the IPv6 address: `count` unsolicited NAs `gap` s apart, from its link-local."""
    source = lab.host(host).ll6
    _send(lab, host, lambda mac: unsolicited_na_frame(mac, source, address), count, gap)


def send_vrrp_advert(lab: Lab, host: str, vrid: int, priority: int, vips: list[str]) -> None:
    """host sends one VRRPv2 advert (no authentication) for `vips` from its
    own address to the VRRP group: another router of the virtual router."""
    src = ipaddress.ip_address(lab.host(host).addr4)
    group = ipaddress.ip_address("224.0.0.18")
    payload = vrrp_message(2, vrid, priority, 1, vips, None, src, group)
    _send(lab, host, lambda mac: vrrp_frame(mac, None, src, group, payload), 1, 0)
