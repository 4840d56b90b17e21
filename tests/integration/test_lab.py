#!/usr/bin/env python3
"""The namespace lab itself, with keepalived on both hosts (no keepvipd
needed): hosts reach each other over IPv4, IPv6 and link-local; the VIP
probes see an election; nft faults bite; nothing is left behind, and
namespaces and cgroups of dead runs are swept. Its user manager command
(python3 -m keepvip_lab.user_manager) runs a command against a manager of its
own and removes everything after it, on SIGTERM too."""

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from dataclasses import replace

from keepvip_lab import IFNAME, MARGIN, PREFIX, Instance, Lab, render_config, sweep_stale_namespaces
from keepvip_lab.systemd_user import cgroup_roots, sweep_stale_cgroups
from kvtest import VIP4, main


def namespaces() -> set[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.split()}


def dead_pid() -> int:
    pid = 4_000_000
    while os.path.exists(f"/proc/{pid}"):
        pid -= 1
    return pid


class LabSelfTest(unittest.TestCase):
    def test_hosts_reach_each_other(self):
        with Lab(["a", "b"]) as lab:
            for target in (lab.host("b").addr4, lab.host("b").addr6, f"{lab.host('b').ll6}%{IFNAME}"):
                proc = lab.exec("a", "ping", "-c", "1", "-W", "2", target, check=False)
                self.assertEqual(proc.returncode, 0, f"a cannot reach {target}: {proc.stdout}")

    def test_probes_follow_an_election_and_faults(self):
        inst = Instance(state="BACKUP", version=3, advert_int=0.5, vips=(f"{VIP4}/24",))
        with Lab(["a", "b"]) as lab:
            lab.start_keepalived("a", _conf(inst, 150))
            lab.wait_for_vip(VIP4, "a", timeout=inst.master_down_interval() + 3)
            lab.start_keepalived("b", _conf(inst, 100))
            self.assertEqual(lab.settled_holders(VIP4, inst.master_down_interval() + MARGIN), {"a"})
            self.assertEqual(lab.vip_holders(VIP4), {"a"})
            # b no longer hears a: it becomes master too.
            lab.nft_drop_vrrp("b", "in")
            lab.wait_for_holders(VIP4, {"a", "b"}, timeout=inst.master_down_interval() + MARGIN + 1)
            lab.nft_clear("b")
            lab.wait_for_holders(VIP4, {"a"}, timeout=2)
            pids = [lab.host(h).daemon.pid for h in ("a", "b")]
            created = {lab.bridge_ns, lab.host("a").ns, lab.host("b").ns}
        self.assertFalse(created & namespaces(), "namespaces left behind")
        for pid in pids:
            self.assertFalse(os.path.exists(f"/proc/{pid}"), f"process {pid} left behind")

    def test_sweep_removes_namespaces_of_dead_runs(self):
        stale = f"{PREFIX}{dead_pid()}-br"
        subprocess.run(["ip", "netns", "add", stale], check=True)
        try:
            self.assertIn(stale, sweep_stale_namespaces())
            self.assertNotIn(stale, namespaces())
        finally:
            subprocess.run(["ip", "netns", "del", stale], capture_output=True)

    def test_sweep_removes_cgroups_of_dead_runs(self):
        self.assertTrue(cgroup_roots(), "no writable cgroup hierarchy")
        stale = [os.path.join(root, f"{PREFIX}{dead_pid()}-um") for root in cgroup_roots()]
        for path in stale:
            os.makedirs(os.path.join(path, "child"))
        try:
            swept = sweep_stale_cgroups()
            for path in stale:
                self.assertIn(path, swept)
                self.assertFalse(os.path.exists(path), f"{path} left")
        finally:
            for path in stale:
                for leftover in (os.path.join(path, "child"), path):
                    if os.path.isdir(leftover):
                        os.rmdir(leftover)


class UserManagerCommand(unittest.TestCase):
    """python3 -m keepvip_lab.user_manager [--unit FILE] -- CMD."""

    # Cleanup after SIGTERM: CMD's grace (5 s) at most, the manager's stop, the
    # cgroups and the namespace.
    STOP_BOUND = 12.0

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kvlab-um-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        # An odd sleep length marks this test's processes.
        self.seconds = str(900000 + os.getpid() % 99991)
        self.unit = os.path.join(self.dir, "kvlab-probe.service")
        with open(self.unit, "w") as f:
            f.write(f"[Service]\nExecStart=/bin/sleep {self.seconds}\n")

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "keepvip_lab.user_manager", *args]

    def leftovers(self, pid: int) -> list[str]:
        """Namespaces, cgroups and marked processes of the run with this pid."""
        owned = f"{PREFIX}{pid}-"
        found = sorted(ns for ns in namespaces() if ns.startswith(owned))
        found += sorted(p for root in cgroup_roots() for p in glob.glob(f"{root}/{owned}*"))
        found += subprocess.run(["pgrep", "-f", f"sleep {self.seconds}"], capture_output=True,
                                text=True).stdout.split()
        return found

    def test_runs_the_command_against_its_own_manager_and_units(self):
        script = ("systemctl --user start kvlab-probe.service; "
                  "systemctl --user is-active kvlab-probe.service; "
                  "ls \"$KEEPVIP_UNIT_DIR\"; ip -o link show | wc -l; "
                  "readlink /proc/self/ns/net /proc/self/ns/mnt; "
                  "cat /proc/$(systemctl --user show -p MainPID --value kvlab-probe.service)/cgroup; "
                  "exit 7")
        proc = subprocess.Popen(self.command("--unit", self.unit, "--", "sh", "-c", script),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out, _ = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 7, f"CMD's exit status is the command's:\n{out}")
        lines = out.splitlines()
        self.assertIn("active", lines, out)
        self.assertIn("kvlab-probe.service", lines, out)
        self.assertIn("1", lines, f"only a loopback: a network namespace of its own:\n{out}")
        for ns in ("net", "mnt"):
            self.assertNotIn(os.readlink(f"/proc/self/ns/{ns}"), lines, f"its own {ns} namespace")
        self.assertIn(f"/{PREFIX}{proc.pid}-um/", out, "the unit runs in the manager's cgroup")
        self.assertEqual(self.leftovers(proc.pid), [], "left behind after the command ended")

    def test_sigterm_removes_everything(self):
        script = "systemctl --user start kvlab-probe.service && echo ready && exec sleep " + self.seconds
        proc = subprocess.Popen(self.command("--unit", self.unit, "--", "sh", "-c", script),
                                stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(proc.stdout.readline().strip(), "ready")
            self.assertIn(f"{PREFIX}{proc.pid}-um", namespaces())
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(timeout=60)
        took = time.monotonic() - sent
        proc.stdout.close()
        self.assertEqual(status, 128 + signal.SIGTERM)
        self.assertLess(took, self.STOP_BOUND, f"cleanup took {took:.1f} s")
        self.assertEqual(self.leftovers(proc.pid), [], "left behind after SIGTERM")

    def test_skips_without_a_required_program(self):
        proc = subprocess.run(self.command("--require", "kvlab-no-such-program", "--", "true"),
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 77, proc.stderr)
        self.assertIn("SKIP: missing: kvlab-no-such-program", proc.stderr)


def _conf(inst: Instance, priority: int) -> str:
    return render_config(replace(inst, priority=priority))


if __name__ == "__main__":
    main(need_keepvipd=False)
