#!/usr/bin/env python3
"""How a master answers adverts and how long a backup waits, side by side
with keepalived 2.2.7: each case runs once with keepvipd and once with
keepalived in the same seat, against a keepalived peer, and both must behave
the same way on the wire.

- lower_prio_no_advert: a master hearing a lower-priority master (the peer's
  VRRP input is dropped, so it claims too) answers each of its adverts at
  once, or with the keyword stays on its own one-second rhythm.
- higher_prio_send_advert: a master outranked by a new master sends one
  advert of its own before it steps down, or with the keyword none.
- down_timer_adverts 1: a backup takes over 1 interval + Skew_Time after the
  master's last advert instead of 3.
- timer_expired_backup (keepvip only, keepalived 2.2.7 predates it): a
  master stopped so long that the backup took over steps down when it runs
  again instead of taking the VIP back.
"""

from __future__ import annotations

import signal
import time

from keepvip_lab import MARGIN, STARTUP, Instance
from kvtest import VIP4, LabTestCase, main

# keepvipd or keepalived in the seat under test.
DAEMONS = ("keepvip", "keepalived")


def v2(priority: int, *extra: str, **kwargs) -> Instance:
    return Instance(priority=priority, vips=(f"{VIP4}/24",), extra_lines=extra, **kwargs)


