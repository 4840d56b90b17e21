#!/usr/bin/env python3
"""The BPF guard never makes things worse than running without it: a LAN
host forging the master's adverts must not move the VIP when the guard is on
(it does not with --no-bpf either)."""

import subprocess
import threading
import time

from keepvip_lab import ADVERT_SENDER, MARGIN, STARTUP, Instance, kernel_feature_missing
from kvtest import VIP4, LabTestCase, main

PASSWORD = "1111"


class GuardLab(LabTestCase):
    def send_adverts(self, host: str, *args: str, iface: str = "eth0") -> str:
        """Runs keepvip_lab.advert_sender in host; returns its "sent N" line."""
        proc = subprocess.run(self.lab.tool_command(host, ADVERT_SENDER, "--iface", iface, *args),
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc.stdout.strip()

    def watch_holders(self, vip: str, seconds: float) -> set[str]:
        """Every host that held vip at some point during `seconds` (5 ms polls)."""
        seen: set[str] = set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            seen |= self.lab.vip_holders(vip)
            time.sleep(0.005)
        return seen


class SpoofedMaster(GuardLab):
    """Host x sends ~150 adverts/s with a's source address, a's VRID and
    password, but a wrong address list. keepvipd drops them in userspace
    (address-list-mismatch); the guard must not let them starve a's real
    adverts on b."""

    hosts = ("a", "b", "x")
    SECONDS = 6.0

    def spoof_attack(self, bpf: bool) -> set[str]:
        master = Instance(state="MASTER", priority=150, auth_pass=PASSWORD, vips=(f"{VIP4}/24",))
        backup = Instance(state="BACKUP", priority=100, auth_pass=PASSWORD, vips=(f"{VIP4}/24",))
        self.keepvip("a", master, bpf=bpf)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + MARGIN)
        self.keepvip("b", backup, bpf=bpf)
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)

        result: dict[str, str] = {}
        sender = threading.Thread(target=lambda: result.setdefault("out", self.send_adverts(
            "x", "--src", self.lab.host("a").addr4, "--vrid", "51", "--vip", "192.0.2.99",
            "--password", PASSWORD, "--priority", "150", "--rate", "150",
            "--seconds", str(self.SECONDS))))
        sender.start()
        try:
            holders = self.watch_holders(VIP4, self.SECONDS + backup.master_down_interval())
        finally:
            sender.join()
        print(f"  {result.get('out')}; VIP held by {sorted(holders)}")
        return holders

    def test_without_guard_the_vip_stays(self):
        self.assertEqual(self.spoof_attack(bpf=False), {"a"})

    def test_with_guard_the_vip_stays(self):
        self.assertEqual(self.spoof_attack(bpf=True), {"a"}, "the guard made a second master")


class VlanSubInterfaces(GuardLab):
    """eth0 and eth0.100 each run VRID 51, with different passwords and VIPs
    and opposite masters. The veths strip the tags like a NIC with rx VLAN
    offload, so XDP on eth0 sees eth0.100's adverts as untagged frames: the
    guard must leave them to eth0.100 (reading the tag from the driver, or on
    tc), never judge them by eth0's instance."""

    VIP_LAN = "192.0.2.100"
    VIP_VLAN = "192.0.2.200"

    def add_vlan(self, host: str) -> str:
        h = self.lab.host(host)
        address = f"192.0.2.{130 + h.index}"
        made = self.lab.exec(host, "ip", "link", "add", "link", "eth0", "name", "eth0.100", "type",
                             "vlan", "id", "100", check=False)
        if made.returncode != 0:
            # tests/bpf guard_attach_test covers the guard's side with tags the
            # driver took off (pushed by a tc program) on such kernels.
            self.skipTest(str(kernel_feature_missing(
                "8021q", f"no 802.1Q VLAN devices on this kernel: {made.stderr.strip()}")))
        self.lab.ip(host, "link", "set", "eth0.100", "up")
        self.lab.ip(host, "addr", "add", f"{address}/25", "dev", "eth0.100")
        self.lab.exec(host, "ethtool", "-K", "eth0", "rxvlan", "on", "txvlan", "on")
        return address

    def instances(self, lan_priority: int, vlan_priority: int) -> tuple[Instance, Instance]:
        lan = Instance(name="LAN", priority=lan_priority, auth_pass="1111",
                       vips=(f"{self.VIP_LAN}/24",))
        vlan = Instance(name="VLAN", interface="eth0.100", priority=vlan_priority,
                        auth_pass="2222", vips=(f"{self.VIP_VLAN}/25",))
        return lan, vlan

    def test_each_interface_judges_its_own_adverts(self):
        vlan_address = {h: self.add_vlan(h) for h in ("a", "b")}
        self.keepvip("a", *self.instances(150, 100), bpf=True)
        self.keepvip("b", *self.instances(100, 150), bpf=True)
        lan, vlan = self.instances(100, 100)
        settle = max(lan.master_down_interval(), vlan.master_down_interval()) + STARTUP + MARGIN
        self.lab.wait_for_holders(self.VIP_LAN, {"a"}, timeout=settle + 2)
        self.lab.wait_for_holders(self.VIP_VLAN, {"b"}, timeout=settle + 2)
        self.assertHolders(self.VIP_LAN, {"a"}, window=vlan.master_down_interval() + MARGIN)
        self.assertHolders(self.VIP_VLAN, {"b"}, window=1.0)

        for host in ("a", "b"):
            modes = [line for line in self.lab.log_text(host).splitlines()
                     if "guard attached to" in line]
            print(f"  {host}: " + "; ".join(m.split("guard attached to ")[1].split(" INTERFACE")[0]
                                           for m in modes))
            stats = self.lab.keepvip_command(host, "--stats")
            self.assertEqual(stats.returncode, 0, stats.stderr)
            peer = "b" if host == "a" else "a"
            for row in stats.stdout.splitlines():
                fields = row.split()
                if not fields or fields[0] != "eth0":
                    continue
                self.assertNotEqual(fields[3], vlan_address[peer],
                                    f"eth0 on {host} counted eth0.100's adverts: {row}")
                self.assertEqual(fields[-1], "-", f"eth0 on {host} dropped adverts: {row}")


