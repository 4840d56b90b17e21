#!/usr/bin/env python3
"""Signals keepalived users send, sent to keepvipd.

keepalived 2.2.8 handles SIGUSR1 (write its data), SIGUSR2 (its stats),
SIGRTMIN+2 (its data as JSON) and SIGRTMAX-1 (stats, and clear them), and
ignores SIGPIPE. keepvipd must survive each one, write its equivalent into
its runtime directory, and keep its mastership: the backup never sees the
master's adverts stop.
"""

import json
import os
import signal
import time

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.3


class Signals(LabTestCase):
    def test_keepalived_signals_write_files_and_never_stop_the_master(self):
        a = Instance(state="MASTER", priority=150, version=3, advert_int=INTERVAL,
                     vips=(f"{VIP4}/24",))
        b = Instance(state="BACKUP", priority=100, version=3, advert_int=INTERVAL,
                     vips=(f"{VIP4}/24",))
        self.keepvip("a", a)
        self.wait_master(VIP4, "a", timeout=a.master_down_interval() + 3)
        self.keepvip("b", b)
        self.assertHolders(VIP4, {"a"}, window=b.master_down_interval() + MARGIN)
        runtime = os.path.join(self.lab.host("a").workdir, "run")

        sent = [
            (signal.SIGUSR1, ("data", "stats")),
            (signal.SIGUSR2, ("stats",)),
            (signal.SIGRTMIN + 2, ("data.json",)),
            (signal.SIGRTMAX - 1, ("stats",)),
            (signal.SIGPIPE, ()),
        ]
        for signo, files in sent:
            before = {f: self.mtime(runtime, f) for f in files}
            self.lab.signal("a", signo)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and any(
                    self.mtime(runtime, f) == before[f] for f in files):
                time.sleep(0.02)
            time.sleep(0.1)
            self.assertTrue(self.lab.running("a"), f"keepvipd died on signal {int(signo)}: "
                            f"exit {self.lab.exit_code('a')}")
            for f in files:
                self.assertNotEqual(self.mtime(runtime, f), before[f],
                                    f"signal {int(signo)} did not write {f}")

        with open(os.path.join(runtime, "data.json")) as f:
            instances = json.load(f)
        self.assertEqual([(i["name"], i["state"]) for i in instances], [("VI_1", "MASTER")])
        with open(os.path.join(runtime, "data")) as f:
            self.assertIn("VRRP instance VI_1", f.read())
        with open(os.path.join(runtime, "stats")) as f:
            self.assertIn("VI_1: MASTER", f.read())
        log = self.lab.log_text("a")
        for what in ("(SIGUSR1)", "(SIGUSR2)", "(SIGRTMIN+2)", "(SIGRTMAX-1)"):
            self.assertIn(what, log)
        # Elections went on throughout: b never claimed, and still does not.
        self.assertNotIn("MASTER", self.keepvip_states("b"))
        self.assertHolders(VIP4, {"a"}, window=b.master_down_interval() + MARGIN)

    @staticmethod
    def mtime(directory: str, name: str) -> int:
        try:
            return os.stat(os.path.join(directory, name)).st_mtime_ns
        except FileNotFoundError:
            return 0


if __name__ == "__main__":
    main()
