#!/usr/bin/env python3
"""The namespace lab itself, with keepalived on both hosts (no keepvipd
needed): hosts reach each other over IPv4, IPv6 and link-local; the VIP
probes see an election; nft faults bite; nothing is left behind, and
namespaces and cgroups of dead runs are swept."""

import os
import subprocess
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


def _conf(inst: Instance, priority: int) -> str:
    return render_config(replace(inst, priority=priority))


if __name__ == "__main__":
    main(need_keepvipd=False)
