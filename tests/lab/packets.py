"""Bytes of the frames the lab sends by hand (floods, rogue claims)."""

from __future__ import annotations

import struct


def internet_checksum(data: bytes) -> int:
    """RFC 1071 one's-complement sum (IPv4 header, VRRP, ICMPv6 with its pseudo-header)."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF
