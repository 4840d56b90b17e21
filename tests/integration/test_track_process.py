#!/usr/bin/env python3
"""vrrp_track_process as a real keepvipd runs it, in network namespaces
(where keepalived 2.2.7's proc connector fails and it never becomes MASTER):

- a tracked process dies: the VIP moves to the peer within terminate_delay
  plus the protocol bound; it comes back: the VIP returns (preempt);
- quorum with several processes and a negative weight;
- param_match exact, partial and initial on one host;
- keepvipd in a mount namespace whose /proc is mounted hidepid=2 and with
  the unit's capabilities (no CAP_SYS_PTRACE), tracking a process of
  another user that this /proc hides from it;
- a fork storm of unrelated processes is filtered in the kernel (the BPF
  counters show it), and events lost while keepvipd could not read them
  lead to a new count.

The tracked program is a copy of sleep under a distinctive name, so nothing
else on the machine matches it.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from keepvip_lab import STARTUP, Instance, render_config
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.5
VIP_B = "192.0.2.101"
VIP_C = "192.0.2.102"
PROGRAM = "kvtp-sleep"
# What the keepvipd unit keeps (units/keepvipd.service CapabilityBoundingSet=).
UNIT_CAPS = "-all,+net_admin,+net_raw,+bpf,+perfmon,+setuid,+setgid,+kill,+setpcap"
# hidepid=2 as hardening guides mount it: gid= names the group allowed to see
# everything (4242: one keepvipd is not in; with the default, 0, root's
# group would see all).
HIDEPID = "hidepid=2,gid=4242"


class TrackProcess(LabTestCase):
    hosts = ("a", "b")

    def setUp(self) -> None:
        # Outside the lab's 0700 work directory: another user runs the program.
        self.dir = tempfile.mkdtemp(prefix="kvtp-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        os.chmod(self.dir, 0o755)
        self.program = os.path.join(self.dir, PROGRAM)
        shutil.copy(shutil.which("sleep"), self.program)
        os.chmod(self.program, 0o755)
        self.processes: list[subprocess.Popen] = []
        self.addCleanup(self.kill_all)
        super().setUp()

    # ------------------------------------------------------------ processes
    def spawn(self, *args: str, user: str | None = None) -> subprocess.Popen:
        """The tracked program on host a (bounded: it sleeps at most 10 minutes)."""
        cmd = ["ip", "netns", "exec", self.lab.host("a").ns]
        if user:
            cmd += ["setpriv", f"--reuid={user}", "--regid=65534", "--clear-groups"]
        cmd += [self.program, *(args or ("600",))]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append(p)
        return p

    def kill(self, p: subprocess.Popen) -> float:
        at = time.monotonic()
        p.kill()
        p.wait(timeout=5)
        return at

    def kill_all(self) -> None:
        for p in self.processes:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=5)

    # ------------------------------------------------------------ configs
    def tracker(self, body: str, name: str = "chk_proc") -> str:
        return f"vrrp_track_process {name} {{\n{body}\n}}\n"

    def instance(self, priority: int, track: str, **kw) -> Instance:
        lines = (f"track_process {{\n        {track}\n    }}",) if track else ()
        return Instance(state="BACKUP", priority=priority, version=3, advert_int=INTERVAL,
                        vips=(f"{kw.pop('vip', VIP4)}/24",), extra_lines=lines, **kw)

    def start_pair(self, tracker: str, track: str = "chk_proc", **start) -> tuple[Instance, Instance]:
        a = self.instance(150, track)
        b = self.instance(100, "")
        self.lab.start_keepvip("a", tracker + render_config(a, router_id="kv-a"), **start)
        self.lab.start_keepvip("b", render_config(b, router_id="kv-b"))
        return a, b

    def dies_and_returns(self, a: Instance, b: Instance, victim: subprocess.Popen,
                         delay: float, respawn) -> None:
        self.wait_master(VIP4, "a", a.master_down_interval() + STARTUP)
        self.assertHolders(VIP4, {"a"})
        since = self.kill(victim)
        self.assertTakeover(VIP4, "b", since, delay + b.master_down_interval(),
                            "tracked process killed -> VIP on b")
        self.assertIn("Quorum lost for tracked process chk_proc", self.lab.log_text("a"))
        since = time.monotonic()
        respawn()
        self.assertTakeover(VIP4, "a", since, a.master_down_interval(),
                            "tracked process back -> VIP on a (preempt)")
        self.assertIn("Quorum gained for tracked process chk_proc", self.lab.log_text("a"))
        # b steps down on a's next advert.
        self.lab.wait_for_holders(VIP4, {"a"}, timeout=2 * INTERVAL + 1)
        self.assertHolders(VIP4, {"a"})

    # ------------------------------------------------------------ tests
    def test_process_dies_and_the_vip_moves_then_returns(self):
        victim = self.spawn()
        a, b = self.start_pair(self.tracker(f"    process {PROGRAM}\n    delay 0.5"))
        self.dies_and_returns(a, b, victim, 0.5, self.spawn)

    def test_quorum_of_several_processes_with_a_weight(self):
        first = [self.spawn(), self.spawn()]
        # 150 - 60 = 90 < 100: below quorum, b wins.
        a, b = self.start_pair(self.tracker(f"    process {PROGRAM}\n    quorum 2\n"
                                            "    weight -60"))
        self.dies_and_returns(a, b, first[0], 0.0, self.spawn)

    def test_param_match_exact_partial_initial(self):
        self.spawn("600", "7")  # sleep adds its arguments up
        trackers = (self.tracker(f"    process {self.program} 600", "exact")
                    + self.tracker(f"    process {self.program} 600\n    param_match partial",
                                   "partial")
                    + self.tracker(f"    process {self.program} 60\n    param_match initial",
                                   "initial"))
        one = self.instance(150, "exact", name="VI_1", vrid=51, vip=VIP4)
        two = self.instance(150, "partial", name="VI_2", vrid=52, vip=VIP_B)
        three = self.instance(150, "initial", name="VI_3", vrid=53, vip=VIP_C)
        self.lab.start_keepvip("a", trackers + render_config(one, two, three, router_id="kv-a"))
        self.wait_master(VIP_B, "a", two.master_down_interval() + STARTUP)
        self.wait_master(VIP_C, "a", three.master_down_interval() + STARTUP)
        self.assertFalse(self.lab.holds("a", VIP4), "exact matched a process with another parameter")
        self.spawn("600")
        self.wait_master(VIP4, "a", one.master_down_interval() + STARTUP)

    def test_hidepid_and_the_units_capabilities(self):
        wrapper = os.path.join(self.dir, "keepvipd-hidepid")
        keepvipd = self.lab.keepvipd or self._keepvipd()
        with open(wrapper, "w") as f:
            # A mount namespace of its own (private propagation: the host's
            # /proc is never touched) with a hidepid=2 /proc, and the unit's
            # capability bounding set.
            f.write("#!/bin/sh\n"
                    "exec unshare -m --propagation private sh -c '"
                    f"mount -t proc -o {HIDEPID} proc /proc && "
                    f"exec setpriv --bounding-set {UNIT_CAPS} -- \"$0\" \"$@\"' "
                    f"{keepvipd} \"$@\"\n")
        os.chmod(wrapper, 0o755)
        victim = self.spawn(user="nobody")
        self.wait_uid(victim.pid, 65534)
        # What keepalived would read is hidden there: this is the premise.
        hidden = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c",
             f"mount -t proc -o {HIDEPID} proc /proc && exec setpriv --bounding-set "
             f"{UNIT_CAPS} -- cat /proc/{victim.pid}/cmdline"],
            capture_output=True)
        self.assertNotEqual(hidden.returncode, 0, "hidepid=2 did not hide the process")
        self.lab.keepvipd = wrapper
        try:
            a, b = self.start_pair(self.tracker(f"    process {PROGRAM}\n    delay 0.5"))
        finally:
            self.lab.keepvipd = None
        pid = self.lab.host("a").daemon.pid  # the wrapper execs its way to keepvipd
        with open(f"/proc/{pid}/mountinfo") as f:
            # The last mount on /proc is the one it sees.
            self.assertIn("hidepid=invisible", [l for l in f if " /proc " in l][-1])
        with open(f"/proc/{pid}/status") as f:
            eff = int(next(l for l in f if l.startswith("CapEff:")).split()[1], 16)
        self.assertFalse(eff & (1 << 19), "keepvipd kept CAP_SYS_PTRACE")
        self.dies_and_returns(a, b, victim, 0.5, lambda: self.spawn(user="nobody"))

    def test_a_reload_starts_and_stops_tracking(self):
        a = self.instance(150, "")
        b = self.instance(100, "")
        self.lab.start_keepvip("a", render_config(a, router_id="kv-a"))
        self.lab.start_keepvip("b", render_config(b, router_id="kv-b"))
        self.wait_master(VIP4, "a", a.master_down_interval() + STARTUP)
        # The reload tracks a process that does not run: a faults at once.
        tracked = self.tracker(f"    process {PROGRAM}") + render_config(
            self.instance(150, "chk_proc"), router_id="kv-a")
        with open(self.lab.host("a").daemon.conf_path, "w") as f:
            f.write(tracked)
        since = time.monotonic()
        self.lab.signal("a", signal.SIGHUP)
        self.assertTakeover(VIP4, "b", since, b.master_down_interval(),
                            "reload tracks an absent process -> VIP on b")
        since = time.monotonic()
        self.spawn()
        self.assertTakeover(VIP4, "a", since, a.master_down_interval(),
                            "tracked process started -> VIP on a")
        # And a reload that drops it stops the kernel passing its events.
        with open(self.lab.host("a").daemon.conf_path, "w") as f:
            f.write(render_config(a, router_id="kv-a"))
        self.lab.signal("a", signal.SIGHUP)
        time.sleep(0.5)
        before = self.counters()
        self.spawn()
        time.sleep(0.2)
        after = self.counters()
        self.assertEqual(after["exec_sent"], before["exec_sent"], "an untracked name was passed up")

    def test_fork_storm_is_filtered_in_the_kernel(self):
        self.spawn()
        a, _ = self.start_pair(self.tracker(f"    process {PROGRAM}"))
        self.wait_master(VIP4, "a", a.master_down_interval() + STARTUP)
        before = self.counters()
        storm = 2000
        started = time.monotonic()
        subprocess.run(["ip", "netns", "exec", self.lab.host("a").ns, "sh", "-c",
                        f"i=0; while [ $i -lt {storm} ]; do /bin/true; i=$((i+1)); done"],
                       check=True, timeout=120)
        took = time.monotonic() - started
        after = self.counters()
        seen = {k: after[k] - before.get(k, 0) for k in after}
        sys.stderr.write(f"  {storm} fork+exec+exit in {took:.1f} s: {seen}\n")
        self.assertGreaterEqual(seen["exec_seen"], storm)
        self.assertGreaterEqual(seen["fork_seen"], storm)
        self.assertGreaterEqual(seen["exit_seen"], storm)
        # Nothing of the storm matched: nothing of it reached keepvipd.
        self.assertLessEqual(seen["exec_sent"] + seen["fork_sent"] + seen["exit_sent"], 5)
        self.assertEqual(seen["lost"], 0)
        self.assertHolders(VIP4, {"a"})

    def test_lost_events_lead_to_a_new_count(self):
        victim = self.spawn()
        a = self.instance(150, "chk_proc")
        self.lab.start_keepvip("a", self.tracker(f"    process {PROGRAM}")
                               + render_config(a, router_id="kv-a"))
        self.wait_master(VIP4, "a", a.master_down_interval() + STARTUP)
        # keepvipd cannot read while stopped: 400 short-lived matching
        # processes (800 events) fill the ring buffer, and the tracked
        # process's exit comes after: lost for sure.
        self.lab.signal("a", signal.SIGSTOP)
        try:
            subprocess.run(["ip", "netns", "exec", self.lab.host("a").ns, "sh", "-c",
                            f"i=0; while [ $i -lt 400 ]; do {self.program} 0; i=$((i+1)); done"],
                           check=True, timeout=120)
            self.kill(victim)
        finally:
            self.lab.signal("a", signal.SIGCONT)
        since = time.monotonic()
        self.assertGreater(self.counters()["lost"], 0, "the ring buffer did not overflow")
        # The new count, a second after keepvipd saw the loss, finds no process.
        try:
            self.lab.wait_for_release(VIP4, "a", timeout=5.0)
        except TimeoutError as e:
            self.fail(f"a kept the VIP after its tracked process died unseen: {e}")
        sys.stderr.write(f"  lost events -> recount -> FAULT: {(time.monotonic() - since):.1f} s\n")
        log = self.lab.log_text("a")
        self.assertIn("process event(s) lost", log)
        self.assertIn("Quorum lost for tracked process chk_proc", log)

    # ------------------------------------------------------------ helpers
    def wait_uid(self, pid: int, uid: int) -> None:
        """Until pid runs as uid (setpriv has switched)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open(f"/proc/{pid}/status") as f:
                if f"Uid:\t{uid}\t" in f.read():
                    return
            time.sleep(0.01)
        self.fail(f"pid {pid} never ran as uid {uid}")

    def _keepvipd(self) -> str:
        from keepvip_lab import find_keepvipd
        return find_keepvipd()

    def counters(self) -> dict[str, int]:
        """The kernel side's counters (bpf/process_events_shared.h order), summed over CPUs."""
        names = ["exec_seen", "exec_sent", "exit_seen", "exit_sent", "fork_seen", "fork_sent",
                 "rename_seen", "rename_sent", "lost"]
        out = subprocess.run(["bpftool", "-j", "map", "dump", "name", "kv_proc_counts"],
                             check=True, capture_output=True, text=True).stdout
        rows = json.loads(out)
        totals = {}
        for row in rows:
            key = row.get("key")
            index = int(key if isinstance(key, int) else int.from_bytes(
                bytes(int(b, 16) for b in key), "little"))
            values = row.get("values") or row.get("formatted", {}).get("values", [])
            total = 0
            for v in values:
                value = v.get("value")
                total += value if isinstance(value, int) else int.from_bytes(
                    bytes(int(b, 16) for b in value), "little")
            totals[names[index]] = total
        return totals


if __name__ == "__main__":
    main(need_keepalived=False)
