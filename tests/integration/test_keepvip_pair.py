#!/usr/bin/env python3
"""Two keepvip nodes (VRRPv3, 0.2 s): election, graceful hand-over within the
backup's skew time, preemption back, a SIGKILL taken over within
Master_Down_Interval, and an IPv6 master that loses its link-local source
address (as a link flap removes it) going FAULT until one is back."""

import time

from keepvip_lab import MARGIN, STARTUP, Instance
from kvtest import VIP4, VIP6, LabTestCase, main

INTERVAL = 0.2


def v3(state: str, priority: int, vip: str = f"{VIP4}/24") -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL, vips=(vip,))


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

    def test_a_master_without_a_source_address_is_fault_until_one_is_back(self):
        high, low = v3("MASTER", 150, f"{VIP6}/64"), v3("BACKUP", 100, f"{VIP6}/64")
        self.keepvip("a", high)
        self.keepvip("b", low)
        self.wait_master(VIP6, "a", timeout=high.master_down_interval() + 3)
        self.assertHolders(VIP6, {"a"}, window=3 * low.master_down_interval())

        # IPv6 adverts go out from a link-local address; the lab's hosts
        # have no generated one, so this leaves a with none (as a link flap
        # does on a host whose only link-local was configured).
        ll6 = self.lab.host("a").ll6
        removed = time.monotonic()
        self.lab.exec("a", "ip", "-6", "addr", "del", f"{ll6}/64", "dev", "eth0")
        self.assertTakeover(VIP6, "b", removed, low.master_down_interval(INTERVAL),
                            "takeover from a master without a source address")
        self.assertHolders(VIP6, {"b"}, window=3 * low.master_down_interval())
        self.assertEqual(self.keepvip_states("a")[-1], "FAULT", self.keepvip_states("a"))

        back = time.monotonic()
        self.lab.exec("a", "ip", "-6", "addr", "add", f"{ll6}/64", "dev", "eth0", "nodad")
        ms = self.lab.wait_for_holders(VIP6, {"a"}, since=back,
                                       timeout=high.master_down_interval() + 3)
        self.assertLessEqual(ms, (high.master_down_interval() + MARGIN) * 1000)
        self.assertHolders(VIP6, {"a"})


if __name__ == "__main__":
    main(need_keepalived=False)
