#!/usr/bin/env python3
"""VRRPv2 `auth_type AH` (IPsec AH, HMAC-MD5-96) against keepalived 2.2.7:
each side accepts the other's AH adverts both ways (keepalived master with a
keepvip backup, then keepvip taking over and keepalived accepting it as
master), and with another password each side drops the other's adverts —
keepalived by name in its log, keepvip counted as ah-icv-mismatch (the
auth_failure of its keepalived.stats)."""

import os
import signal
import time

from keepvip_lab import MARGIN, STARTUP, Instance
from kvtest import VIP4, LabTestCase, main


def ah_instance(state: str, priority: int, password: str) -> Instance:
    return Instance(state=state, priority=priority, advert_int=1, auth_type="AH",
                    auth_pass=password, vips=(f"{VIP4}/24",))


class AhAuthentication(LabTestCase):
    def keepvip_stats(self, host: str) -> str:
        """keepvipd's own stats file, written on SIGUSR2: one line per instance with its drops."""
        path = os.path.join(self.lab.host(host).workdir, "run", "stats")
        before = os.stat(path).st_mtime_ns if os.path.exists(path) else None
        self.lab.signal(host, signal.SIGUSR2)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            if os.path.exists(path) and os.stat(path).st_mtime_ns != before:
                break
            time.sleep(0.02)
        time.sleep(0.1)
        with open(path) as f:
            return f.read()

    def instance_counters(self, host: str) -> dict[str, int]:
        for line in self.keepvip_stats(host).splitlines():
            if line.startswith("VI_1: "):
                return {k: int(v) for k, v in
                        (field.split("=", 1) for field in line.split()[2:])}
        self.fail(f"no VI_1 line in {host}'s stats")

    def test_keepalived_master_keepvip_backup_then_keepvip_takes_over(self):
        ka = ah_instance("BACKUP", 100, "secret12x")
        kv = ah_instance("BACKUP", 150, "secret12")  # keepalived keys with 8 bytes: the same key
        kv_low = ah_instance("BACKUP", 50, "secret12")
        # keepalived first (AH forbids starting as MASTER: it times out into it).
        self.keepalived("a", ka)
        self.wait_master(VIP4, "a", timeout=ka.master_down_interval() + 3)
        self.keepvip("b", kv_low)
        # Longer than keepvip's master-down interval: it follows keepalived's
        # adverts only if it accepts their ICV and sequence numbers.
        self.assertHolders(VIP4, {"a"}, window=kv_low.master_down_interval() + MARGIN)
        counters = self.instance_counters("b")
        self.assertGreater(counters["received"], 1, counters)
        self.assertEqual(counters.get("ah-icv-mismatch", 0), 0, counters)
        self.assertEqual(counters.get("ah-sequence-replay", 0), 0, counters)

        # Restart keepvip with the higher priority: it starts as BACKUP, learns
        # keepalived's sequence number, preempts, and keepalived — which drops
        # any advert numbered at or below what it sent — must accept it.
        self.lab.stop("b")
        self.keepvip("b", kv)
        self.lab.wait_for_vip(VIP4, "b", timeout=kv.master_down_interval() + STARTUP + MARGIN)
        # keepalived lets go on keepvip's first advert, and never takes back.
        self.lab.wait_for_holders(VIP4, {"b"}, timeout=2)
        self.assertHolders(VIP4, {"b"}, window=ka.master_down_interval() + MARGIN)
        log = self.lab.log_text("a")
        self.assertIn("Entering BACKUP STATE", log.split("Entering MASTER STATE", 1)[1])
        self.assertNotIn("IPSEC-AH", log)
        self.assertNotIn("No AH header", log)

    def test_guard_passes_and_counts_keepalived_ah_adverts(self):
        ka = ah_instance("BACKUP", 150, "secret12")
        kv = ah_instance("BACKUP", 100, "secret12")
        self.keepalived("a", ka)
        self.wait_master(VIP4, "a", timeout=ka.master_down_interval() + 3)
        self.keepvip("b", kv, bpf=True)
        # Had XDP dropped the AH adverts, keepvip would have taken over.
        self.assertHolders(VIP4, {"a"}, window=kv.master_down_interval() + STARTUP + MARGIN)
        stats = self.lab.keepvip_command("b", "--stats")
        self.assertEqual(stats.returncode, 0, stats.stderr)
        rows = [row.split() for row in stats.stdout.splitlines()
                if self.lab.host("a").addr4 in row.split()]
        self.assertEqual(len(rows), 1, stats.stdout)
        # IFACE VRID FAMILY SOURCE ADVERTS PRIO ...: counted as adverts, none dropped.
        self.assertGreaterEqual(int(rows[0][4]), 2, f"the guard did not count them: {rows[0]}")
        self.assertEqual(int(rows[0][5]), 150, rows[0])
        self.assertEqual(rows[0][-1], "-", f"the guard dropped keepalived's AH adverts: {rows[0]}")

    def test_wrong_password_each_side_drops_and_counts(self):
        ka = ah_instance("BACKUP", 150, "1111")
        kv = ah_instance("BACKUP", 100, "2222")
        self.keepalived("a", ka)
        self.wait_master(VIP4, "a", timeout=ka.master_down_interval() + 3)
        self.keepvip("b", kv)
        # keepvip must not accept the higher-priority adverts: it times out and
        # becomes master too (the protocol's answer to another password).
        self.lab.wait_for_vip(VIP4, "b", timeout=kv.master_down_interval() + STARTUP + MARGIN)
        self.assertHolders(VIP4, {"a", "b"})
        counters = self.instance_counters("b")
        self.assertGreater(counters.get("ah-icv-mismatch", 0), 0, counters)
        # keepalived rejected keepvip's adverts by name.
        self.assertIn("invalid IPSEC HMAC-MD5 value", self.lab.log_text("a"))


if __name__ == "__main__":
    main()
