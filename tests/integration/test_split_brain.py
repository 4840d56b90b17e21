#!/usr/bin/env python3
"""Split-brain detection by keepvipd with the BPF guard, against keepalived
2.2.7: the seed's mismatched virtual_router_id, mismatched passwords, another
VRRP version and a rogue host announcing the VIP are each reported within 3
advert intervals of the second master appearing, and end after the quiet
period once it is gone; normal failovers, failbacks, restarts and preemption
raise nothing."""

import subprocess
import sys
import time

from kvtest import MARGIN, VIP4, Instance, LabTestCase, main

INTERVAL = 1.0
QUIET = 3  # split_brain_quiet, so the end is seen quickly


def instance(state: str, priority: int, vrid: int = 51, password: str | None = "1111",
             version: int | None = None, keepvip: bool = False) -> Instance:
    extra = (f"split_brain_quiet {QUIET}",) if keepvip else ()
    return Instance(state=state, priority=priority, vrid=vrid, advert_int=INTERVAL,
                    auth_pass=password if version != 3 else None, version=version,
                    vips=(f"{VIP4}/24",), extra_lines=extra)


# Two gratuitous ARP requests (sender = target = the VIP) half a second apart,
# from the interface's own MAC; arping's options differ between distributions.
GARP_SENDER = """
import socket, sys, time
ifname, vip = sys.argv[1], bytes(int(x) for x in sys.argv[2].split("."))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
mac = s.getsockname()[4]
arp = bytes.fromhex("0001080006040001") + mac + vip + b"\\xff" * 6 + vip
for _ in range(2):
    s.send(b"\\xff" * 6 + mac + b"\\x08\\x06" + arp)
    time.sleep(0.5)
"""


class SplitBrain(LabTestCase):
    hosts = ("a", "b", "r")

    def split_brain_lines(self, host: str, what: str = "split brain:") -> list[str]:
        return [line for line in self.lab.log_text(host).splitlines() if what in line]

    def wait_for_log(self, host: str, what: str, timeout: float) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.split_brain_lines(host, what):
                return time.monotonic() - start
            time.sleep(0.02)
        self.fail(f"{host} did not log {what!r} within {timeout:.1f} s")

    def keepvip_master_then(self, second_master: Instance) -> None:
        """keepvip master on a; keepalived on b configured so it cannot hear a."""
        self.keepvip("a", instance("MASTER", 150, keepvip=True), bpf=True)
        self.wait_master(VIP4, "a", timeout=3 * INTERVAL + 3)
        self.keepalived("b", second_master)
        self.lab.wait_for_vip(VIP4, "b", timeout=second_master.master_down_interval() + 3)

    def assert_detected(self, kinds: tuple[str, ...]) -> None:
        took = self.wait_for_log("a", "split brain:", 3 * INTERVAL + MARGIN)
        line = self.split_brain_lines("a")[0]
        self.assertTrue(any(k in line for k in kinds), line)
        print(f"  detected in {took * 1000:.0f} ms: {line[:160]}")
        # The other master goes away: the alarm ends after the quiet period.
        self.lab.stop("b", graceful=False)
        self.wait_for_log("a", "split brain over", QUIET + 3 * INTERVAL + MARGIN)
        self.assertEqual(len(self.split_brain_lines("a")), 1, "started once")

    def test_seed_virtual_router_id_mismatch(self):
        self.keepvip_master_then(instance("BACKUP", 100, vrid=52))
        self.assert_detected(("vrid-mismatch", "arp-conflict"))

    def test_password_mismatch(self):
        self.keepvip_master_then(instance("BACKUP", 100, password="2222"))
        self.assert_detected(("auth-mismatch", "arp-conflict"))

    def test_version_mismatch(self):
        self.keepvip_master_then(instance("BACKUP", 100, version=3))
        self.assert_detected(("version-mismatch", "arp-conflict"))

    def test_rogue_gratuitous_arp(self):
        self.keepvip("a", instance("MASTER", 150, keepvip=True), bpf=True)
        self.wait_master(VIP4, "a", timeout=3 * INTERVAL + 3)
        # Sender address = the VIP, from r's MAC: r claims the address.
        subprocess.run(["ip", "netns", "exec", self.lab.hosts["r"].ns, sys.executable, "-c",
                        GARP_SENDER, "eth0", VIP4], check=True)
        took = self.wait_for_log("a", "split brain:", 3 * INTERVAL + MARGIN)
        self.assertIn("arp-conflict", self.split_brain_lines("a")[0])
        print(f"  detected {took * 1000:.0f} ms after the last GARP")

    def test_failover_failback_and_restarts_raise_nothing(self):
        self.keepvip("a", instance("MASTER", 150, keepvip=True), bpf=True)
        self.keepalived("b", instance("BACKUP", 100))
        self.wait_master(VIP4, "a", timeout=3 * INTERVAL + 3)
        for graceful in (True, False):
            self.lab.stop("a", graceful=graceful)  # failover to keepalived
            self.lab.wait_for_vip(VIP4, "b", timeout=4 * INTERVAL + 3)
            self.keepvip("a", instance("MASTER", 150, keepvip=True), bpf=True)  # preempts back
            self.lab.wait_for_holders(VIP4, {"a"}, timeout=4 * INTERVAL + 3)
        self.lab.stop("b")  # the backup restarts
        self.keepalived("b", instance("BACKUP", 100))
        time.sleep(3 * INTERVAL + 1)
        self.assertEqual(self.split_brain_lines("a"), [])

    def test_backup_through_failover_and_preemption_raises_nothing(self):
        self.keepalived("a", instance("MASTER", 150))
        self.keepvip("b", instance("BACKUP", 100, keepvip=True), bpf=True)
        self.wait_master(VIP4, "a", timeout=3 * INTERVAL + 3)
        for graceful in (True, False, True):
            self.lab.stop("a", graceful=graceful)
            self.lab.wait_for_vip(VIP4, "b", timeout=4 * INTERVAL + 3)
            if not graceful:
                self.lab.flush_vip("a", f"{VIP4}/24")  # what a SIGKILLed keepalived leaves
            self.keepalived("a", instance("MASTER", 150))
            self.lab.wait_for_holders(VIP4, {"a"}, timeout=4 * INTERVAL + 3)
        time.sleep(2 * INTERVAL)
        self.assertEqual(self.split_brain_lines("b"), [])


if __name__ == "__main__":
    main()
