#!/usr/bin/env python3
"""What a peer sees on the wire, beside keepalived 2.2.7:

- another multicast group (vrrp_mcast_group4 / vrrp_mcast_group6 in
  global_defs, mcast_dst_ip in the instance): with the RFC groups dropped on
  every host, keepvip and keepalived elect one master over 224.0.0.117 /
  ff02::117, both ways round, and a third host sees every advert go there;
- v3_checksum_as_v2: keepvip sends VRRPv3 IPv4 checksums without the
  pseudo-header, and two keepvip nodes (the backup's kernel guard on) elect
  one master with them; keepalived 2.2.7, which predates the keyword and
  verifies the RFC form, drops them ("Invalid VRRPv3 checksum");
- unicast_ttl: keepvip's unicast adverts carry it, and keepalived accepts
  them within its min_ttl / max_ttl; keepvip's own min_ttl / max_ttl drop
  keepalived's adverts outside the range (ttl-out-of-range, counted by the
  kernel guard and on D-Bus), so the backup takes over;
- unicast_fault_no_peer: no peer, FAULT on D-Bus with its reason.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import subprocess
import time

from keepvip_lab import IFNAME, MARGIN, STARTUP, Instance, render_config
from keepvip_lab.netlink_addrs import socket_in_netns
from keepvip_lab.packets import internet_checksum
from kvtest import VIP4, VIP6, LabTestCase, main

GROUP4 = "224.0.0.117"
GROUP6 = "ff02::117"
INSTANCE_PATH = "/org/keepvip1/instance/VI_5f1"  # sd_bus_path_encode("VI_1")
ETH_P_ALL = 0x0003


class Advert:
    """One VRRP advert as a host received it."""

    def __init__(self, family: int, source: str, destination: str, ttl: int, vrrp: bytes):
        self.family, self.source, self.destination, self.ttl, self.vrrp = (
            family, source, destination, ttl, vrrp)

    @property
    def priority(self) -> int:
        return self.vrrp[2]

    def sums_without_pseudo_header(self) -> bool:
        """The old (v3_checksum_as_v2) form: the message alone sums to zero."""
        return internet_checksum(self.vrrp) == 0

    def sums_with_pseudo_header(self) -> bool:
        pseudo = (socket.inet_aton(self.source) + socket.inet_aton(self.destination)
                  + struct.pack("!BBH", 0, 112, len(self.vrrp)))
        return internet_checksum(pseudo + self.vrrp) == 0

    def __repr__(self) -> str:
        return f"{self.source}->{self.destination} ttl {self.ttl} prio {self.priority}"


def v4(priority: int, *extra: str, **kwargs) -> Instance:
    return Instance(priority=priority, vips=(f"{VIP4}/24",), extra_lines=extra, **kwargs)


def v6(priority: int, *extra: str, **kwargs) -> Instance:
    return Instance(priority=priority, version=3, vips=(f"{VIP6}/64",), extra_lines=extra,
                    **kwargs)


class Wire(LabTestCase):
    # c only listens.
    hosts = ("a", "b", "c")

    # ------------------------------------------------------------ helpers
    def capture(self, host: str, seconds: float) -> list[Advert]:
        """Every VRRP advert (IPv4 or IPv6) host's eth0 receives during `seconds`."""
        sock = socket_in_netns(f"/run/netns/{self.lab.host(host).ns}", socket.AF_PACKET,
                               socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        adverts = []
        with contextlib.closing(sock):
            sock.bind((IFNAME, ETH_P_ALL))
            deadline = time.monotonic() + seconds
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                try:
                    frame, address = sock.recvfrom(4096)
                except socket.timeout:
                    continue
                if address[2] == socket.PACKET_OUTGOING:
                    continue
                ethertype = struct.unpack("!H", frame[12:14])[0]
                ip = frame[14:]
                if ethertype == 0x0800 and len(ip) >= 20 and ip[9] == 112:
                    ihl = (ip[0] & 0x0F) * 4
                    total = struct.unpack("!H", ip[2:4])[0]
                    adverts.append(Advert(4, socket.inet_ntoa(ip[12:16]),
                                          socket.inet_ntoa(ip[16:20]), ip[8], ip[ihl:total]))
                elif ethertype == 0x86DD and len(ip) >= 40 and ip[6] == 112:
                    length = struct.unpack("!H", ip[4:6])[0]
                    adverts.append(Advert(6, socket.inet_ntop(socket.AF_INET6, ip[8:24]),
                                          socket.inet_ntop(socket.AF_INET6, ip[24:40]), ip[7],
                                          ip[40:40 + length]))
        return adverts

    def keepvip_conf(self, host: str, *instances: Instance, global_lines=(), **kwargs) -> None:
        self.lab.start_keepvip(host, render_config(*instances, router_id=f"kv-{host}",
                                                   global_lines=global_lines), **kwargs)

    def keepalived_conf(self, host: str, *instances: Instance, global_lines=()) -> None:
        self.lab.start_keepalived(host, render_config(*instances, router_id=f"ka-{host}",
                                                      global_lines=global_lines))

    def instance_property(self, host: str, name: str):
        cmd = self.lab.bus_command(host, ["busctl", "--user", "--json=short", "get-property",
                                          "org.keepvip1", INSTANCE_PATH, "org.keepvip1.Instance",
                                          name])
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["data"]

    def drop_rfc_group(self, family: int) -> None:
        """Nothing reaches 224.0.0.18 (ff02::12) on a and b."""
        match = "ip daddr 224.0.0.18" if family == 4 else "ip6 daddr ff02::12"
        for host in ("a", "b"):
            self.lab.nft_drop(host, match, "both")

    # ------------------------------------------------------------ multicast groups
    def elect_over(self, vip: str, make, group: str, family: int) -> None:
        """keepvip (global group) and keepalived (mcast_dst_ip) in both seats."""
        self.drop_rfc_group(family)
        keyword = "vrrp_mcast_group4" if family == 4 else "vrrp_mcast_group6"
        master, backup = make(150, state="MASTER"), make(100, f"mcast_dst_ip {group}")
        self.keepvip_conf("a", master, global_lines=(f"{keyword} {group}",))
        self.wait_master(vip, "a", timeout=master.master_down_interval() + STARTUP + 3)
        self.keepalived("b", backup)
        self.assertHolders(vip, {"a"}, window=backup.master_down_interval() + MARGIN)
        adverts = self.capture("c", 2.5)
        sources = {a.source for a in adverts}
        self.assertTrue(adverts, "c heard no advert")
        self.assertEqual({a.destination for a in adverts}, {group}, adverts)
        self.assertEqual({a.priority for a in adverts}, {150}, adverts)
        self.assertEqual(len(sources), 1, adverts)

        # keepalived as master, keepvip hearing it on the group as backup.
        self.lab.stop("a")
        self.wait_master(vip, "b", timeout=backup.master_down_interval() + 3)
        self.keepvip_conf("a", make(50), global_lines=(f"{keyword} {group}",))
        self.assertHolders(vip, {"b"}, window=make(50).master_down_interval() + MARGIN)

    def test_ipv4_group(self):
        self.elect_over(VIP4, v4, GROUP4, 4)

    def test_ipv6_group(self):
        self.elect_over(VIP6, v6, GROUP6, 6)

    # ------------------------------------------------------------ v3_checksum_as_v2
    def test_v3_checksum_as_v2(self):
        old_form = "v3_checksum_as_v2"
        master = v4(150, old_form, state="MASTER", version=3)
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + 3)
        # The backup's kernel guard checks checksums too: it must take these.
        self.keepvip("b", v4(100, old_form, version=3), bpf=True)
        self.assertHolders(VIP4, {"a"}, window=master.master_down_interval() + MARGIN)
        adverts = [a for a in self.capture("c", 2.5) if a.source == self.lab.host("a").addr4]
        self.assertTrue(adverts, "c heard no advert from a")
        for advert in adverts:
            self.assertTrue(advert.sums_without_pseudo_header(), advert)
            self.assertFalse(advert.sums_with_pseudo_header(), advert)
        self.lab.stop("b")

        # keepalived 2.2.7 has no v3_checksum_as_v2 and verifies the RFC form:
        # it drops every advert of a and takes the VIP too.
        backup = v4(100, version=3)
        self.keepalived("b", backup)
        self.wait_master(VIP4, "b", timeout=backup.master_down_interval() + STARTUP + 3)
        self.assertIn("Invalid VRRPv3 checksum", self.lab.log_text("b"))
        self.assertTrue(self.lab.holds("a", VIP4), "a hears b's lower priority and stays master")

    # ------------------------------------------------------------ unicast TTLs
    def unicast(self, priority: int, me: str, peer: str, *extra: str, peer_options: str = "",
                **kwargs) -> Instance:
        lines = (f"unicast_src_ip {self.lab.host(me).addr4}", "unicast_peer {",
                 f"    {self.lab.host(peer).addr4} {peer_options}", "}", *extra)
        return Instance(priority=priority, version=3, vips=(f"{VIP4}/24",), extra_lines=lines,
                        **kwargs)

    def test_unicast_ttl_reaches_keepalived_within_its_range(self):
        master = self.unicast(150, "a", "b", "unicast_ttl 64", state="MASTER")
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + 3)
        self.keepalived("b", self.unicast(100, "b", "a", peer_options="min_ttl 60 max_ttl 70"))
        self.assertHolders(VIP4, {"a"}, window=master.master_down_interval() + MARGIN)
        adverts = [a for a in self.capture("b", 2.0) if a.source == self.lab.host("a").addr4]
        self.assertTrue(adverts, "b received no advert from a")
        self.assertEqual({(a.destination, a.ttl) for a in adverts},
                         {(self.lab.host("b").addr4, 64)}, adverts)

    def test_a_peer_outside_its_ttl_range_is_ignored(self):
        self.lab.start_session_bus("b")
        master = self.unicast(150, "a", "b", "unicast_ttl 64", state="MASTER")
        self.keepalived("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + 3)
        # 64 is outside 250..254: b drops every advert of a (in the kernel
        # guard) and takes over as if a were gone.
        backup = self.unicast(100, "b", "a", peer_options="min_ttl 250 max_ttl 254")
        self.keepvip("b", backup, bpf=True)
        self.wait_master(VIP4, "b", timeout=backup.master_down_interval() + STARTUP + 3)
        self.assertEqual(self.instance_property("b", "State"), "MASTER")
        drops = self.instance_property("b", "Drops")
        self.assertGreater(drops.get("ttl-out-of-range", 0), 0, drops)
        self.lab.stop("b")
        self.lab.flush_vip("b", f"{VIP4}/24")

        # Within the range it is heard and b stays backup.
        self.keepvip("b", self.unicast(100, "b", "a", peer_options="min_ttl 60 max_ttl 70"),
                     bpf=True)
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)
        self.assertEqual(self.instance_property("b", "State"), "BACKUP")

    def test_unicast_fault_no_peer(self):
        self.lab.start_session_bus("a")
        lonely = Instance(priority=150, state="MASTER", vips=(f"{VIP4}/24",),
                          extra_lines=("unicast_fault_no_peer",))
        self.keepvip("a", lonely)
        deadline = time.monotonic() + STARTUP + 3
        while self.instance_property("a", "State") != "FAULT" and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.instance_property("a", "State"), "FAULT")
        reasons = self.instance_property("a", "FaultReasons")
        self.assertTrue(any("unicast_fault_no_peer" in r for r in reasons), reasons)
        self.assertHolders(VIP4, set(), window=lonely.master_down_interval() + MARGIN)
        self.assertEqual(self.capture("b", 1.5), [], "a FAULT instance advertises")


if __name__ == "__main__":
    main()
