#!/usr/bin/env python3
"""Sends crafted VRRP adverts at a steady rate from a raw packet socket, for
the guard's integration tests: a LAN host forging another router's source
address, address list or VRID. Only for namespace labs on documentation
addresses (192.0.2.0/24, 2001:db8::/64 and link-local sources).

Usage: python3 -m keepvip_lab.advert_sender --iface eth0 --src 192.0.2.11 --vrid 51 --vip 192.0.2.99 \\
           [--dst 192.0.2.12 --dst-mac 02:6b:76:00:00:02] [--version 2|3] \\
           [--password 1111] [--priority 150] [--interval 1] --rate 150 --seconds 4
Prints "sent N" when done.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
import time

from .packets import vrrp_frame, vrrp_message


def allowed(addr: ipaddress._BaseAddress) -> bool:
    if addr.version == 4:
        return addr in ipaddress.ip_network("192.0.2.0/24")
    return addr in ipaddress.ip_network("2001:db8::/64") or addr.is_link_local


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iface", default="eth0")
    ap.add_argument("--src", required=True)
    ap.add_argument("--dst", default=None, help="unicast destination (default: the VRRP group)")
    ap.add_argument("--dst-mac", default=None, help="its MAC, aa:bb:cc:dd:ee:ff (with --dst)")
    ap.add_argument("--vrid", type=int, required=True)
    ap.add_argument("--vip", action="append", required=True, help="an address the advert lists")
    ap.add_argument("--version", type=int, choices=(2, 3), default=2)
    ap.add_argument("--password", default=None, help="v2 PASS password (none: auth type 0)")
    ap.add_argument("--priority", type=int, default=150)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--rate", type=float, required=True, help="adverts per second")
    ap.add_argument("--seconds", type=float, required=True)
    args = ap.parse_args()

    src = ipaddress.ip_address(args.src)
    if not allowed(src) or any(not allowed(ipaddress.ip_address(v)) for v in args.vip):
        print("advert_sender: documentation or link-local addresses only", file=sys.stderr)
        return 2
    group = "224.0.0.18" if src.version == 4 else "ff02::12"
    dst = ipaddress.ip_address(args.dst or group)
    if not dst.is_multicast and not allowed(dst):
        print("advert_sender: documentation or link-local addresses only", file=sys.stderr)
        return 2
    dst_mac = bytes.fromhex(args.dst_mac.replace(":", "")) if args.dst_mac else None
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((args.iface, 0))
    src_mac = sock.getsockname()[4]
    payload = vrrp_message(args.version, args.vrid, args.priority, args.interval, args.vip,
                           args.password, src, dst)
    data = vrrp_frame(src_mac, dst_mac, src, dst, payload)

    gap = 1.0 / args.rate
    start = time.monotonic()
    sent = 0
    while True:
        due = start + sent * gap
        now = time.monotonic()
        if now - start >= args.seconds:
            break
        if due > now:
            time.sleep(due - now)
        sock.send(data)
        sent += 1
    print(f"sent {sent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
