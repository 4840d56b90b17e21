#!/usr/bin/env python3
"""A master that dies without a word (SIGKILL) against keepalived 2.2.7: the
backup must take over within Master_Down_Interval (3 x interval + skew); a
keepvipd restarted on the crashed host must clear the VIP the dead run left;
the crash hand-over hook (`keepvipd --release`) gets the peer there within its
skew time instead."""

import time

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.5


def v3(state: str, priority: int, **extra) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",), **extra)


class KillTheMaster(LabTestCase):
    def test_keepalived_killed_keepvip_takes_over(self):
        master, backup = v3("MASTER", 150), v3("BACKUP", 100)
        self.keepalived("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepvip("b", backup)
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)

        killed = self.lab.stop("a", graceful=False, wait=False)
        self.assertTakeover(VIP4, "b", killed, backup.master_down_interval(INTERVAL),
                            "keepvip takes over from a killed keepalived")
        self.lab.reap("a")
        # The dead master's VIP stays on its interface, as on a crashed host;
        # among the living, only b holds it.
        self.assertEqual(self.lab.settled_holders(VIP4, 1.0), {"a", "b"})

    def test_keepvip_killed_keepalived_takes_over_and_restart_clears_stale_vip(self):
        master, backup = v3("MASTER", 150), v3("BACKUP", 100)
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepalived("b", backup)
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)

        killed = self.lab.stop("a", graceful=False, wait=False)
        self.assertTakeover(VIP4, "b", killed, backup.master_down_interval(INTERVAL),
                            "keepalived takes over from a killed keepvipd")
        self.lab.reap("a")
        self.assertTrue(self.lab.holds("a", VIP4), "SIGKILL should leave the VIP behind")

        # Restarted below the new master, keepvipd must not keep the stale VIP
        # (that would be a split brain of its own making) and must stay backup.
        low = v3("BACKUP", 50)
        self.keepvip("a", low)
        self.lab.wait_for_holders(VIP4, {"b"}, timeout=low.master_down_interval() + MARGIN)
        self.assertHolders(VIP4, {"b"}, window=low.master_down_interval() + MARGIN)

    def test_stale_vip_removed_at_start_in_both_config_forms(self):
        # As a crashed run leaves it; written with and without "dev eth0"
        # (the seed's configs omit it). A backup that has not yet become
        # master (master-down is 1.9 s) must not hold the VIP.
        for vip_dev in (False, True):
            with self.subTest(vip_dev=vip_dev):
                self.lab.ip("a", "addr", "add", f"{VIP4}/24", "dev", "eth0")
                try:
                    started = time.monotonic()
                    self.keepvip("a", v3("BACKUP", 50, vip_dev=vip_dev))
                    self.lab.wait_for_release(VIP4, "a", timeout=1.0)
                    self.assertLess(time.monotonic() - started,
                                    v3("BACKUP", 50).master_down_interval())
                finally:
                    if self.lab.running("a"):
                        self.lab.stop("a")
                    self.lab.flush_vip("a", VIP4)

    def test_release_hook_after_kill_hands_over_within_skew(self):
        # What keepvipd.service's ExecStopPost= / OnFailure= hook runs when the
        # agent died as master: it reads the runtime state file, removes the
        # VIPs and sends priority 0, so the peer need not wait 3 intervals.
        master, backup = v3("MASTER", 150), v3("BACKUP", 100)
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepalived("b", backup)
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)

        self.lab.stop("a", graceful=False)
        released = time.monotonic()
        proc = self.lab.keepvip_command("a", "--release")
        self.assertEqual(proc.returncode, 0, f"keepvipd --release failed: {proc.stdout}{proc.stderr}")
        self.assertTakeover(VIP4, "b", released, backup.skew_time(),
                            "keepalived takes over after the release hook")
        self.assertFalse(self.lab.holds("a", VIP4), "--release left the VIP on the dead master")
        self.assertHolders(VIP4, {"b"})


if __name__ == "__main__":
    main()
