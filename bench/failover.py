#!/usr/bin/env python3
"""Failover benchmark: keepvip pair vs keepalived pair in one namespace lab.

For each pair (master priority 150, backup 100) and each round, the master is
stopped gracefully (SIGTERM) and, separately, killed (SIGKILL); we time from
the signal until the VIP is up on the backup, polling every 5 ms. A kill is
sent right after the backup has received one of the master's adverts, so it
measures the whole Master_Down_Interval for both daemons instead of a random
part of it. The table puts the medians beside the protocol bound: Skew_Time
after a graceful stop (the backup hears priority 0), 3 x interval + Skew_Time
after a kill.

Then the same kill as production meets it (bench/failover_systemd.py):
keepvipd.service SIGKILLed under systemd, its ExecStopPost= hand-over against
keepalived.service killed the same way, with the target skew + 100 ms.

Usage: bench/failover.sh [--rounds N] [--v3-interval SECONDS] [--max-seconds S]
                         [--no-systemd | --only-systemd]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field

from keepvip_lab import (Instance, Lab, LabUnavailable, Services, check_environment, find_keepvipd,
                         render_config, run_main, skip_exit)

import failover_systemd
from rounds import fmt_ms


@dataclass
class Pair:
    daemon: str  # "keepvip" or "keepalived"
    master: str
    backup: str
    vrid: int
    vip: str
    samples: dict[str, list[float]] = field(default_factory=lambda: {"graceful": [], "kill": []})
    failures: dict[str, int] = field(default_factory=lambda: {"graceful": 0, "kill": 0})


class Bench:
    def __init__(self, lab: Lab, version: int, interval: float, deadline: float):
        self.lab = lab
        self.version = version
        self.interval = interval
        self.deadline = deadline

    def instance(self, pair: Pair, state: str, priority: int) -> Instance:
        return Instance(state=state, priority=priority, vrid=pair.vrid, advert_int=self.interval,
                        version=3 if self.version == 3 else None, vips=(f"{pair.vip}/24",),
                        auth_pass="1111" if self.version == 2 else None)

    def start(self, pair: Pair, host: str) -> None:
        is_master = host == pair.master
        inst = self.instance(pair, "MASTER" if is_master else "BACKUP", 150 if is_master else 100)
        conf = render_config(inst, router_id=f"bench-{host}")
        if pair.daemon == "keepvip":
            self.lab.start_keepvip(host, conf)
        else:
            self.lab.start_keepalived(host, conf)

    @property
    def backup_instance(self) -> Instance:
        return Instance(priority=100, advert_int=self.interval, version=3 if self.version == 3 else None)

    def bounds(self) -> dict[str, float]:
        backup = self.backup_instance
        return {"graceful": backup.skew_time(), "kill": backup.master_down_interval()}

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def settle_master(self, pair: Pair) -> None:
        """Waits until only the pair's master holds its VIP, then lets it advertise a while."""
        timeout = min(self.backup_instance.master_down_interval() + 10, max(self.remaining(), 1))
        self.lab.wait_for_holders(pair.vip, {pair.master}, timeout=timeout)
        time.sleep(2 * self.interval)

    def measure(self, pair: Pair, kind: str) -> None:
        graceful = kind == "graceful"
        bound = self.bounds()[kind]
        if not graceful:
            # Kill right after an advert reaches the backup: its Master_Down
            # timer then has its whole interval to run, whichever daemon it is,
            # so the two pairs are timed from the same point of the cycle.
            master_addr = self.lab.host(pair.master).addr4
            self.lab.wait_for_advert(pair.backup, master_addr, timeout=3 * self.interval + 1)
        sent = self.lab.stop(pair.master, graceful=graceful, wait=False)
        try:
            ms = self.lab.wait_for_vip(pair.vip, pair.backup, timeout=bound + 5, since=sent)
            pair.samples[kind].append(ms)
        except TimeoutError as e:
            pair.failures[kind] += 1
            print(f"  {pair.daemon} {kind}: {e}", file=sys.stderr)
        self.lab.reap(pair.master)
        if not graceful:
            # A killed master leaves its VIP behind; the host "reboots" clean
            # so both daemons restart from the same state.
            self.lab.flush_vip(pair.master, pair.vip)
        self.start(pair, pair.master)
        self.settle_master(pair)

    def run(self, pairs: list[Pair], rounds: int) -> None:
        for pair in pairs:
            self.start(pair, pair.master)
        for pair in pairs:
            self.settle_master(pair)
            self.start(pair, pair.backup)
        time.sleep(self.backup_instance.master_down_interval())
        for pair in pairs:
            self.settle_master(pair)
        for r in range(rounds):
            # Alternate who goes first so neither pair always runs on a
            # machine still busy with the other's restart.
            order = pairs if r % 2 == 0 else list(reversed(pairs))
            for kind in ("graceful", "kill"):
                for pair in order:
                    if self.remaining() <= 0:
                        print("  time budget exhausted; reporting what was measured", file=sys.stderr)
                        return
                    self.measure(pair, kind)
            print(f"  round {r + 1}/{rounds} done", file=sys.stderr)


