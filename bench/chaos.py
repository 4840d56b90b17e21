#!/usr/bin/env python3
"""Chaos soak: a keepvip/keepalived cluster under a seeded random fault schedule.

Three nodes (by default two keepvip, one keepalived; --nodes), each running
its agent as a systemd service in its own user manager, share two virtual
routers (bench/chaos_cluster.py). One fault at a time (bench/chaos_faults.py):
SIGKILL of an agent and its restart, link down and up, 10-30 % random VRRP
loss (nftables), a VRRP partition and its heal, a storm of SIGHUP reloads, a
restart of a node's D-Bus daemon, a forged-advert flood. The holders of both
VIPs are sampled every 20 ms the whole time (bench/chaos_watch.py).

Invariants, each breach a violation:
  recovery  the holders may move while the protocol settles, but when the
            fault's protocol bound has passed since it ended, every VIP has
            exactly its one right holder (the highest-priority node); the
            recovery time is when they last became right; after a reload
            storm or a bus restart the holders never changed;
  at rest   from then on for three advert intervals (and a random extra),
            every VIP keeps exactly its one right holder; the agents run and
            were restarted only by our kills; web.service (master_units of
            VI_1) runs exactly on the keepvip node holding VI_1;
  bus       after a bus restart, keepvipctl answers again within the
            reconnection backoff (5 s) + margin;
  the end   once the agents are stopped: no VIP, no XDP program, no tc filter,
            no nft rule, no running or failed unit is left, and every agent
            stopped cleanly.

Prints every fault with its recovery time, every violation as it happens, and
a summary: faults injected, violations, the worst recovery against its bound.
The seed is printed; the same seed replays the same schedule.

Usage: bench/chaos.sh [--seed N] [--duration SECONDS] [--nodes kv,kv,ka]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from keepvip_lab import (MARGIN, STARTUP, Lab, LabUnavailable, Services, check_environment,
                         find_keepvipd, run_main, skip_exit)

from chaos_cluster import ATTACKER, BUS_RETRY_MAX, ROUTERS, Cluster, parse_mix
from chaos_faults import KINDS, NO_CHANGE, Fault, FaultError, Injector, Schedule
from chaos_watch import HolderWatch

# Longest wait for a cluster that missed its bound to settle before going on.
SETTLE_LIMIT = 60.0


@dataclass
class Report:
    started: float
    faults: Counter = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    worst: tuple[float, float, str] | None = None  # (recovery s, bound s, fault)

    def violation(self, text: str) -> None:
        stamp = time.monotonic() - self.started
        line = f"  VIOLATION at +{stamp:.1f} s: {text}"
        self.violations.append(line.strip())
        print(line, flush=True)

    def recovered(self, seconds: float, bound: float, fault: Fault) -> None:
        if self.worst is None or seconds > self.worst[0]:
            self.worst = (seconds, bound, fault.describe())


class Soak:
    def __init__(self, cluster: Cluster, watch: HolderWatch, report: Report):
        self.cluster = cluster
        self.watch = watch
        self.report = report
        self.expected = cluster.expected()
        self.injector = Injector(cluster)

    def recover(self, since: float, bound: float, what: str) -> float | None:
        """The holders may still move while the protocol settles, until `bound`
        s after `since`; then every VIP must have its right holder. Returns
        how long after `since` they last became right, or None (a violation,
        after which it waits for the cluster to settle before going on)."""
        end = since + bound
        time.sleep(max(end - time.monotonic(), 0))
        wrong = self.watch.deviations(self.expected, since, end)
        if any(stretch_end >= end for _, stretch_end, _, _ in wrong):
            now = self.watch.current()
            self.report.violation(f"{what}: holders {self.holders_text(now)} {bound:.1f} s after "
                                  f"it ended (bound {bound:.1f} s)")
            self.watch.wait_for(self.expected, timeout=SETTLE_LIMIT)
            return None
        return max((stretch_end for _, stretch_end, _, _ in wrong), default=since) - since

    def holders_text(self, holders: dict[str, frozenset[str]]) -> str:
        return ", ".join(f"{vip}={sorted(h) or 'none'}" for vip, h in holders.items())

    def check_rest(self, start: float, seconds: float, what: str) -> None:
        """At rest: the right holders throughout, agents and units as they should be."""
        time.sleep(max(start + seconds - time.monotonic(), 0))
        for begin, end, vip, holders in self.watch.deviations(self.expected, start, start + seconds):
            self.report.violation(f"at rest after {what}: {vip} held by "
                                  f"{sorted(holders or ()) or 'nobody'} for "
                                  f"{(end - begin) * 1000:.0f} ms")
        for problem in self.cluster.crashes():
            self.report.violation(f"after {what}: {problem}")
        for problem in self.cluster.units_follow(self.watch.current()):
            self.report.violation(f"at rest after {what}: {problem}")

    def check_bus(self, fault: Fault, cleared: float) -> None:
        deadline = cleared + BUS_RETRY_MAX + MARGIN
        while True:
            answer = self.cluster.services.keepvipctl(fault.target, "status", check=False)
            if "VI_1" in answer:
                return
            if time.monotonic() > deadline:
                self.report.violation(f"{fault.describe()}: keepvipctl status still fails "
                                      f"{BUS_RETRY_MAX + MARGIN:.1f} s after the restart")
                return
            time.sleep(0.2)

    def one(self, fault: Fault) -> None:
        self.report.faults[fault.kind] += 1
        stamp = time.monotonic() - self.report.started
        try:
            injected, cleared = self.injector.run(fault)
        except FaultError as e:
            self.report.violation(f"{fault.describe()}: {e}")
            self.watch.wait_for(self.expected, timeout=SETTLE_LIMIT)
            return
        if fault.kind in NO_CHANGE:
            bound = 0.0
            if fault.kind == "bus":
                self.check_bus(fault, cleared)
            # Let a late flap show before judging.
            time.sleep(self.cluster.interval_max())
            for begin, end, vip, holders in self.watch.deviations(self.expected, injected,
                                                                  time.monotonic()):
                self.report.violation(f"{fault.describe()}: {vip} held by "
                                      f"{sorted(holders or ()) or 'nobody'} for "
                                      f"{(end - begin) * 1000:.0f} ms (must not change)")
            took = 0.0
        else:
            bound = self.cluster.bound(fault.kind)
            took = self.recover(cleared, bound, fault.describe())
        if took is not None:
            self.report.recovered(took, bound, fault)
        result = "not recovered" if took is None else f"recovered in {took * 1000:.0f} ms"
        print(f"[+{stamp:7.1f} s] {fault.describe()}: {result} (bound {bound:.1f} s)", flush=True)
        rest = 3 * self.cluster.interval_max() + fault.rest_extra
        self.check_rest(time.monotonic(), rest, fault.describe())


def run(args, nodes) -> int:
    keepvipd = find_keepvipd()
    if keepvipd is None and any(n.daemon == "keepvip" for n in nodes):
        skip_exit("keepvipd is not built: set KEEPVIPD or build build/agent/keepvipd")
    mix = " ".join(f"{n.name}={n.daemon}" for n in nodes)
    print(f"chaos: seed {args.seed}, duration {args.duration:.0f} s, nodes {mix}", flush=True)
    print(f"replay: sudo bench/chaos.sh --seed {args.seed} --duration {args.duration:g} "
          f"--nodes {args.nodes}", flush=True)
    hosts = [n.name for n in nodes] + [ATTACKER]
    with Lab(hosts, keepvipd=keepvipd, tag="chaos") as lab:
        services = Services(lab)
        watch = HolderWatch(lab, [r.address for r in ROUTERS])
        report = Report(started=time.monotonic())
        try:
            cluster = Cluster(lab, services, nodes)
            cluster.start()
            started = time.monotonic()
            watch.start()
            soak = Soak(cluster, watch, report)
            first = soak.recover(started, cluster.master_down_max() + STARTUP + MARGIN, "start-up")
            print(f"cluster up: {soak.holders_text(watch.current())} "
                  f"({'not settled' if first is None else f'{first:.1f} s'})", flush=True)
            soak.check_rest(time.monotonic(), 3 * cluster.interval_max(), "start-up")
            schedule = Schedule(args.seed, cluster, tuple(args.faults))
            end = time.monotonic() + args.duration
            while time.monotonic() < end:
                soak.one(schedule.next())
            watch.stop()
            for problem in cluster.stop():
                report.violation(f"stop: {problem}")
            leftovers = cluster.leftovers()
            for problem in leftovers:
                report.violation(f"left behind: {problem}")
        except Exception:
            lab.dump_logs(tail=60)
            services.dump_logs(tail=60)
            raise
        finally:
            watch.stop()
            lab.close()
            services.close()
    summarize(args, report, leftovers)
    return 1 if report.violations else 0


def summarize(args, report: Report, leftovers: list[str]) -> None:
    total = sum(report.faults.values())
    kinds = ", ".join(f"{k} {report.faults[k]}" for k in KINDS if report.faults[k])
    print(f"\nchaos: seed {args.seed}, {args.duration:.0f} s, nodes {args.nodes}")
    print(f"faults injected: {total} ({kinds})")
    print(f"invariant violations: {len(report.violations)}")
    for line in report.violations:
        print(f"  {line}")
    if report.worst is not None:
        took, bound, what = report.worst
        print(f"worst recovery: {took * 1000:.0f} ms (bound {bound:.1f} s) after {what}")
    print("left behind after stop: " + ("nothing" if not leftovers else
                                         f"{len(leftovers)} (listed above)"))
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=None, help="schedule seed (default: random)")
    parser.add_argument("--duration", type=float, default=1800,
                        help="seconds of faults (default 1800)")
    parser.add_argument("--nodes", default="kv,kv,ka",
                        help="the agents of the nodes, kv = keepvip, ka = keepalived "
                             "(default kv,kv,ka)")
    parser.add_argument("--faults", default=",".join(KINDS),
                        help=f"fault kinds to draw from (default {','.join(KINDS)})")
    args = parser.parse_args()
    try:
        nodes = parse_mix(args.nodes)
    except ValueError as e:
        parser.error(str(e))
    args.faults = [k.strip() for k in args.faults.split(",") if k.strip()]
    unknown = set(args.faults) - set(KINDS)
    if unknown or not args.faults:
        parser.error(f"--faults: unknown kinds {sorted(unknown)}; choose from {','.join(KINDS)}")
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 1 << 31)
    try:
        check_environment(need_keepalived=any(n.daemon == "keepalived" for n in nodes))
    except LabUnavailable as e:
        skip_exit(str(e))
    try:
        return run(args, nodes)
    except LabUnavailable as e:
        skip_exit(str(e))
        return 77


if __name__ == "__main__":
    run_main(main)
