#!/usr/bin/env python3
"""The BPF guard never makes things worse than running without it: a LAN
host forging the master's adverts must not move the VIP when the guard is on
(it does not with --no-bpf either)."""

import os
import subprocess
import sys
import threading
import time

from kvtest import MARGIN, STARTUP, VIP4, Instance, LabTestCase, main

HERE = os.path.dirname(os.path.abspath(__file__))
SENDER = os.path.join(HERE, "advert_sender.py")
PASSWORD = "1111"


class GuardLab(LabTestCase):
    def send_adverts(self, host: str, *args: str, iface: str = "eth0") -> str:
        """Runs advert_sender.py in host; returns its "sent N" line."""
        proc = subprocess.run(
            ["ip", "netns", "exec", self.lab.host(host).ns, sys.executable, SENDER,
             "--iface", iface, *args], capture_output=True, text=True, timeout=60)
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


if __name__ == "__main__":
    main()
