#!/usr/bin/env python3
"""Unit-failure benchmark: httpd.service dies on the master, how soon is the VIP
up on the backup? keepalived with the seed's 1-second check script against
keepvip's track_unit, in one namespace lab, same priorities (150/100).

Every host runs a real systemd user manager (keepvip_lab) with an
httpd.service (busybox httpd). Three pairs, each on its own VRID and VIP:

  keepalived  VRRPv2, advert_int 1: the seed's check_apache.sh polled every
              1 s by a vrrp_script; when httpd is gone it stops keepalived,
              which resigns with priority 0.
  keepvip v2  VRRPv2, advert_int 1: track_unit { httpd.service }.
  keepvip v3  VRRPv3, advert_int 0.1: track_unit { httpd.service }.

A round waits a random 0-1 s (so a failure falls anywhere in keepalived's
polling period), SIGKILLs the main PID of the master's httpd.service (so the unit goes
`failed`) and times, polling every 5 ms, until the VIP is up on the backup;
then httpd is restarted (and keepalived too, which its script stopped) and the
master takes the VIP back before the next round.

Bound: a master that gives up sends priority 0, and the backup takes over
after its Skew_Time ((256 - 100) / 256 s in v2, that times advert_int in v3).
keepalived's setup adds its polling delay (0-1 s) on top of that bound.

Usage: bench/unit-failover.sh [--rounds N] [--max-seconds S] [--keepvip-weight W]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

from keepvip_lab import (Instance, Lab, LabUnavailable, check_environment, find_keepvipd,
                         render_config, run_main, skip_exit)

from rounds import fmt_ms, run_rounds

MASTER_PRIORITY = 150
BACKUP_PRIORITY = 100
HTTPD_PORT = 8080


def httpd_unit(address: str) -> str:
    # Bound to the host's own address: the keepalived check script greps
    # `ps -ef`, and all hosts share one PID namespace, so each host's httpd
    # must be told apart by its command line.
    return ("[Unit]\nDescription=web server (busybox httpd)\n[Service]\n"
            f"ExecStart=/bin/busybox httpd -f -p {address}:{HTTPD_PORT} -h /run/user/0\n")


def check_script(address: str, keepalived_pid_file: str) -> str:
    """The seed's check_apache.sh, adapted to the lab.

    Seed:  apache_status=$(ps -ef|grep -Ev "grep|$0"|grep '\\bhttpd\\b'|wc -l)
           if [ $apache_status -eq 0 ];then systemctl stop keepalived; fi

    Kept: the same `ps -ef | grep | wc -l` probe, polled by a vrrp_script
    every second, and stopping keepalived when httpd is gone, so keepalived
    resigns with priority 0 and the backup waits only its Skew_Time.
    Adapted: (1) the grep names this host's httpd (its listen address), since
    ps sees the other hosts' httpd too; (2) keepalived is not a unit in the
    lab, so "systemctl stop keepalived" becomes what it does on RHEL: SIGTERM
    to keepalived's main PID (keepalived.service has no ExecStop). That also
    spares the D-Bus round trip, so if anything the baseline is a little
    faster than the seed's.
    """
    return ("#!/bin/bash\n"
            "apache_status=$(ps -ef|grep -Ev \"grep|$0\""
            f"|grep -F 'httpd -f -p {address}:{HTTPD_PORT}'|wc -l)\n"
            "if [ $apache_status -eq 0 ];then\n"
            f"    kill -TERM \"$(cat {keepalived_pid_file})\"\n"
            "fi\n")


@dataclass
class Setup:
    label: str
    daemon: str  # "keepvip" or "keepalived"
    version: int
    interval: float
    master: str
    backup: str
    vrid: int
    vip: str
    samples: list[float] = field(default_factory=list)  # kill -> VIP up on the backup, ms
    releases: list[float] = field(default_factory=list)  # kill -> VIP gone from the master, ms
    failures: int = 0

    def instance(self, state: str, priority: int, extra=()) -> Instance:
        return Instance(state=state, priority=priority, vrid=self.vrid, advert_int=self.interval,
                        version=3 if self.version == 3 else None, vips=(f"{self.vip}/24",),
                        auth_pass="1111" if self.version == 2 else None,  # the seed uses PASS
                        extra_lines=tuple(extra))

    @property
    def backup_instance(self) -> Instance:
        return self.instance("BACKUP", BACKUP_PRIORITY)

    def bound(self) -> float:
        """The backup's Skew_Time in seconds: what a priority-0 resignation costs."""
        return self.backup_instance.skew_time()


