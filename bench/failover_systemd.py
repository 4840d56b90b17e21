"""The master's service SIGKILLed under systemd, as production meets it (an OOM
kill, a watchdog abort): keepvipd.service beside keepalived.service, in one lab.

Every host runs its own systemd user manager (keepvip_lab.units):
  keepvip     the shipped keepvipd.service: on the death of its main process
              systemd runs ExecStopPost=keepvipd --release, which sends
              priority 0 for what the dead agent held and removes its VIPs,
              then Restart=on-failure brings keepvipd back after 1 s.
  keepalived  keepalived.service as Debian 12 and RHEL 9 ship it: no
              hand-over hook, no Restart=. Killed two ways:
                all   `systemctl kill --signal=SIGKILL` (every process of the
                      unit, the default). systemd kills the main process
                      first and the rest of the cgroup after it; keepalived's
                      VRRP child gets SIGTERM from its parent's death
                      (PR_SET_PDEATHSIG) in between, and if it runs before
                      its own SIGKILL arrives it resigns with priority 0;
                      otherwise the backup waits its Master_Down_Interval;
                main  `--kill-whom=main`: only keepalived's parent dies; its
                      VRRP child gets SIGTERM (PR_SET_PDEATHSIG) and resigns.

A round waits for the master's advert to reach the backup (the same point of
the advert cycle for every setup), sends `systemctl --user kill
--signal=SIGKILL` on the master, and times from the moment the main process
died (a pidfd) until the VIP is up on the backup, polling every 5 ms; then the
master is back (Restart= for keepvipd, systemctl start for keepalived) and
preempts before the next round.

Target for keepvipd.service: the backup holds the VIP within its Skew_Time
plus 100 ms (the hook's start and the priority-0 advert).
"""

from __future__ import annotations

import os
import select
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field

from keepvip_lab import KEEPALIVED_UNIT, KEEPVIPD_UNIT, Instance, Lab, Services, render_config

from rounds import fmt_ms, run_rounds

INTERVAL = 1.0
MASTER_PRIORITY = 150
BACKUP_PRIORITY = 100
TARGET_SLACK = 0.1  # seconds on top of the backup's Skew_Time


@dataclass
class Setup:
    label: str
    daemon: str  # "keepvip" or "keepalived"
    kill_whom: str  # systemctl kill --kill-whom=
    master: str
    backup: str
    vrid: int
    vip: str
    samples: list[float] = field(default_factory=list)  # death -> VIP up on the backup, ms
    releases: list[float] = field(default_factory=list)  # death -> VIP gone from the master, ms
    failures: int = 0

    def instance(self, state: str, priority: int) -> Instance:
        return Instance(state=state, priority=priority, vrid=self.vrid, advert_int=INTERVAL,
                        auth_pass="1111", vips=(f"{self.vip}/24",))

    @property
    def backup_instance(self) -> Instance:
        return self.instance("BACKUP", BACKUP_PRIORITY)


def setups() -> list[Setup]:
    return [
        Setup("keepvipd.service, SIGKILL", "keepvip", "all", "kv1", "kv2", 61, "192.0.2.110"),
        Setup("keepalived.service, SIGKILL to every process", "keepalived", "all", "ka1", "ka2",
              62, "192.0.2.111"),
        Setup("keepalived.service, SIGKILL to the main process", "keepalived", "main", "kb1",
              "kb2", 63, "192.0.2.112"),
    ]


HOSTS = ["kv1", "kv2", "ka1", "ka2", "kb1", "kb2"]


def watch_death(pid: int) -> tuple[threading.Thread, list[float]]:
    """A thread that records the time.monotonic() at which pid exits."""
    fd = os.pidfd_open(pid)
    died: list[float] = []

    def wait() -> None:
        try:
            select.select([fd], [], [], 30)
            died.append(time.monotonic())
        finally:
            os.close(fd)

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread, died


