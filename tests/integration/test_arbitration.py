#!/usr/bin/env python3
"""Arbitration (reference_ip) and partitions between two keepvip nodes.

Host r stands for the gateway: the reference address both instances probe.
  - VRRP partition (nft drops VRRP on both nodes for 10 s) while both still
    reach the reference: arbitration cannot tell, both become master. That is
    a split brain and must be reported as one; after the heal exactly one
    master remains within 2 advert intervals.
  - The master is cut off from the reference only: it must give the VIP up
    and the other node take it; after the heal (the probe's rise time) there
    is again exactly one master, never two at rest, and no alarm.
  - A backup that cannot see the reference does not claim when the master
    goes.
"""

import time

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.3  # VRRPv3 advert_int
REFERENCE = "192.0.2.13"  # host r, the third lab host
PROBE_INTERVAL = 0.2
FALL = 3
RISE = 2
QUIET = 3  # split_brain_quiet
PARTITION = 10.0
# The alarm needs evidence seen over one second (guard/split_brain.h,
# `confirm`) so that one burst at a hand-over never raises it: with intervals
# this short that is longer than 3 advert intervals.
DETECT = max(3 * INTERVAL, 1.0)

# Longest time for the probe to declare the reference lost / back: the
# verdict needs FALL (RISE) probes, the first of which may come a whole
# probe interval after the change.
LOST_TIME = (FALL + 1) * PROBE_INTERVAL
RISE_TIME = (RISE + 1) * PROBE_INTERVAL


def node(state: str, priority: int) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",),
                    extra_lines=(f"reference_ip {REFERENCE}",
                                 f"reference_interval {PROBE_INTERVAL}",
                                 f"reference_fall {FALL}",
                                 f"reference_rise {RISE}",
                                 f"split_brain_quiet {QUIET}"))


