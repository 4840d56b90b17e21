#!/usr/bin/env python3
"""Preemption against keepalived 2.2.7 (VRRPv3, 0.5 s): a returning
higher-priority keepvip takes the VIP back; with `nopreempt` it stays backup;
with `preempt_delay` it waits that long before taking over."""

import time

from keepvip_lab import MARGIN, STARTUP, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.5


def v3(state: str, priority: int, **extra) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",), **extra)


class Preemption(LabTestCase):
    def test_returning_keepvip_preempts_keepalived(self):
        high, low = v3("MASTER", 150), v3("BACKUP", 100)
        self.keepvip("a", high)
        self.wait_master(VIP4, "a", timeout=high.master_down_interval() + 3)
        self.keepalived("b", low)
        self.assertHolders(VIP4, {"a"}, window=low.master_down_interval() + MARGIN)

        sent = self.lab.stop("a", graceful=True, wait=False)
        self.assertTakeover(VIP4, "b", sent, low.skew_time(), "keepalived takes over")
        self.lab.reap("a")
        self.assertHolders(VIP4, {"b"}, window=0.5)

        started = time.monotonic()
        self.keepvip("a", high)
        ms = self.lab.wait_for_holders(VIP4, {"a"}, since=started,
                                       timeout=high.master_down_interval() + 3)
        self.assertLessEqual(ms, (high.master_down_interval() + MARGIN + STARTUP) * 1000,
                             "preempting should take one master-down interval")
        self.assertHolders(VIP4, {"a"}, window=low.master_down_interval() + MARGIN)

    def test_nopreempt_keeps_the_running_master(self):
        # The seed's nopreempt setup: both nodes state BACKUP.
        low = v3("BACKUP", 100)
        high = v3("BACKUP", 150, nopreempt=True)
        self.keepalived("b", low)
        self.wait_master(VIP4, "b", timeout=low.master_down_interval() + 3)

        self.keepvip("a", high)
        # Twice keepvip's master-down interval: it hears a lower priority and
        # must not take over.
        self.assertHolders(VIP4, {"b"}, window=2 * high.master_down_interval() + MARGIN)
        self.assertNotIn("MASTER", self.keepvip_states("a"))

        # Still a working backup: it takes over when the master resigns.
        self.lab.stop("b", graceful=True, wait=False)
        released = self.lab.wait_for_release(VIP4, "b", timeout=5)
        self.assertTakeover(VIP4, "a", released, high.skew_time(), "nopreempt backup takes over")
        self.lab.reap("b")
        self.assertHolders(VIP4, {"a"})

    def test_preempt_delay_postpones_takeover(self):
        delay = 3.0
        low = v3("BACKUP", 100)
        high = v3("BACKUP", 150, preempt_delay=delay)
        self.keepalived("b", low)
        self.wait_master(VIP4, "b", timeout=low.master_down_interval() + 3)

        started = time.monotonic()
        self.keepvip("a", high)
        # Without the delay keepvip would preempt after one master-down
        # interval (1.8 s); with it, not before `delay` seconds.
        ms = self.lab.wait_for_holders(VIP4, {"a"}, since=started,
                                       timeout=delay + high.master_down_interval() + 3)
        self.assertGreaterEqual(ms, delay * 1000 - 100, "preempted before preempt_delay elapsed")
        self.assertLessEqual(ms, (delay + high.master_down_interval() + MARGIN + STARTUP) * 1000,
                             "preempt_delay + one master-down interval at most")
        self.assertHolders(VIP4, {"a"}, window=low.master_down_interval() + MARGIN)


if __name__ == "__main__":
    main()
