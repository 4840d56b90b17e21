"""Reads the addresses of a network namespace over rtnetlink.

The failover timings are measured by polling every few milliseconds; spawning
`ip` for each poll would cost more than the resolution we want and load the
two-core machines the daemons under test share. A netlink socket opened inside
the namespace once answers an address dump in well under a millisecond.
"""

from __future__ import annotations

import ctypes
import ipaddress
import os
import socket
import struct

CLONE_NEWNET = 0x40000000

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_DUMP = 0x300
RTM_GETADDR = 22
IFA_ADDRESS = 1
IFA_LOCAL = 2
IFA_FLAGS = 8
IFA_F_DADFAILED = 0x08
IFA_F_TENTATIVE = 0x40

_NLMSGHDR = struct.Struct("=IHHII")
_IFADDRMSG = struct.Struct("=BBBBI")
_RTATTR = struct.Struct("=HH")

_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


def socket_in_netns(netns_path: str, family: int, kind: int, proto: int = 0) -> socket.socket:
    """A socket living in the network namespace at netns_path.

    setns() switches only the calling thread, and a socket stays in the
    namespace it was created in, so we hop in, create it and hop back.
    """
    with open("/proc/thread-self/ns/net", "rb") as home, open(netns_path, "rb") as target:
        _setns(target.fileno())
        try:
            return socket.socket(family, kind, proto)
        finally:
            _setns(home.fileno())


def open_netlink_in(netns_path: str) -> socket.socket:
    """A NETLINK_ROUTE socket in the namespace at netns_path."""
    sock = socket_in_netns(netns_path, socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    sock.bind((0, 0))
    return sock


class AddressReader:
    """Dumps the usable (not tentative, not DAD-failed) addresses of one namespace."""

    def __init__(self, netns_path: str):
        self._sock = open_netlink_in(netns_path)
        self._seq = 0

    def close(self) -> None:
        self._sock.close()

    def addresses(self) -> set[ipaddress._BaseAddress]:
        self._seq += 1
        payload = _IFADDRMSG.pack(socket.AF_UNSPEC, 0, 0, 0, 0)
        header = _NLMSGHDR.pack(
            _NLMSGHDR.size + len(payload), RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, self._seq, 0
        )
        self._sock.send(header + payload)
        found: set[ipaddress._BaseAddress] = set()
        while True:
            data = self._sock.recv(1 << 16)
            offset = 0
            while offset + _NLMSGHDR.size <= len(data):
                length, msg_type, _flags, seq, _pid = _NLMSGHDR.unpack_from(data, offset)
                if length < _NLMSGHDR.size:
                    raise OSError("netlink: truncated message")
                if seq == self._seq:
                    if msg_type == NLMSG_DONE:
                        return found
                    if msg_type == NLMSG_ERROR:
                        (code,) = struct.unpack_from("=i", data, offset + _NLMSGHDR.size)
                        if code != 0:
                            raise OSError(-code, "netlink address dump failed")
                    else:
                        address = _parse_ifaddr(data[offset + _NLMSGHDR.size : offset + length])
                        if address is not None:
                            found.add(address)
                offset += (length + 3) & ~3


def _parse_ifaddr(body: bytes):
    family, _prefixlen, flags, _scope, _index = _IFADDRMSG.unpack_from(body, 0)
    attrs: dict[int, bytes] = {}
    offset = _IFADDRMSG.size
    while offset + _RTATTR.size <= len(body):
        length, kind = _RTATTR.unpack_from(body, offset)
        if length < _RTATTR.size:
            break
        attrs[kind] = body[offset + _RTATTR.size : offset + length]
        offset += (length + 3) & ~3
    if IFA_FLAGS in attrs:
        (flags,) = struct.unpack("=I", attrs[IFA_FLAGS][:4])
    if flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED):
        return None
    # IFA_LOCAL is the interface's own address on IPv4 point-to-point links;
    # IFA_ADDRESS is the peer there. Elsewhere they are equal.
    raw = attrs.get(IFA_LOCAL) or attrs.get(IFA_ADDRESS)
    if raw is None:
        return None
    if family == socket.AF_INET:
        return ipaddress.IPv4Address(raw[:4])
    if family == socket.AF_INET6:
        return ipaddress.IPv6Address(raw[:16])
    return None
