#!/usr/bin/env python3
"""VRRPv3 with keepalived 2.2.7, over IPv4 (keepalived's pseudo-header checksum)
and over IPv6 (link-local sources, ff02::12): keepvip first alone as master,
then yielding to a higher-priority keepalived, then taking the VIP back within
its skew time when keepalived stops. And the other way round over IPv6:
keepalived as BACKUP accepts keepvip's adverts, daemon to daemon (it stays
BACKUP, names keepvip as its master, and takes over when keepvip dies)."""

import time

from keepvip_lab import MARGIN, STARTUP, Instance
from kvtest import VIP4, VIP6, LabTestCase, main

INTERVAL = 0.5


class V3WithKeepalived(LabTestCase):
    def run_scenario(self, vip_entry: str, vip: str) -> None:
        low = Instance(state="BACKUP", priority=100, version=3, advert_int=INTERVAL, vips=(vip_entry,))
        high = Instance(state="BACKUP", priority=150, version=3, advert_int=INTERVAL, vips=(vip_entry,))

        self.keepvip("a", low)
        self.wait_master(vip, "a", timeout=low.master_down_interval() + 3)
        self.assertHolders(vip, {"a"}, window=0.5)

        # keepalived preempts: it must parse keepvip's adverts (else it would
        # become master after its own master-down interval and we would see two
        # holders), and keepvip must yield to its higher priority.
        started = time.monotonic()
        self.keepalived("b", high)
        ms = self.lab.wait_for_holders(vip, {"b"}, since=started,
                                       timeout=high.master_down_interval() + 3)
        self.assertLessEqual(ms, (high.master_down_interval() + MARGIN + STARTUP) * 1000,
                             "keepalived should preempt after one master-down interval")
        self.assertHolders(vip, {"b"}, window=low.master_down_interval() + MARGIN)

        self.lab.stop("b", graceful=True, wait=False)
        released = self.lab.wait_for_release(vip, "b", timeout=5)
        self.assertTakeover(vip, "a", released, low.skew_time(),
                            "keepvip takes over after keepalived's priority-0 advert")
        self.lab.reap("b")
        self.assertHolders(vip, {"a"})

    def test_v3_ipv4(self):
        self.run_scenario(f"{VIP4}/24", VIP4)

    def test_v3_ipv6(self):
        self.run_scenario(f"{VIP6}/64", VIP6)

    def test_v3_ipv6_keepalived_backup_accepts_keepvip_master(self):
        high = Instance(state="MASTER", priority=150, version=3, advert_int=INTERVAL,
                        vips=(f"{VIP6}/64",))
        low = Instance(state="BACKUP", priority=100, version=3, advert_int=INTERVAL,
                       vips=(f"{VIP6}/64",))
        self.keepvip("a", high)
        self.wait_master(VIP6, "a", timeout=high.master_down_interval() + 3)
        self.keepalived("b", low)
        # Twice keepalived's master-down interval: had it dropped keepvip's
        # adverts (checksum, source, hop limit, interval) it would be master.
        self.assertHolders(VIP6, {"a"}, window=2 * low.master_down_interval() + MARGIN)

        # keepalived's own account: BACKUP, its master is keepvip's link-local
        # address at keepvip's priority and interval (learnt from the adverts).
        data = self.lab.keepalived_data("b")
        for line in ("State = BACKUP", f"Master router = {self.lab.host('a').ll6}",
                     "Master priority = 150", f"Master advert int = {INTERVAL:.2f} sec"):
            self.assertIn(line, data, f"keepalived.data of b:\n{data}")
        log = self.lab.log_text("b")
        self.assertIn("(VI_1) Entering BACKUP STATE", log)
        self.assertNotIn("(VI_1) Entering MASTER STATE", log)

        # keepvip dies without a word: keepalived notices only because the
        # adverts stop, so it takes over one Master_Down_Interval after the
        # last one (not earlier, which would mean it was not hearing them).
        killed = self.lab.stop("a", graceful=False, wait=False)
        ms = self.assertTakeover(VIP6, "b", killed, low.master_down_interval(INTERVAL),
                                 "keepalived takes over from a killed keepvip (IPv6)")
        self.assertGreaterEqual(ms, (low.master_down_interval(INTERVAL) - INTERVAL) * 1000,
                                "keepalived took over before its master-down interval ran out")
        self.lab.reap("a")


if __name__ == "__main__":
    main()