class Bench:
    def __init__(self, lab: Lab, setups: list[Setup], keepvip_weight: int | None, deadline: float):
        self.lab = lab
        self.setups = setups
        self.keepvip_weight = keepvip_weight
        self.deadline = deadline

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    # ----------------------------------------------------------- hosts, units
    def systemctl(self, host: str, *args: str, check: bool = True) -> str:
        cmd = self.lab.bus_command(host, ["systemctl", "--user", *args])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{host}: systemctl --user {' '.join(args)}: {proc.stderr.strip()}")
        return proc.stdout.strip()

    def start_httpd(self, host: str) -> None:
        self.systemctl(host, "reset-failed", "httpd.service", check=False)
        self.systemctl(host, "start", "httpd.service")
        state = self.systemctl(host, "is-active", "httpd.service", check=False)
        if state != "active":
            raise RuntimeError(f"httpd.service on {host} is {state!r} after start")

    def httpd_main_pid(self, host: str) -> int:
        pid = int(self.systemctl(host, "show", "-p", "MainPID", "--value", "httpd.service"))
        if pid <= 0:
            raise RuntimeError(f"httpd.service on {host} has no main PID")
        return pid

    # ---------------------------------------------------------------- daemons
    def config(self, setup: Setup, host: str) -> str:
        is_master = host == setup.master
        state = "MASTER" if is_master else "BACKUP"
        priority = MASTER_PRIORITY if is_master else BACKUP_PRIORITY
        h = self.lab.host(host)
        if setup.daemon == "keepalived":
            script = os.path.join(h.workdir, "check_apache.sh")
            with open(script, "w") as f:
                f.write(check_script(h.addr4, os.path.join(h.workdir, "keepalived.pid")))
            os.chmod(script, 0o755)
            # As in the seed: interval 1, weight -20 (the script always exits
            # 0, so the weight never applies; stopping keepalived does the work).
            head = render_config(router_id=f"ka-{host}")
            vrrp_script = ("vrrp_script chk_httpd {\n"
                           f"    script \"{script}\"\n"
                           "    interval 1\n"
                           "    weight -20\n"
                           "}\n\n")
            inst = setup.instance(state, priority, ("track_script {", "    chk_httpd", "}"))
            return head + vrrp_script + inst.render()
        weight = "" if self.keepvip_weight is None else f" weight {self.keepvip_weight}"
        inst = setup.instance(state, priority, ("track_unit {", f"    httpd.service{weight}", "}"))
        return render_config(inst, router_id=f"kv-{host}")

    def start(self, setup: Setup, host: str) -> None:
        conf = self.config(setup, host)
        if setup.daemon == "keepalived":
            self.lab.start_keepalived(host, conf)
        else:
            self.lab.start_keepvip(host, conf)

    def settle_master(self, setup: Setup) -> None:
        """Waits until only the master holds the VIP, then lets a few adverts pass."""
        timeout = min(setup.backup_instance.master_down_interval() + 10, max(self.remaining(), 1))
        self.lab.wait_for_holders(setup.vip, {setup.master}, timeout=timeout)
        time.sleep(max(3 * setup.interval, 1.0))

    # ------------------------------------------------------------------ rounds
    def measure(self, setup: Setup) -> None:
        pid = self.httpd_main_pid(setup.master)
        # A real failure is not in step with keepalived's 1 s script timer;
        # without this the fixed rhythm of the rounds would pick the phase.
        time.sleep(random.uniform(0, 1))
        killed = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        # One 5 ms poll loop for both ends: when the master let the VIP go
        # (detection + resignation) and when the backup has it (+ Skew_Time).
        deadline = killed + setup.bound() + 6  # keepalived: up to 1 s of polling on top
        released = None
        while True:
            now = time.monotonic()
            if released is None and not self.lab.holds(setup.master, setup.vip):
                released = now
            if self.lab.holds(setup.backup, setup.vip):
                setup.samples.append((now - killed) * 1000)
                setup.releases.append(((released or now) - killed) * 1000)
                break
            if now >= deadline:
                setup.failures += 1
                print(f"  {setup.label}: {setup.vip} not on {setup.backup} {now - killed:.1f} s after the kill",
                      file=sys.stderr)
                break
            time.sleep(0.005)
        self.restore(setup)

    def restore(self, setup: Setup) -> None:
        if setup.daemon == "keepalived":
            # The check script stopped keepalived: wait for it to be gone,
            # bring httpd back first (or the script would stop it again), then
            # keepalived, as an admin would.
            deadline = time.monotonic() + 5
            while self.lab.running(setup.master) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.lab.reap(setup.master)
            self.start_httpd(setup.master)
            self.start(setup, setup.master)
        else:
            self.start_httpd(setup.master)
        self.settle_master(setup)

    def run(self, rounds: int) -> None:
        for setup in self.setups:
            for host in (setup.master, setup.backup):
                self.lab.start_user_manager(host, {"httpd.service": httpd_unit(self.lab.host(host).addr4)})
                self.start_httpd(host)
        for setup in self.setups:
            self.start(setup, setup.master)
        for setup in self.setups:
            self.settle_master(setup)
            self.start(setup, setup.backup)
        for setup in self.setups:
            self.settle_master(setup)
        run_rounds(self.setups, rounds, self.measure, self.deadline)