class UnicastSourceCheck(GuardLab):
    """check_unicast_src (keepalived 2.2.8): a unicast instance accepts
    adverts only from its unicast_peer list. b is MASTER (its peer a is
    silent); x, on the same LAN but not a peer, sends b unicast adverts that
    pass every other check, with a higher priority. Without the check b
    yields the VIP to x; with it, the guard drops them (not-unicast-peer)
    and b keeps the VIP."""

    hosts = ("a", "b", "x")
    SECONDS = 3.0

    def unicast_master(self, check: bool) -> Instance:
        lines = [f"unicast_src_ip {self.lab.host('b').addr4}",
                 "unicast_peer {", f"    {self.lab.host('a').addr4}", "}"]
        if check:
            lines.append("check_unicast_src")
        return Instance(state="MASTER", priority=150, auth_pass=PASSWORD,
                        vips=(f"{VIP4}/24",), extra_lines=tuple(lines))

    def outsider_adverts(self, check: bool, keepalived: bool = False) -> set[str]:
        master = self.unicast_master(check)
        if keepalived:
            self.keepalived("b", master)
        else:
            self.keepvip("b", master, bpf=True)
        self.wait_master(VIP4, "b", timeout=master.master_down_interval() + STARTUP + MARGIN)
        b = self.lab.host("b")
        out = self.send_adverts("x", "--src", self.lab.host("x").addr4, "--dst", b.addr4,
                                "--dst-mac", b.mac, "--vrid", "51", "--vip", VIP4,
                                "--password", PASSWORD, "--priority", "200", "--rate", "10",
                                "--seconds", str(self.SECONDS))
        holders = self.watch_holders(VIP4, 0.5)
        print(f"  {out}; VIP held by {sorted(holders)}")
        return holders

    def test_without_the_check_an_outsider_takes_over(self):
        self.assertNotIn("b", self.outsider_adverts(check=False))

    # keepalived 2.2.7 as b, the same configuration: the reference behaviour.
    def test_keepalived_without_the_check_yields_too(self):
        self.assertNotIn("b", self.outsider_adverts(check=False, keepalived=True))

    def test_keepalived_with_the_check_keeps_the_vip_too(self):
        self.assertEqual(self.outsider_adverts(check=True, keepalived=True), {"b"})

    def test_with_the_check_the_guard_drops_the_outsider(self):
        self.assertEqual(self.outsider_adverts(check=True), {"b"})
        stats = self.lab.keepvip_command("b", "--stats")
        self.assertEqual(stats.returncode, 0, stats.stderr)
        outsider = [row for row in stats.stdout.splitlines()
                    if self.lab.host("x").addr4 in row.split()]
        self.assertEqual(len(outsider), 1, stats.stdout)
        self.assertIn("not-unicast-peer=", outsider[0])


if __name__ == "__main__":
    main()
