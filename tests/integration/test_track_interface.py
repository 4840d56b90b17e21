#!/usr/bin/env python3
"""track_interface: a tracked link going down puts the instance in FAULT. A
faulted master gives the VIP up to keepalived 2.2.7 and takes it back when the
link returns; a faulted backup must not take over when the master goes."""

import time

from keepvip_lab import MARGIN, UPLINK, Instance
from kvtest import VIP4, LabTestCase, main


INTERVAL = 0.5


def v3(state: str, priority: int, track=()) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",), track_interfaces=tuple(track))


class TrackInterface(LabTestCase):
    uplinks = True

    def test_faulted_master_hands_over_and_returns(self):
        tracked, peer = v3("MASTER", 150, track=[UPLINK]), v3("BACKUP", 100)
        self.keepvip("a", tracked)
        self.wait_master(VIP4, "a", timeout=tracked.master_down_interval() + 3)
        self.keepalived("b", peer)
        self.assertHolders(VIP4, {"a"}, window=peer.master_down_interval() + MARGIN)

        down = time.monotonic()
        self.lab.link_down("a", UPLINK)
        self.assertTakeover(VIP4, "b", down, peer.master_down_interval(INTERVAL),
                            "keepalived takes over from a faulted keepvip")
        self.lab.wait_for_release(VIP4, "a", timeout=1)
        self.assertHolders(VIP4, {"b"}, window=tracked.master_down_interval() + MARGIN)
        self.assertIn("FAULT", self.keepvip_states("a"))

        up = time.monotonic()
        self.lab.link_up("a", UPLINK)
        ms = self.lab.wait_for_holders(VIP4, {"a"}, since=up,
                                       timeout=tracked.master_down_interval() + 3)
        self.assertLessEqual(ms, (tracked.master_down_interval() + MARGIN) * 1000,
                             "back from FAULT, keepvip should preempt within one master-down interval")
        self.assertHolders(VIP4, {"a"})

    def test_faulted_backup_does_not_take_over(self):
        master, tracked = v3("MASTER", 150), v3("BACKUP", 100, track=[UPLINK])
        self.keepalived("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepvip("b", tracked)
        self.assertHolders(VIP4, {"a"}, window=tracked.master_down_interval() + MARGIN)

        self.lab.link_down("b", UPLINK)
        time.sleep(0.2)
        self.lab.stop("a", graceful=True)
        self.assertHolders(VIP4, set(), window=tracked.master_down_interval() + MARGIN)

        up = time.monotonic()
        self.lab.link_up("b", UPLINK)
        ms = self.lab.wait_for_vip(VIP4, "b", since=up, timeout=tracked.master_down_interval() + 3)
        self.assertLessEqual(ms, (tracked.master_down_interval() + MARGIN) * 1000)
        self.assertHolders(VIP4, {"b"})

    def own_interface_down(self, daemon: str, *extra: str) -> set[str]:
        """A master alone, its own interface taken down: who holds the VIP
        after 1.5 s (a FAULT releases it; the address stays on a down link
        otherwise)."""
        master = v3("MASTER", 150)
        master.extra_lines = extra
        getattr(self, daemon)("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.lab.link_down("a")
        time.sleep(1.5)
        return self.lab.holders_now(VIP4)

    def test_the_own_interface_going_down_faults_the_instance(self):
        self.assertEqual(self.own_interface_down("keepvip"), set())
        self.assertIn("FAULT", self.keepvip_states("a"))

    def test_dont_track_primary_keeps_the_instance_when_its_interface_goes_down(self):
        # keepalived 2.2.7 in the same seat first: the behaviour keepvip matches.
        for daemon in ("keepalived", "keepvip"):
            with self.subTest(daemon=daemon):
                if daemon == "keepvip":
                    self.lab.close()
                    self.setUp()
                self.assertEqual(self.own_interface_down(daemon, "dont_track_primary"), {"a"})
        self.assertNotIn("FAULT", self.keepvip_states("a"))


if __name__ == "__main__":
    main()