class SystemdFailover:
    def __init__(self, lab: Lab, services: Services, deadline: float):
        self.lab = lab
        self.services = services
        self.deadline = deadline
        self.setups = setups()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def install(self) -> None:
        for s in self.setups:
            for host, state, prio in ((s.master, "MASTER", MASTER_PRIORITY),
                                      (s.backup, "BACKUP", BACKUP_PRIORITY)):
                conf = render_config(s.instance(state, prio), router_id=f"bench-{host}")
                if s.daemon == "keepvip":
                    self.services.add_keepvip(host, conf)
                else:
                    self.services.add_keepalived(host, conf)
        for s in self.setups:
            self.services.start(s.master)
            self.lab.wait_for_vip(s.vip, s.master, timeout=s.backup_instance.master_down_interval() + 10)
            self.services.start(s.backup)
        for s in self.setups:
            self.settle(s)

    def settle(self, s: Setup) -> None:
        """Only the master holds the VIP, and has advertised a while."""
        timeout = s.backup_instance.master_down_interval() + 15
        self.lab.wait_for_holders(s.vip, {s.master}, timeout=min(timeout, max(self.remaining(), 1)))
        time.sleep(2 * INTERVAL)

    def measure(self, s: Setup) -> None:
        unit = KEEPVIPD_UNIT if s.daemon == "keepvip" else KEEPALIVED_UNIT
        restarts = self.services.restarts(s.master)
        main_pid = int(self.services.prop(s.master, "MainPID"))
        self.lab.wait_for_advert(s.backup, self.lab.host(s.master).addr4, timeout=3 * INTERVAL + 1)
        watcher, died = watch_death(main_pid)
        self.services.kill(s.master, "SIGKILL", whom=s.kill_whom, unit=unit)
        watcher.join(10)
        if not died:
            raise RuntimeError(f"{unit} on {s.master}: main process {main_pid} did not die")
        self.time_takeover(s, died[0])
        if s.daemon == "keepvip":
            # Restart=on-failure brings it back after RestartSec=1s.
            self.services.wait_restarted(s.master, restarts, timeout=15)
        else:
            self.services.wait_stopped(s.master, timeout=15)
            self.services.start(s.master)
        self.settle(s)

    def time_takeover(self, s: Setup, died: float) -> None:
        """Polls every 5 ms until the backup holds the VIP, noting when the
        master dropped it (the hook's, or the resigning child's, work)."""
        deadline = died + s.backup_instance.master_down_interval() + 5
        released = None
        while True:
            now = time.monotonic()
            if released is None and not self.lab.holds(s.master, s.vip):
                released = now
            if self.lab.holds(s.backup, s.vip):
                s.samples.append((now - died) * 1000)
                if released is not None:
                    s.releases.append((released - died) * 1000)
                return
            if now > deadline:
                s.failures += 1
                print(f"  {s.label}: {s.vip} not on {s.backup} "
                      f"{now - died:.1f} s after the kill", file=sys.stderr)
                return
            time.sleep(0.005)

    def run(self, rounds: int) -> None:
        self.install()
        run_rounds(self.setups, rounds, self.measure, self.deadline, label="systemd round")


def released_text(s: Setup) -> str:
    if not s.releases:
        return "-"
    text = fmt_ms(statistics.median(s.releases))
    if len(s.releases) < len(s.samples):
        text += f" ({len(s.releases)}/{len(s.samples)})"
    return text


def print_table(bench: SystemdFailover, rounds: int) -> bool:
    """Prints the table and the target line; True when keepvipd.service met its target."""
    print(f"\nService SIGKILLed under systemd (systemctl --user kill --signal=SIGKILL), "
          f"VRRPv2, advert_int {INTERVAL:g} s, priorities {MASTER_PRIORITY}/{BACKUP_PRIORITY}, "
          f"{rounds} rounds,\ntime from the main process's death until the VIP is up on the backup")
    header = (f"{'setup':<50}{'median':>10}{'min':>10}{'max':>10}{'n':>4}{'released':>16}"
              "  protocol bound")
    print(header)
    print("-" * (len(header) + 16))
    for s in bench.setups:
        b = s.backup_instance
        if s.daemon == "keepvip" or s.kill_whom == "main":
            bound = f"{fmt_ms(b.skew_time() * 1000)} (skew, priority 0)"
        else:
            bound = (f"{fmt_ms(b.skew_time() * 1000)} if it resigns, else "
                     f"{fmt_ms(b.master_down_interval() * 1000)} (3 x {INTERVAL:g} s + skew)")
        med = statistics.median(s.samples) if s.samples else None
        row = (f"{s.label:<50}{fmt_ms(med):>10}{fmt_ms(min(s.samples) if s.samples else None):>10}"
               f"{fmt_ms(max(s.samples) if s.samples else None):>10}{len(s.samples):>4}"
               f"{released_text(s):>16}  {bound}")
        if s.failures:
            row += f" ({s.failures} timed out)"
        print(row)
    keepvip = bench.setups[0]
    target = (keepvip.backup_instance.skew_time() + TARGET_SLACK) * 1000
    print("released: median time from the death until the master's VIP was gone (the release "
          "hook's, or the resigning child's, work), over the rounds where it went (k/n)")
    if not keepvip.samples:
        print("target: no keepvipd.service sample")
        return False
    med, worst = statistics.median(keepvip.samples), max(keepvip.samples)
    met = worst <= target and not keepvip.failures
    print(f"target: keepvipd.service killed -> peer holds the VIP within skew + "
          f"{TARGET_SLACK * 1000:.0f} ms = {target:.0f} ms: {'met' if met else 'MISSED'} "
          f"(median {med:.0f} ms, max {worst:.0f} ms)")
    sys.stdout.flush()
    return met