class Arbitration(LabTestCase):
    hosts = ("a", "b", "r")  # r: the reference, no VRRP daemon

    def setUp(self) -> None:
        super().setUp()
        self.a, self.b = node("MASTER", 150), node("BACKUP", 100)
        # Start one after the other so the start-up order cannot decide the
        # master: a first, then b joins as backup.
        self.keepvip("a", self.a, bpf=True)
        self.wait_master(VIP4, "a", timeout=RISE_TIME + self.a.master_down_interval() + 3)
        self.keepvip("b", self.b, bpf=True)
        self.assertHolders(VIP4, {"a"}, window=RISE_TIME + self.b.master_down_interval() + MARGIN)

    # ------------------------------------------------------------ helpers
    def lines(self, host: str, what: str) -> list[str]:
        return [line for line in self.lab.log_text(host).splitlines() if what in line]

    def wait_for_log(self, host: str, what: str, timeout: float) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.lines(host, what):
                return time.monotonic() - start
            time.sleep(0.02)
        self.fail(f"{host} did not log {what!r} within {timeout:.1f} s")

    def watch_holders(self, until: set[str], timeout: float, poll: float = 0.005):
        """Holder sets seen from now until `until` is reached: [(seconds, holders), ...]."""
        start = time.monotonic()
        seen = [(0.0, self.lab.holders_now(VIP4))]
        while seen[-1][1] != until:
            if time.monotonic() - start > timeout:
                break
            time.sleep(poll)
            current = self.lab.holders_now(VIP4)
            if current != seen[-1][1]:
                seen.append((time.monotonic() - start, current))
        return seen

    @staticmethod
    def describe(seen) -> str:
        return ", ".join(f"+{t * 1000:.0f}ms {sorted(s)}" for t, s in seen)

    @staticmethod
    def longest_double_hold(seen, end: float) -> float:
        """Longest spell (s) during which more than one node held the VIP."""
        longest = 0.0
        for i, (t, holders) in enumerate(seen):
            if len(holders) > 1:
                until = seen[i + 1][0] if i + 1 < len(seen) else end
                longest = max(longest, until - t)
        return longest

    # ------------------------------------------------------------ scenarios
    def test_vrrp_partition_is_a_reported_split_brain_and_heals_to_one_master(self):
        # Both nodes drop VRRP on receive; the reference stays reachable.
        cut = time.monotonic()
        self.lab.nft_drop_vrrp("a", "in")
        self.lab.nft_drop_vrrp("b", "in")
        # What happens: b no longer hears a and claims too. Arbitration
        # cannot prevent it (both see the gateway), so it must be reported.
        self.assertTakeover(VIP4, "b", cut, self.b.master_down_interval(INTERVAL),
                            "partitioned backup claims the VIP")
        self.assertEqual(self.lab.holders_now(VIP4), {"a", "b"}, "both masters during the partition")
        took = self.wait_for_log("a", "split brain:", DETECT + MARGIN)
        alarm = self.lines("a", "split brain:")[0]
        print(f"  split brain reported by a {took * 1000:.0f} ms after b claimed: {alarm[-120:]}")
        self.assertTrue(any(kind in alarm for kind in ("foreign-master", "arp-conflict")), alarm)
        print(f"  b reported: {self.lines('b', 'split brain:')[:1] or 'nothing'}")

        time.sleep(max(0.0, cut + PARTITION - time.monotonic()))
        self.assertEqual(self.lab.holders_now(VIP4), {"a", "b"}, "still two masters at the heal")
        self.lab.nft_clear("a")
        self.lab.nft_clear("b")
        heal = time.monotonic()
        seen = self.watch_holders({"a"}, timeout=2 * INTERVAL + MARGIN + 3)
        self.assertEqual(seen[-1][1], {"a"}, f"after the heal: {self.describe(seen)}")
        self.assertLessEqual(seen[-1][0], 2 * INTERVAL + MARGIN,
                             f"one master left only after {seen[-1][0] * 1000:.0f} ms "
                             f"(bound {2 * INTERVAL * 1000:.0f} ms + margin): {self.describe(seen)}")
        print(f"  one master {(time.monotonic() - heal) * 1000:.0f} ms after the heal")
        self.assertHolders(VIP4, {"a"}, window=self.b.master_down_interval() + MARGIN)
        # The alarm ends after the quiet period, once.
        self.wait_for_log("a", "split brain over", QUIET + 3 * INTERVAL + MARGIN)
        self.assertEqual(len(self.lines("a", "split brain:")), 1, "the alarm started once")

    def test_master_cut_off_from_the_reference_hands_over(self):
        cut = time.monotonic()
        self.lab.nft_drop("a", f"ip saddr {REFERENCE} icmp type echo-reply", "in")
        # The reference is lost after FALL missed probes; a gives up (priority
        # 0), so b claims after its Skew_Time.
        released = self.lab.wait_for_release(VIP4, "a", timeout=LOST_TIME + MARGIN + 3)
        self.assertLessEqual(released - cut, LOST_TIME + MARGIN,
                             f"a kept the VIP {(released - cut) * 1000:.0f} ms without its reference")
        self.assertTakeover(VIP4, "b", cut, LOST_TIME + self.b.master_down_interval(INTERVAL),
                            "the node that sees the reference takes over")
        self.assertHolders(VIP4, {"b"}, window=self.a.master_down_interval() + MARGIN)
        faults = [line for line in self.lines("a", "-> FAULT") if REFERENCE in line]
        self.assertTrue(faults, "a's FAULT names the reference")

        heal = time.monotonic()
        self.lab.nft_clear("a")
        # a comes back through BACKUP and preempts: after the probe's rise
        # time and one master-down interval a holds the VIP alone; b hands
        # over on a's first advert, so two holders overlap for at most one
        # advert interval, and never at rest.
        bound = RISE_TIME + self.a.master_down_interval() + 2 * INTERVAL
        seen = self.watch_holders({"a"}, timeout=bound + MARGIN + 3)
        end = time.monotonic() - heal
        self.assertEqual(seen[-1][1], {"a"}, f"after the heal: {self.describe(seen)}")
        self.assertLessEqual(seen[-1][0], bound + MARGIN, self.describe(seen))
        self.assertNotIn(set(), [s for _, s in seen], f"nobody held the VIP: {self.describe(seen)}")
        self.assertLessEqual(self.longest_double_hold(seen, end), INTERVAL + MARGIN,
                             f"two masters after the heal: {self.describe(seen)}")
        print(f"  after the heal: {self.describe(seen)}")
        self.assertHolders(VIP4, {"a"}, window=self.b.master_down_interval() + MARGIN)
        # A fault and a preemption are normal hand-overs: no alarm.
        self.assertEqual(self.lines("a", "split brain:") + self.lines("b", "split brain:"), [])

    def test_backup_without_the_reference_does_not_claim(self):
        self.lab.nft_drop("b", f"ip saddr {REFERENCE} icmp type echo-reply", "in")
        self.wait_for_log("b", "reference " + REFERENCE + " lost", LOST_TIME + MARGIN + 3)
        self.lab.stop("a", graceful=True)
        self.assertHolders(VIP4, set(), window=self.b.master_down_interval() + MARGIN)
        back = time.monotonic()
        self.lab.nft_clear("b")
        self.assertTakeover(VIP4, "b", back, RISE_TIME + self.b.master_down_interval(),
                            "b claims once the reference answers again")
        self.assertHolders(VIP4, {"b"})


if __name__ == "__main__":
    main(need_keepalived=False)