class AdvertAnswers(LabTestCase):
    # c only listens: it hears both routers' multicast adverts.
    hosts = ("a", "b", "c")

    def start(self, daemon: str, host: str, instance: Instance) -> None:
        getattr(self, daemon)(host, instance)

    # ------------------------------------------------------------ lower_prio_no_advert
    def beside_a_lower_master(self, daemon: str, *extra: str):
        """a (daemon, 150) is master; b (keepalived, 100) cannot hear it and
        claims too. Returns a's advert times alone, then a's and b's over 4 s
        beside each other (as c hears them)."""
        a_addr, b_addr = self.lab.host("a").addr4, self.lab.host("b").addr4
        self.start(daemon, "a", v2(150, *extra))
        self.wait_master(VIP4, "a", timeout=v2(150).master_down_interval() + STARTUP + 3)
        alone = [t for t, source, _ in self.lab.capture_adverts("c", 2.5) if source == a_addr]
        self.lab.nft_drop_vrrp("b", "in")
        # Started 0.75 s after one of a's adverts, b's own rhythm (1 s + its
        # 1.61 s down timer + start-up later) falls about half a second off a's.
        self.lab.wait_for_advert("c", a_addr, timeout=2)
        time.sleep(0.75)
        self.keepalived("b", v2(100, "down_timer_adverts 1"))
        self.wait_master(VIP4, "b", timeout=1 + 1 + STARTUP + 3)
        adverts = self.lab.capture_adverts("c", 4.0)
        a_times = [t for t, source, _ in adverts if source == a_addr]
        b_times = [t for t, source, _ in adverts if source == b_addr]
        self.assertGreaterEqual(len(alone), 2, f"{daemon}: a barely advertised alone")
        self.assertGreaterEqual(len(a_times), 3, f"{daemon}: a barely advertised: {adverts}")
        self.assertGreaterEqual(len(b_times), 3, f"the lower master barely advertised: {adverts}")
        return alone, a_times, b_times

    def test_a_master_answers_a_lower_priority_advert_at_once(self):
        for daemon in DAEMONS:
            with self.subTest(daemon=daemon):
                self.setUp_again()
                _, a_times, b_times = self.beside_a_lower_master(daemon)
                # Each lower advert is answered within milliseconds, and the
                # answer restarts the master's timer: a's adverts keep step
                # with b's (a periodic one may fire a hair before b's next).
                for b in b_times[:-1]:
                    self.assertTrue(any(0 <= a - b < 0.05 for a in a_times),
                                    f"{daemon}: b's advert at {b:.3f} not answered: a {a_times}")
                for a in a_times[1:]:
                    self.assertTrue(any(abs(a - b) < 0.05 for b in b_times),
                                    f"{daemon}: a's advert at {a:.3f} out of step: b {b_times}")

    def test_lower_prio_no_advert_keeps_a_master_silent(self):
        for daemon in DAEMONS:
            with self.subTest(daemon=daemon):
                self.setUp_again()
                alone, a_times, _ = self.beside_a_lower_master(daemon, "lower_prio_no_advert")
                gaps = [later - earlier for earlier, later in zip(a_times, a_times[1:])]
                self.assertGreaterEqual(min(gaps), 0.9,
                                        f"{daemon}: answered a lower-priority advert: {gaps}")
                # Its own rhythm, in the phase it had alone.
                for a in a_times:
                    drift = (a - alone[-1]) % 1.0
                    self.assertLess(min(drift, 1.0 - drift), 0.06,
                                    f"{daemon}: a's rhythm moved: alone {alone}, beside b {a_times}")

    # ------------------------------------------------------------ higher_prio_send_advert
    def adverts_after_being_outranked(self, daemon: str, *extra: str) -> list[tuple[float, int]]:
        """a (daemon, 100) is master; b (keepalived, 150) starts and takes
        over. Returns a's adverts from b's first one at 150 on, as (seconds
        after it, priority)."""
        self.start(daemon, "a", v2(100, *extra))
        self.wait_master(VIP4, "a", timeout=v2(100).master_down_interval() + STARTUP + 3)
        self.keepalived("b", v2(150, "down_timer_adverts 1"))
        adverts = self.lab.capture_adverts("c", STARTUP + 1 + 1 + 2)
        b_addr, a_addr = self.lab.host("b").addr4, self.lab.host("a").addr4
        first = next((t for t, source, prio in adverts if source == b_addr and prio == 150), None)
        self.assertIsNotNone(first, f"{daemon}: b never advertised 150: {adverts}")
        self.wait_master(VIP4, "b", timeout=3)
        return [(t - first, prio) for t, source, prio in adverts if source == a_addr and t >= first]

    def test_an_outranked_master_steps_down_silently(self):
        for daemon in DAEMONS:
            with self.subTest(daemon=daemon):
                self.setUp_again()
                after = self.adverts_after_being_outranked(daemon)
                self.assertEqual(after, [], f"{daemon}: advertised after being outranked")

    def test_higher_prio_send_advert_answers_once_before_stepping_down(self):
        for daemon in DAEMONS:
            with self.subTest(daemon=daemon):
                self.setUp_again()
                after = self.adverts_after_being_outranked(daemon, "higher_prio_send_advert")
                self.assertEqual(len(after), 1, f"{daemon}: {after}")
                delay, priority = after[0]
                self.assertEqual(priority, 100, f"{daemon}: {after}")
                self.assertLess(delay, 0.2, f"{daemon}: answered {delay * 1000:.0f} ms late")

    # ------------------------------------------------------------ down_timer_adverts
    def test_down_timer_adverts_shortens_the_takeover(self):
        backup = v2(100, "down_timer_adverts 1")
        # 1 x 1 s + (256 - 100) / 256 s; the RFC's 3 adverts would take 3.61 s.
        bound = 1 + backup.skew_time()
        for daemon in DAEMONS:
            with self.subTest(daemon=daemon):
                self.setUp_again()
                self.keepalived("a", v2(150))
                self.wait_master(VIP4, "a", timeout=v2(150).master_down_interval() + STARTUP + 3)
                self.start(daemon, "b", backup)
                self.assertHolders(VIP4, {"a"}, window=1.5)
                last = self.lab.wait_for_advert("b", self.lab.host("a").addr4, timeout=3)
                self.lab.stop("a", graceful=False)
                ms = self.assertTakeover(VIP4, "b", last, bound, f"{daemon} down_timer_adverts 1")
                self.assertGreaterEqual(ms, (bound - 0.1) * 1000,
                                        f"{daemon}: took over before its down timer")

    # ------------------------------------------------------------ timer_expired_backup
    def stopped_master_resumes(self, *extra: str) -> set[str]:
        """a (keepvip, 150, nopreempt) is master over b (keepalived, 100,
        nopreempt); a is stopped (SIGSTOP) until b has taken over, then
        resumed. Returns who holds the VIP at rest afterwards."""
        self.keepvip("a", v2(150, *extra, nopreempt=True))
        self.wait_master(VIP4, "a", timeout=v2(150).master_down_interval() + STARTUP + 3)
        self.keepalived("b", v2(100, nopreempt=True))
        self.assertHolders(VIP4, {"a"}, window=1.5)
        self.lab.signal("a", signal.SIGSTOP)
        try:
            self.lab.wait_for_vip(VIP4, "b", timeout=v2(100).master_down_interval() + MARGIN + 1)
            time.sleep(0.5)
        finally:
            self.lab.signal("a", signal.SIGCONT)
        time.sleep(0.5)
        return self.lab.settled_holders(VIP4, window=2.5)

    def test_a_stopped_master_takes_the_vip_back_when_it_runs_again(self):
        self.assertEqual(self.stopped_master_resumes(), {"a"})

    def test_timer_expired_backup_leaves_the_vip_with_the_backup(self):
        holders = self.stopped_master_resumes("timer_expired_backup 100")
        self.assertEqual(holders, {"b"})
        self.assertIn("(timer_expired_backup)", self.lab.log_text("a"))

    # ------------------------------------------------------------ helpers
    def setUp_again(self) -> None:
        """A fresh lab for each daemon of a subTest loop after the first."""
        if getattr(self, "_lab_used", False):
            self.lab.close()
            self.setUp()
        self._lab_used = True


if __name__ == "__main__":
    main()