def print_table(setups: list[Setup], rounds: int, keepvip_weight: int | None) -> None:
    track = "FAULT (no weight)" if keepvip_weight is None else f"weight {keepvip_weight}"
    print(f"\nhttpd.service SIGKILLed on the master -> VIP up on the backup; priorities "
          f"{MASTER_PRIORITY}/{BACKUP_PRIORITY}, {rounds} rounds, keepvip track_unit: {track}")
    header = (f"{'setup':<44}{'median':>9}{'min':>9}{'max':>9}{'n':>3}"
              f"{'bound (skew)':>14}{'median-bound':>14}{'released':>10}")
    print(header)
    print("-" * len(header))
    # keepalived's setup: the bound plus 0-1 s until its script next polls.
    # "released": median time from the kill until the master dropped the VIP
    # (failure detected and resigned); the rest is the backup's Skew_Time.
    medians: dict[str, float] = {}
    for s in setups:
        median = statistics.median(s.samples) if s.samples else None
        if median is not None:
            medians[s.daemon + str(s.version)] = median
        over = None if median is None else median - s.bound() * 1000
        row = (f"{s.label:<44}{fmt_ms(median):>9}{fmt_ms(min(s.samples) if s.samples else None):>9}"
               f"{fmt_ms(max(s.samples) if s.samples else None):>9}{len(s.samples):>3}"
               f"{fmt_ms(s.bound() * 1000):>14}{('-' if over is None else f'{over:+.0f} ms'):>14}"
               f"{fmt_ms(statistics.median(s.releases) if s.releases else None):>10}")
        if s.failures:
            row += f"  ({s.failures} timed out)"
        print(row)
    print("released: median time from the kill until the master no longer held the VIP")
    print()
    for s in setups:
        if s.daemon == "keepvip" and s.samples:
            over = statistics.median(s.samples) - s.bound() * 1000
            verdict = "met" if over <= 50 else "MISSED"
            print(f"{s.label}: median {over:+.0f} ms from the bound (target <= 50 ms): {verdict}")
    if "keepalived2" in medians and "keepvip3" in medians:
        ratio = medians["keepalived2"] / medians["keepvip3"]
        verdict = "met" if ratio >= 10 else "MISSED"
        print(f"keepalived median / keepvip v3 median = {ratio:.1f}x (target >= 10x): {verdict}")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds per setup (default 5)")
    parser.add_argument("--max-seconds", type=float, default=600,
                        help="overall time budget; stops measuring when spent (default 600)")
    parser.add_argument("--keepvip-weight", type=int, default=None,
                        help="track_unit weight for keepvip (default: none, the instance goes FAULT "
                             "and resigns with priority 0, the fastest hand-over)")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    try:
        check_environment()
    except LabUnavailable as e:
        skip_exit(str(e))
    if not os.access("/lib/systemd/systemd", os.X_OK) or shutil.which("busybox") is None:
        skip_exit("needs systemd (for user managers) and busybox (httpd)")
    keepvipd = find_keepvipd()
    if keepvipd is None:
        skip_exit("keepvipd is not built: set KEEPVIPD or build build/agent/keepvipd")
    print(f"keepvipd: {keepvipd}", file=sys.stderr)

    started = time.monotonic()
    setups = [
        Setup("keepalived, seed check script, v2 advert 1 s", "keepalived", 2, 1.0, "ka1", "ka2", 51,
              "192.0.2.100"),
        Setup("keepvip track_unit, v2 advert 1 s", "keepvip", 2, 1.0, "kv1", "kv2", 52, "192.0.2.101"),
        Setup("keepvip track_unit, v3 advert 0.1 s", "keepvip", 3, 0.1, "kv3", "kv4", 53, "192.0.2.102"),
    ]
    hosts = [h for s in setups for h in (s.master, s.backup)]
    print("measuring...", file=sys.stderr)
    with Lab(hosts, keepvipd=keepvipd) as lab:
        bench = Bench(lab, setups, args.keepvip_weight, started + args.max_seconds)
        try:
            bench.run(args.rounds)
        except Exception:
            lab.dump_logs(tail=40)
            raise
    print_table(setups, args.rounds, args.keepvip_weight)
    print(f"(took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run_main(main)
