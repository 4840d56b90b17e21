#!/usr/bin/env python3
"""track_unit against a real systemd user manager (keepvip's replacement for
the seed's check_apache.sh): httpd.service failing on the keepvip master puts
the instance in FAULT and keepalived 2.2.7 takes the VIP; httpd back, keepvip
preempts again."""

import os
import shutil
import subprocess
import time
import unittest

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.5
HTTPD_UNIT = """[Unit]
Description=web server (busybox httpd)
[Service]
ExecStart=/bin/busybox httpd -f -p 8080 -h /run/user/0
"""


def v3(state: str, priority: int, track_httpd: bool = False) -> Instance:
    extra = ("track_unit {", "    httpd.service", "}") if track_httpd else ()
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",), extra_lines=extra)


@unittest.skipUnless(os.access("/lib/systemd/systemd", os.X_OK) and shutil.which("busybox"),
                     "needs systemd (user manager) and busybox")
class TrackUnit(LabTestCase):
    def systemctl(self, host: str, *args: str) -> str:
        cmd = self.lab.bus_command(host, ["systemctl", "--user", *args])
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()

    def test_failed_unit_moves_the_vip_and_recovery_brings_it_back(self):
        self.lab.start_user_manager("a", {"httpd.service": HTTPD_UNIT})
        self.systemctl("a", "start", "httpd.service")
        self.assertEqual(self.systemctl("a", "is-active", "httpd.service"), "active")
        tracked, peer = v3("MASTER", 150, track_httpd=True), v3("BACKUP", 100)
        self.keepvip("a", tracked)
        self.wait_master(VIP4, "a", timeout=tracked.master_down_interval() + 3)
        self.keepalived("b", peer)
        self.assertHolders(VIP4, {"a"}, window=peer.master_down_interval() + MARGIN)

        killed = time.monotonic()
        self.systemctl("a", "kill", "--signal=KILL", "httpd.service")
        # systemd reports the failure at once; a faulted master resigns with
        # priority 0, so the bound is the peer's skew time.
        self.assertTakeover(VIP4, "b", killed, peer.skew_time(),
                            "keepalived takes over when httpd fails under keepvip")
        self.assertHolders(VIP4, {"b"}, window=tracked.master_down_interval() + MARGIN)
        self.assertIn("FAULT", self.keepvip_states("a"))

        restarted = time.monotonic()
        self.systemctl("a", "start", "httpd.service")
        ms = self.lab.wait_for_holders(VIP4, {"a"}, since=restarted,
                                       timeout=tracked.master_down_interval() + 3)
        self.assertLessEqual(ms, (tracked.master_down_interval() + MARGIN) * 1000,
                             "httpd back: keepvip should preempt within one master-down interval")
        self.assertHolders(VIP4, {"a"})


if __name__ == "__main__":
    main()
