"""Bytes of the frames the lab sends by hand (floods, forged adverts, rogue claims)."""

from __future__ import annotations

import ipaddress
import struct

PROTO_VRRP = 112
VRRP_MAC_V4 = bytes.fromhex("01005e000012")  # 224.0.0.18
VRRP_MAC_V6 = bytes.fromhex("333300000012")  # ff02::12


def internet_checksum(data: bytes) -> int:
    """RFC 1071 one's-complement sum (IPv4 header, VRRP, ICMPv6 with its pseudo-header)."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def vrrp_message(version: int, vrid: int, priority: int, interval: float, vips: list[str],
                 password: str | None, src: ipaddress._BaseAddress,
                 dst: ipaddress._BaseAddress) -> bytes:
    """A VRRP advert: v2 (RFC 3768; PASS authentication with a password, none
    without) or v3 (RFC 5798; checksummed with the IP pseudo-header of src, dst)."""
    addrs = b"".join(ipaddress.ip_address(v).packed for v in vips)
    if version == 2:
        auth_type = 1 if password else 0
        head = struct.pack("!BBBBBBH", 0x21, vrid, priority, len(vips), auth_type, int(interval), 0)
        body = head + addrs + (password or "").encode()[:8].ljust(8, b"\0")
        pseudo = b""
    else:
        centis = int(round(interval * 100)) & 0x0FFF
        body = struct.pack("!BBBBHH", 0x31, vrid, priority, len(vips), centis, 0) + addrs
        if src.version == 4:
            pseudo = src.packed + dst.packed + struct.pack("!BBH", 0, PROTO_VRRP, len(body))
        else:
            pseudo = src.packed + dst.packed + struct.pack("!I3xB", len(body), PROTO_VRRP)
    csum = internet_checksum(pseudo + body)
    return body[:6] + struct.pack("!H", csum) + body[8:]


def vrrp_frame(src_mac: bytes, dst_mac: bytes | None, src: ipaddress._BaseAddress,
               dst: ipaddress._BaseAddress, payload: bytes, ttl: int = 255) -> bytes:
    """An Ethernet frame carrying a VRRP message; dst_mac None: the VRRP group's
    MAC. `ttl` is the IPv4 TTL or the IPv6 hop limit (255 is the only valid one)."""
    if src.version == 4:
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + len(payload), 0, 0, ttl, PROTO_VRRP, 0,
                         src.packed, dst.packed)
        ip = ip[:10] + struct.pack("!H", internet_checksum(ip)) + ip[12:]
        return (dst_mac or VRRP_MAC_V4) + src_mac + b"\x08\x00" + ip + payload
    ip = struct.pack("!IHBB16s16s", 0x60000000, len(payload), PROTO_VRRP, ttl, src.packed,
                     dst.packed)
    return (dst_mac or VRRP_MAC_V6) + src_mac + b"\x86\xdd" + ip + payload