def print_table(title: str, bench: Bench, pairs: list[Pair], rounds: int) -> None:
    bounds = bench.bounds()
    what = {"graceful": "graceful stop (SIGTERM)", "kill": "master killed (SIGKILL)"}
    bound_text = {
        "graceful": f"{fmt_ms(bounds['graceful'] * 1000)} (skew)",
        "kill": f"{fmt_ms(bounds['kill'] * 1000)} (3 x {bench.interval:g} s + skew)",
    }
    print(f"\n{title}, {rounds} rounds, time from the signal until the VIP is up on the backup")
    header = f"{'scenario':<26}{'daemon':<12}{'median':>10}{'min':>10}{'max':>10}{'n':>4}  protocol bound"
    print(header)
    print("-" * len(header) + "-" * 22)
    for kind in ("graceful", "kill"):
        for pair in pairs:
            s = pair.samples[kind]
            median = statistics.median(s) if s else None
            row = (f"{what[kind]:<26}{pair.daemon:<12}{fmt_ms(median):>10}"
                   f"{fmt_ms(min(s) if s else None):>10}{fmt_ms(max(s) if s else None):>10}{len(s):>4}")
            if pair.failures[kind]:
                row += f" ({pair.failures[kind]} timed out)"
            print(f"{row}  {bound_text[kind]}")
    for kind in ("graceful", "kill"):
        medians = {p.daemon: statistics.median(p.samples[kind]) for p in pairs if p.samples[kind]}
        if {"keepvip", "keepalived"} <= medians.keys():
            delta = medians["keepvip"] - medians["keepalived"]
            verdict = "behind" if delta > 0 else "ahead of"
            print(f"{what[kind]}: keepvip's median is {abs(delta):.0f} ms {verdict} keepalived's")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds per scenario (default 5)")
    parser.add_argument("--v3-interval", type=float, default=None,
                        help="also run VRRPv3 with this advert_int in seconds, e.g. 0.1")
    parser.add_argument("--max-seconds", type=float, default=900,
                        help="overall time budget; stops measuring when spent (default 900)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--no-systemd", action="store_true",
                       help="skip the services killed under systemd")
    which.add_argument("--only-systemd", action="store_true",
                       help="only the services killed under systemd")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    try:
        check_environment()
    except LabUnavailable as e:
        skip_exit(str(e))
    keepvipd = find_keepvipd()
    if keepvipd is None:
        skip_exit("keepvipd is not built: set KEEPVIPD or build build/agent/keepvipd")
    print(f"keepvipd: {keepvipd}", file=sys.stderr)

    deadline = time.monotonic() + args.max_seconds
    configs = [(2, 1.0, "VRRPv2, advert_int 1 s, priorities 150/100, PASS auth")]
    if args.v3_interval is not None:
        configs.append((3, args.v3_interval, f"VRRPv3, advert_int {args.v3_interval:g} s, priorities 150/100"))

    for version, interval, title in configs if not args.only_systemd else ():
        pairs = [Pair("keepvip", "kv1", "kv2", 51, "192.0.2.100"),
                 Pair("keepalived", "ka1", "ka2", 52, "192.0.2.101")]
        print(f"{title}: measuring...", file=sys.stderr)
        with Lab(["kv1", "kv2", "ka1", "ka2"], keepvipd=keepvipd) as lab:
            bench = Bench(lab, version, interval, deadline)
            try:
                bench.run(pairs, args.rounds)
            except Exception:
                lab.dump_logs(tail=40)
                raise
        print_table(title, bench, pairs, args.rounds)
    if not args.no_systemd:
        return run_systemd(keepvipd, args.rounds, deadline)
    return 0


def run_systemd(keepvipd: str, rounds: int, deadline: float) -> int:
    """keepvipd.service and keepalived.service SIGKILLed, each host in its user manager."""
    print("services under systemd: measuring...", file=sys.stderr)
    with Lab(failover_systemd.HOSTS, keepvipd=keepvipd, tag="units") as lab:
        try:
            services = Services(lab)
        except LabUnavailable as e:
            print(f"services under systemd: skipped: {e}")
            return 0
        bench = failover_systemd.SystemdFailover(lab, services, deadline)
        try:
            bench.run(rounds)
        except Exception:
            lab.dump_logs(tail=40)
            services.dump_logs(tail=40)
            raise
        finally:
            lab.close()
            services.close()
    failover_systemd.print_table(bench, rounds)
    return 0


if __name__ == "__main__":
    run_main(main)
