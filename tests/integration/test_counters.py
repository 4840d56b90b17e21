#!/usr/bin/env python3
"""Kernel drops reach the D-Bus API: a host sends TTL-64 adverts for our VRID
for one second; the guard drops them in XDP, and the instance's Drops property
(read with busctl, as a monitoring system would) counts them under "bad-ttl",
as keepvipd --stats does, while AdvertsReceived stays with the real traffic."""

import json
import subprocess
import time

from keepvip_lab import FLOODER, MARGIN, STARTUP, Instance
from kvtest import VIP4, LabTestCase, main


PASSWORD = "1111"
INSTANCE_PATH = "/org/keepvip1/instance/VI_5f1"  # sd_bus_path_encode("VI_1")


class KernelDropsOnTheBus(LabTestCase):
    hosts = ("a", "x")

    def instance_property(self, name: str):
        cmd = self.lab.bus_command("a", ["busctl", "--user", "--json=short", "get-property",
                                         "org.keepvip1", INSTANCE_PATH, "org.keepvip1.Instance",
                                         name])
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["data"]

    def test_ttl64_flood_is_counted_as_kernel_drops(self):
        self.lab.start_session_bus("a")
        master = Instance(state="MASTER", priority=150, auth_pass=PASSWORD, vips=(f"{VIP4}/24",))
        self.keepvip("a", master, bpf=True)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + MARGIN)
        received_before = self.instance_property("AdvertsReceived")

        flood = subprocess.run(
            self.lab.tool_command("x", FLOODER, "--iface", "eth0", "--src", self.lab.host("x").addr4,
                                  "--mode", "ttl64", "--password", PASSWORD, "--seconds", "1",
                                  "--vrid", "51", "--vip", VIP4),
            capture_output=True, text=True, timeout=30)
        self.assertEqual(flood.returncode, 0, flood.stdout + flood.stderr)
        sent = int(flood.stdout.split()[1])  # "sent N errors M"
        self.assertGreater(sent, 1000, f"the flooder sent too little to judge: {flood.stdout}")

        time.sleep(0.2)  # the last frames through the veth
        drops = self.instance_property("Drops")
        self.assertGreaterEqual(drops.get("bad-ttl", 0), sent * 0.9,
                                f"{sent} TTL-64 adverts sent, Drops says {drops}")
        # Dropped before userspace: the runner saw none of them.
        self.assertLess(self.instance_property("AdvertsReceived") - received_before, 100)
        self.assertTrue(self.lab.holds("a", VIP4))


if __name__ == "__main__":
    main(need_keepalived=False)
