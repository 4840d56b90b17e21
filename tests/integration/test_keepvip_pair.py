#!/usr/bin/env python3
"""Two keepvip nodes (VRRPv3, 0.2 s): election, graceful hand-over within the
backup's skew time, preemption back, and a SIGKILL taken over within
Master_Down_Interval."""

import time

from keepvip_lab import MARGIN, STARTUP, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.2


def v3(state: str, priority: int) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",))


class KeepvipPair(LabTestCase):
    def test_election_failover_and_preemption(self):
        high, low = v3("MASTER", 150), v3("BACKUP", 100)
        self.keepvip("a", high)
        self.keepvip("b", low)
        self.wait_master(VIP4, "a", timeout=high.master_down_interval() + 3)
        self.assertHolders(VIP4, {"a"}, window=3 * low.master_down_interval())

        sent = self.lab.stop("a", graceful=True, wait=False)
        self.assertTakeover(VIP4, "b", sent, low.skew_time(), "graceful hand-over")
        self.assertEqual(self.lab.reap("a"), 0)
        self.assertHolders(VIP4, {"b"})

        started = time.monotonic()
        self.keepvip("a", high)
        ms = self.lab.wait_for_holders(VIP4, {"a"}, since=started,
                                       timeout=high.master_down_interval() + 3)
        self.assertLessEqual(ms, (high.master_down_interval() + MARGIN + STARTUP) * 1000)
        self.assertHolders(VIP4, {"a"})

        killed = self.lab.stop("a", graceful=False, wait=False)
        self.assertTakeover(VIP4, "b", killed, low.master_down_interval(INTERVAL),
                            "takeover after SIGKILL")
        self.lab.reap("a")


if __name__ == "__main__":
    main(need_keepalived=False)
