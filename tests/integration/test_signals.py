#!/usr/bin/env python3
"""Signals keepalived users send, sent to keepvipd.

keepalived 2.2.8 handles SIGUSR1 (write its data), SIGUSR2 (its stats),
SIGRTMIN+2 (its data as JSON) and SIGRTMAX-1 (stats, and clear them), and
ignores SIGPIPE. keepvipd must survive each one, write keepalived's files
(keepalived.data, keepalived.stats, keepalived.json) into its runtime
directory, and keep its mastership: the backup never sees the master's
adverts stop. The files are read the way the community Prometheus exporter
(keepalived-exporter) reads keepalived's, so its metrics come out right.
"""

import json
import os
import signal
import time

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.3


# keepalived-exporter's reading of the files, rule for rule: keepalived.data
# sections start " VRRP Instance = NAME", properties are "   KEY = VALUE",
# the VIPs follow "   Virtual IP (N):" as "     ADDR dev IF ...";
# keepalived.stats sections start "VRRP Instance: NAME", then
# "  SECTION:" headers and "    KEY: NUMBER" or "  KEY: NUMBER" lines.
def exporter_data(text: str) -> dict[str, dict]:
    data: dict[str, dict] = {}
    instance = ""
    key = ""
    for line in text.splitlines():
        if line.startswith(" VRRP Instance") and "=" in line:
            instance = line.split("=")[1].strip()
            data[instance] = {"vips": []}
        elif line.startswith("   ") and instance:
            if line.startswith("     "):
                value = line.strip()
            elif "=" in line:
                key, value = (part.strip() for part in line.strip().split("=", 1))
            elif ":" in line:
                key = line.strip().split(":")[0].strip()
                continue
            else:
                continue
            if key.startswith("Virtual IP (") and value:
                address, _, intf = value.split(" ")[:3]
                data[instance]["vips"].append((address, intf))
            elif key in ("State", "Wantstate", "Interface", "Virtual Router ID",
                         "Gratuitous ARP delay"):
                data[instance][key] = value
        elif line.startswith(" VRRP Version") or line.startswith(" VRRP Script"):
            continue
        else:
            instance = ""
    return data


def exporter_stats(text: str) -> dict[str, dict[str, int]]:
    stats: dict[str, dict[str, int]] = {}
    instance = section = ""
    for line in text.splitlines():
        if line.startswith("VRRP Instance") and ":" in line:
            instance = line.split(":")[1].strip()
            stats[instance] = {}
        elif line.startswith("  ") and line.endswith(":"):
            section = line.strip().rstrip(":")
        elif line.startswith("    ") and section:
            key, value = (part.strip() for part in line.split(":"))
            stats[instance][f"{section}/{key}"] = int(value)
        elif line.startswith("  "):
            key, value = (part.strip() for part in line.split(":"))
            section = ""
            stats[instance][key] = int(value)
    return stats


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
            (signal.SIGUSR1, ("keepalived.data", "stats")),
            (signal.SIGUSR2, ("keepalived.stats", "stats")),
            (signal.SIGRTMIN + 2, ("keepalived.json",)),
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

        with open(os.path.join(runtime, "keepalived.data")) as f:
            data = exporter_data(f.read())
        self.assertEqual(data, {"VI_1": {"State": "MASTER", "Wantstate": "MASTER",
                                         "Interface": "eth0", "Virtual Router ID": "51",
                                         "Gratuitous ARP delay": "5",
                                         "vips": [(f"{VIP4}/24", "eth0")]}})
        with open(os.path.join(runtime, "keepalived.stats")) as f:
            stats = exporter_stats(f.read())["VI_1"]
        self.assertGreater(stats["Advertisements/Sent"], 0)
        self.assertEqual(stats["Became master"], 1)
        self.assertEqual(stats["Released master"], 0)
        self.assertEqual(stats["Priority Zero/Sent"], 0)
        self.assertEqual(stats["Authentication Errors/Failure"], 0)
        # keepalived-exporter's JSON reader (keepalived -j) takes "data" and
        # "stats" of each instance; states are keepalived's numbers.
        with open(os.path.join(runtime, "keepalived.json")) as f:
            instances = json.load(f)
        self.assertEqual(len(instances), 1)
        self.assertEqual((instances[0]["data"]["iname"], instances[0]["data"]["state"],
                          instances[0]["data"]["vrid"], instances[0]["data"]["ifp_ifname"]),
                         ("VI_1", 2, 51, "eth0"))
        self.assertEqual(instances[0]["data"]["vips"], [f"{VIP4}/24 dev eth0 scope global"])
        self.assertGreater(instances[0]["stats"]["advert_sent"], 0)
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
