#!/usr/bin/env python3
"""notify_fifo next to keepalived 2.2.7: keepalived's own
doc/samples/sample_notify_fifo.sh (from its package), unchanged, started by
keepvipd as the notify_fifo_script, reads keepvipd's FIFO and logs
every line in order through start, a failover caused by a reload and a
reload back; keepalived 2.2.7 writes its FIFO lines in the same format for
the same transitions. The same reader sees keepalived's event lines in
order: MASTER_PRIORITY (notify_priority_changes), MASTER_RX_LOWER_PRI (the
keepalived peer turned master behind a firewall), DELETED (notify_deleted)
and FAULT for instances a reload removes, and the kept states a reload
restates (fifo_write_vrrp_states_on_reload)."""

import gzip
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time

from keepvip_lab import MARGIN, Instance, render_config
from kvtest import VIP4, LabTestCase, main


INTERVAL = 0.5
LINE = re.compile(r'^INSTANCE "VI_1" (MASTER|BACKUP|FAULT|STOP) \d+$')


def v3(state: str, priority: int) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",))


def sample_script(directory: str) -> str | None:
    """keepalived's sample FIFO reader as its package ships it (plain on
    RHEL, gzipped on Debian), unchanged; None when it is not installed."""
    samples = "/usr/share/doc/keepalived/samples/sample_notify_fifo.sh"
    path = os.path.join(directory, "sample_notify_fifo.sh")
    if os.path.exists(samples):
        shutil.copy(samples, path)
    elif os.path.exists(samples + ".gz"):
        with gzip.open(samples + ".gz", "rb") as src, open(path, "wb") as dst:
            shutil.copyfileobj(src, dst)
    else:
        return None
    os.chmod(path, 0o755)
    return path


