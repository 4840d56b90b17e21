#!/usr/bin/env python3
"""Raw-socket VRRPv2 advert flooder for the lab (one core, one process): used
by bench/flood.py, bench/chaos.py and the counters integration test
(Lab.tool_command(host, FLOODER, ...)).

Sends pre-built Ethernet frames round-robin over the given VRIDs on IFACE to
224.0.0.18 for SECONDS (at most RATE per second with --rate, else as fast as
one core can), then prints the number of frames sent. Modes:
  wrong-password  valid adverts (TTL 255) whose PASS password is wrong
  ttl64           adverts with the right password but TTL 64 (RFC 3768 5.1.1.3)
Only for namespace labs on documentation addresses.

Usage: python3 -m keepvip_lab.vrrp_flood --iface eth0 --src 192.0.2.15 --vrid 51 --vrid 52 \\
           --mode ttl64 --password 1111 --seconds 10 [--rate 5000]
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
import time

from .packets import vrrp_frame, vrrp_message

GROUP = ipaddress.IPv4Address("224.0.0.18")


def advert_frame(src_mac: bytes, src: str, ttl: int, vrid: int, priority: int, vip: str,
                 password: str) -> bytes:
    """A VRRPv2 advert (PASS, advert_int 1) for one VIP to the group, with this TTL."""
    source = ipaddress.IPv4Address(src)
    payload = vrrp_message(2, vrid, priority, 1, [vip], password, source, GROUP)
    return vrrp_frame(src_mac, None, source, GROUP, payload, ttl=ttl)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iface", default="eth0")
    ap.add_argument("--src", required=True, help="IPv4 source (a 192.0.2.0/24 address)")
    ap.add_argument("--vrid", type=int, action="append", required=True)
    ap.add_argument("--vip", default="192.0.2.100", help="address listed in the adverts")
    ap.add_argument("--mode", choices=("wrong-password", "ttl64"), required=True)
    ap.add_argument("--password", default="1111", help="the pair's real password")
    ap.add_argument("--priority", type=int, default=254)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--rate", type=float, default=None,
                    help="frames per second at most (default: as fast as one core can)")
    args = ap.parse_args()
    if ipaddress.IPv4Address(args.src) not in ipaddress.IPv4Network("192.0.2.0/24"):
        print("vrrp_flood: source must be in 192.0.2.0/24", file=sys.stderr)
        return 2

    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((args.iface, 0))
    src_mac = sock.getsockname()[4]
    password = args.password if args.mode == "ttl64" else "wrong!" + args.password
    ttl = 64 if args.mode == "ttl64" else 255
    frames = [advert_frame(src_mac, args.src, ttl, v, args.priority, args.vip, password)
              for v in args.vrid]
    # Unrolled batches keep the per-packet Python overhead down.
    batch = frames * (64 // len(frames))
    send = sock.send
    sent = 0
    errors = 0
    start = time.monotonic()
    deadline = start + args.seconds
    while time.monotonic() < deadline:
        for f in batch:
            try:
                send(f)
            except (BlockingIOError, OSError):
                errors += 1
                continue
            sent += 1
        if args.rate:
            # Paced per batch: sleep until the schedule catches up with what was sent.
            ahead = start + (sent + errors) / args.rate - time.monotonic()
            if ahead > 0:
                time.sleep(min(ahead, max(deadline - time.monotonic(), 0)))
    print(f"sent {sent} errors {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
