#!/usr/bin/env python3
"""track_file next to keepalived 2.2.7: the number in a file keepvipd tracks,
times the weight, moves its priority above or below the peer's, so the VIP
moves within the protocol bound; reverse turns the sign; with weight 0 a
non-zero number is FAULT. Files are written in place, replaced by rename and
deleted, as operators' tools do. init_file creates the file at start, and a
reload that changes the weight applies it to the value already read."""

import os
import shutil
import tempfile
import time

from keepvip_lab import MARGIN, Instance, render_config
from kvtest import VIP4, LabTestCase, main


INTERVAL = 0.5
PEER_PRIORITY = 110


def v3(state: str, priority: int, *extra: str) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",), extra_lines=tuple(extra))


class TrackFile(LabTestCase):
    def setUp(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="kvtrackfile-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.path = os.path.join(self.dir, "value")
        super().setUp()

    def conf(self, weight: str, entry: str = "tf", init: str = "") -> str:
        tracked = v3("BACKUP", 100, "track_file {", f"    {entry}", "}")
        block = (f"track_file tf {{\n    file {self.path}\n    weight {weight}\n"
                 + (f"    init_file {init}\n" if init else "") + "}\n")
        return render_config(tracked, router_id="kv-a") + "\n" + block

    def write(self, text: str, atomically: bool = False) -> float:
        if atomically:
            tmp = self.path + ".new"
            with open(tmp, "w") as f:
                f.write(text)
            os.rename(tmp, self.path)
        else:
            with open(self.path, "w") as f:
                f.write(text)
        return time.monotonic()

    def start_pair(self, conf: str) -> tuple[Instance, Instance]:
        tracked, peer = v3("BACKUP", 100), v3("BACKUP", PEER_PRIORITY)
        self.keepalived("b", peer)
        self.wait_master(VIP4, "b", timeout=peer.master_down_interval() + 3)
        self.lab.start_keepvip("a", conf)
        return tracked, peer

    def assertMovesTo(self, host: str, since: float, bound: float, what: str) -> None:
        self.assertTakeover(VIP4, host, since, bound, what)
        other = "b" if host == "a" else "a"
        self.lab.wait_for_release(VIP4, other, timeout=INTERVAL * 3 + MARGIN)
        self.assertHolders(VIP4, {host}, window=bound + MARGIN)

    def test_value_times_weight_moves_the_vip_and_a_reload_applies_a_new_weight(self):
        # init_file 2: the file is created at start, 100 + 2 x 10 = 120 > 110.
        tracked, peer = self.start_pair(self.conf("10", init="2"))
        self.wait_master(VIP4, "a", timeout=tracked.master_down_interval() + 3)
        self.lab.wait_for_release(VIP4, "b", timeout=INTERVAL * 3 + MARGIN)
        with open(self.path) as f:
            self.assertEqual(f.read(), "2\n")
        self.assertHolders(VIP4, {"a"}, window=peer.master_down_interval() + MARGIN)

        # 100 + 0 x 10 = 100 < 110: keepalived takes over.
        since = self.write("0\n")
        self.assertMovesTo("b", since, peer.master_down_interval(INTERVAL),
                           "keepalived takes over when the file says 0")
        # 100 + 3 x 10 = 130, by an atomic replace: keepvip preempts.
        since = self.write("3\n", atomically=True)
        self.assertMovesTo("a", since, tracked.master_down_interval(),
                           "keepvip preempts when the renamed-in file says 3")
        # Deleted: reads as 0.
        os.remove(self.path)
        self.assertMovesTo("b", time.monotonic(), peer.master_down_interval(INTERVAL),
                           "keepalived takes over when the file is deleted")
        since = self.write("0x2\n")  # strtol base 0: 2, so 120
        self.assertMovesTo("a", since, tracked.master_down_interval(),
                           "keepvip preempts on a hex value")

        # A reload to weight 1: 100 + 2 = 102 < 110; init_file is not applied again.
        self.write("2\n")
        with open(self.lab.host("a").daemon.conf_path, "w") as f:
            f.write(self.conf("1", init="7 overwrite"))
        reloaded = time.monotonic()
        self.lab.signal("a", 1)  # SIGHUP
        self.assertMovesTo("b", reloaded, peer.master_down_interval(INTERVAL),
                           "keepalived takes over after the reload lowers the weight")
        with open(self.path) as f:
            self.assertEqual(f.read(), "2\n", "a reload must not rewrite the tracked file")

    def test_reverse_turns_the_sign(self):
        self.write("-2\n")  # reversed: 100 + 2 x 10 = 120
        tracked, peer = self.start_pair(self.conf("10 reverse"))
        self.wait_master(VIP4, "a", timeout=tracked.master_down_interval() + 3)
        self.lab.wait_for_release(VIP4, "b", timeout=INTERVAL * 3 + MARGIN)
        self.assertHolders(VIP4, {"a"}, window=peer.master_down_interval() + MARGIN)
        since = self.write("2\n")  # reversed: 80
        self.assertMovesTo("b", since, peer.master_down_interval(INTERVAL),
                           "keepalived takes over when the reversed value lowers keepvip")

    def test_weight_zero_faults_on_a_non_zero_value(self):
        self.write("0\n")
        tracked, peer = self.start_pair(self.conf("10", entry="tf weight 0"))
        # Weight 0 adds nothing: 100 < 110, keepvip stays BACKUP.
        self.assertHolders(VIP4, {"b"}, window=tracked.master_down_interval() + MARGIN)
        self.assertNotIn("FAULT", self.keepvip_states("a"))
        self.write("1\n")
        deadline = time.monotonic() + 2
        while "FAULT" not in self.keepvip_states("a"):
            if time.monotonic() > deadline:
                self.fail("keepvip did not enter FAULT when the weight-0 file said 1")
            time.sleep(0.05)
        # Faulted, it must not take over when the master goes.
        self.lab.stop("b", graceful=True)
        self.assertHolders(VIP4, set(), window=tracked.master_down_interval() + MARGIN)
        since = self.write("0\n")
        self.assertMovesTo("a", since, tracked.master_down_interval(),
                           "keepvip leaves FAULT and takes the VIP when the file says 0")


if __name__ == "__main__":
    main()