class NotifyFifo(LabTestCase):
    def setUp(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="kvfifo-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        super().setUp()

    def lines_of(self, log: str) -> list[str]:
        """The INSTANCE lines the sample script logged (its date prologue removed)."""
        if not os.path.exists(log):
            return []
        with open(log) as f:
            return [m.group(1) for m in re.finditer(r"\] (INSTANCE \S+ \S+ \S+)", f.read())]

    def wait_lines(self, log: str, count: int, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(lines := self.lines_of(log)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return lines

    def reader(self, tag: str) -> tuple[str, str, str]:
        """keepalived's sample reader, and the FIFO and log it uses."""
        script = sample_script(self.dir)
        if script is None:
            self.skipTest("keepalived's sample_notify_fifo.sh is not available")
        name = f"kvfifo{tag}{os.getpid()}"
        fifo = os.path.join(self.dir, name)
        log = f"/tmp/{name}.log"
        self.addCleanup(lambda: os.path.exists(log) and os.remove(log))
        self.addCleanup(lambda: os.path.exists(f"/run/{name}.pid") and os.remove(f"/run/{name}.pid"))
        return script, fifo, log

    def test_sample_reader_sees_every_line_in_order_through_a_failover_and_reloads(self):
        script, fifo, log = self.reader("")

        master, peer = v3("BACKUP", 150), v3("BACKUP", 100)
        ka_fifo = os.path.join(self.dir, "keepalived_fifo")
        self.lab.start_keepalived("b", render_config(peer, router_id="ka-b",
                                                     global_lines=(f"notify_fifo {ka_fifo}",)))
        conf = lambda priority: render_config(v3("BACKUP", priority), router_id="kv-a",
                                              global_lines=(f"notify_fifo {fifo}",
                                                            f"notify_fifo_script {script} root"))
        self.lab.start_keepvip("a", conf(150))
        deadline = time.monotonic() + 5
        while not os.path.exists(fifo):
            self.assertLess(time.monotonic(), deadline, "keepvipd did not create the FIFO")
            time.sleep(0.05)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        self.assertEqual(os.stat(fifo).st_mode & 0o7777, 0o644)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        # The sample script logs the name without its quotes.
        self.assertEqual(self.wait_lines(log, 2, 3),
                         ["INSTANCE VI_1 BACKUP 150", "INSTANCE VI_1 MASTER 150"])

        def reload_to(priority: int, holder: str, bound: float) -> None:
            with open(self.lab.host("a").daemon.conf_path, "w") as f:
                f.write(conf(priority))
            reloaded = time.monotonic()
            self.lab.signal("a", 1)  # SIGHUP
            self.lab.wait_for_holders(VIP4, {holder}, since=reloaded, timeout=bound + MARGIN + 2)

        # A reload to priority 50: keepalived takes over, keepvip writes BACKUP.
        reload_to(50, "b", peer.master_down_interval())
        # And back: the FIFO stays open across both reloads, nothing is lost.
        reload_to(150, "a", master.master_down_interval())
        lines = self.wait_lines(log, 4, 3)
        self.assertEqual(lines, ["INSTANCE VI_1 BACKUP 150", "INSTANCE VI_1 MASTER 150",
                                 "INSTANCE VI_1 BACKUP 50", "INSTANCE VI_1 MASTER 150"])

        # The script was started once: the reloads kept the FIFO and its reader.
        with open(log) as f:
            self.assertEqual(len(set(re.findall(r"\[\d+:(\d+)\]", f.read()))), 1)

        # keepalived's lines for its own transitions (BACKUP, MASTER, BACKUP)
        # are in the same format.
        fd = os.open(ka_fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            theirs = os.read(fd, 65536).decode().splitlines()
        finally:
            os.close(fd)
        self.assertEqual([line.split()[2] for line in theirs], ["BACKUP", "MASTER", "BACKUP"],
                         theirs)
        for line in theirs:
            self.assertRegex(line, LINE)

    def test_event_lines_deleted_instances_and_restated_states_in_order(self):
        script, fifo, log = self.reader("ev")
        weight_file = os.path.join(self.dir, "weight")
        with open(weight_file, "w") as f:
            f.write("0\n")
        globals_ = (f"notify_fifo {fifo}", f"notify_fifo_script {script} root",
                    "fifo_write_vrrp_states_on_reload")
        tracker = f"vrrp_track_file weight {{\n    file {weight_file}\n    weight 1\n}}\n"
        reclaimed = os.path.join(self.dir, "reclaimed")
        reclaim = os.path.join(self.dir, "reclaim.sh")
        with open(reclaim, "w") as f:
            f.write(f"#!/bin/sh\necho \"$@\" >> {reclaimed}\n")
        os.chmod(reclaim, 0o755)
        vi1 = Instance(name="VI_1", priority=150, version=3, advert_int=INTERVAL,
                       vips=(f"{VIP4}/24",),
                       extra_lines=("notify_priority_changes", "track_file {", "    weight", "}",
                                    f'notify_master_rx_lower_pri "{reclaim} VI_1" root'))
        vi2 = Instance(name="VI_2", vrid=52, priority=100, version=3, advert_int=INTERVAL,
                       vips=("192.0.2.102/24",), extra_lines=("notify_deleted",))
        vi3 = Instance(name="VI_3", vrid=53, priority=100, version=3, advert_int=INTERVAL,
                       vips=("192.0.2.103/24",))
        conf = lambda *instances: tracker + render_config(*instances, router_id="kv-a",
                                                          global_lines=globals_)
        peer = v3("BACKUP", 100)
        self.lab.start_keepalived("b", render_config(peer, router_id="ka-b"))
        self.lab.start_keepvip("a", conf(vi1, vi2, vi3))
        self.wait_master(VIP4, "a", timeout=vi1.master_down_interval() + 3)

        def of(instance: str, lines: list[str]) -> list[str]:
            return [" ".join(line.split()[2:]) for line in lines if line.split()[1] == instance]

        def wait_for(predicate, timeout: float) -> list[str]:
            deadline = time.monotonic() + timeout
            while not predicate(lines := self.lines_of(log)) and time.monotonic() < deadline:
                time.sleep(0.05)
            return lines

        started = {"VI_1": ["BACKUP 150", "MASTER 150"], "VI_2": ["BACKUP 100", "MASTER 100"],
                   "VI_3": ["BACKUP 100", "MASTER 100"]}
        lines = wait_for(lambda ls: all(of(i, ls) == want for i, want in started.items()), 5)
        for instance, want in started.items():
            self.assertEqual(of(instance, lines), want, lines)

        # The tracked file takes 10 off VI_1's priority: MASTER_PRIORITY 140.
        with open(weight_file, "w") as f:
            f.write("-10\n")
        lines = wait_for(lambda ls: "MASTER_PRIORITY 140" in of("VI_1", ls), 3)
        self.assertEqual(of("VI_1", lines)[2:], ["MASTER_PRIORITY 140"], lines)

        # keepalived stops hearing us, takes over and advertises 100: each of
        # its adverts is a MASTER_RX_LOWER_PRI line of ours, until it hears
        # us again and steps down.
        self.lab.nft_drop_vrrp("b", "in")
        lines = wait_for(lambda ls: "MASTER_RX_LOWER_PRI 140" in of("VI_1", ls),
                         peer.master_down_interval() + 3)
        self.lab.nft_clear("b")
        self.assertIn("MASTER_RX_LOWER_PRI 140", of("VI_1", lines), lines)
        # notify_master_rx_lower_pri ran, as written, for those adverts.
        deadline = time.monotonic() + 3
        while not os.path.exists(reclaimed) and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(reclaimed) as f:
            self.assertEqual(set(f.read().splitlines()), {"VI_1"})
        self.lab.wait_for_holders(VIP4, {"a"}, since=time.monotonic(), timeout=3)
        time.sleep(3 * INTERVAL)  # any advert of b's still in flight has arrived
        before_reload = self.lines_of(log)

        # A reload removes VI_2 (notify_deleted: DELETED) and VI_3 (FAULT,
        # keepalived's old way), and restates VI_1, which stays MASTER.
        with open(self.lab.host("a").daemon.conf_path, "w") as f:
            f.write(conf(vi1))
        self.lab.signal("a", 1)  # SIGHUP
        lines = wait_for(lambda ls: len(ls) >= len(before_reload) + 3, 5)
        self.assertEqual(lines[:len(before_reload)], before_reload)
        self.assertEqual(lines[len(before_reload):],
                         ["INSTANCE VI_2 DELETED 100", "INSTANCE VI_3 FAULT 100",
                          "INSTANCE VI_1 MASTER 140"])
        events = of("VI_1", lines)
        lower = events[3:-1]
        self.assertTrue(lower and all(e == "MASTER_RX_LOWER_PRI 140" for e in lower), events)


if __name__ == "__main__":
    main()
