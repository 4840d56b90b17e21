#!/usr/bin/env python3
"""VRRPv3 with keepalived 2.2.7, over IPv4 (keepalived's pseudo-header checksum)
and over IPv6 (link-local sources, ff02::12): keepvip first alone as master,
then yielding to a higher-priority keepalived, then taking the VIP back within
its skew time when keepalived stops."""

import time

from kvtest import MARGIN, STARTUP, VIP4, VIP6, Instance, LabTestCase, main

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


if __name__ == "__main__":
    main()
