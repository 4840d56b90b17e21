"""The chaos soak's faults: a schedule drawn from one seed, and how each is
injected and cleared.

Every parameter of a fault (kind, target, duration, loss rate, ...) and the
rest after it is drawn from the seeded generator when the fault is scheduled,
never from timing, so a seed replays the same sequence. The kinds come in
shuffled rounds: every kind appears once per len(KINDS) faults, so a short run
sees each of them.
"""

from __future__ import annotations

import random
import subprocess
import time
from dataclasses import dataclass

from keepvip_lab import FLOODER

from chaos_cluster import ATTACKER, PASSWORD, RESTART_SEC, ROUTERS, Cluster

KINDS = ("kill", "link", "loss", "partition", "reload", "bus", "flood")
# Faults after which the holders must not have changed at all: a reload of an
# unchanged configuration, a restart of the D-Bus daemon.
NO_CHANGE = ("reload", "bus")


@dataclass
class Fault:
    number: int
    kind: str
    target: str
    seconds: float = 0.0  # how long the fault lasts (outage, loss, partition, flood)
    percent: int = 0  # loss rate
    count: int = 0  # SIGHUPs in a reload storm
    gap: float = 0.0  # seconds between them
    mode: str = ""  # flood mode
    rate: int = 0  # flood frames per second
    rest_extra: float = 0.0  # rest after the fault, beyond three advert intervals

    def describe(self) -> str:
        what = {
            "kill": f"SIGKILL {self.target}, back after {self.seconds:.1f} s",
            "link": f"eth0 of {self.target} down for {self.seconds:.1f} s",
            "loss": f"{self.percent} % VRRP loss at {self.target} for {self.seconds:.1f} s",
            "partition": f"VRRP to and from {self.target} dropped for {self.seconds:.1f} s",
            "reload": f"{self.count} SIGHUPs to {self.target}, {self.gap * 1000:.0f} ms apart",
            "bus": f"D-Bus daemon of {self.target} restarted",
            "flood": f"{self.mode} flood for VRID 51 from {ATTACKER}, {self.rate}/s for "
                     f"{self.seconds:.1f} s",
        }[self.kind]
        return f"fault {self.number} ({self.kind}): {what}"


class Schedule:
    def __init__(self, seed: int, cluster: Cluster, kinds: tuple[str, ...] = KINDS):
        self.rng = random.Random(seed)
        self.cluster = cluster
        self.kinds = [k for k in kinds if k != "bus" or cluster.keepvip_nodes()]
        self.bag: list[str] = []
        self.number = 0

    def next(self) -> Fault:
        rng = self.rng
        if not self.bag:
            self.bag = list(self.kinds)
            rng.shuffle(self.bag)
        kind = self.bag.pop()
        self.number += 1
        nodes = self.cluster.keepvip_nodes() if kind == "bus" else self.cluster.nodes
        target = rng.choice(nodes).name
        fault = Fault(self.number, kind, target, rest_extra=rng.uniform(0, 2))
        if kind == "kill":
            # keepvipd comes back by Restart=; keepalived has none, we start it.
            node = self.cluster.node(target)
            fault.seconds = RESTART_SEC if node.daemon == "keepvip" else rng.uniform(1, 4)
        elif kind == "link":
            fault.seconds = rng.uniform(1, 6)
        elif kind == "loss":
            fault.percent = rng.randint(10, 30)
            fault.seconds = rng.uniform(5, 15)
            fault.target = rng.choice([n.name for n in self.cluster.nodes] + ["all"])
        elif kind == "partition":
            fault.seconds = rng.uniform(2, 8)
        elif kind == "reload":
            fault.count = rng.randint(3, 8)
            fault.gap = rng.uniform(0.05, 0.3)
        elif kind == "flood":
            fault.target = ATTACKER
            fault.mode = rng.choice(("wrong-password", "ttl64"))
            fault.rate = rng.choice((1000, 2000, 5000))
            fault.seconds = rng.uniform(2, 5)
        return fault


class Injector:
    """Injects a fault and clears it; returns (injected, cleared) as time.monotonic()."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.lab = cluster.lab
        self.services = cluster.services

    def run(self, fault: Fault) -> tuple[float, float]:
        return getattr(self, f"_{fault.kind}")(fault)

    def _kill(self, f: Fault) -> tuple[float, float]:
        node = self.cluster.node(f.target)
        restarts = self.services.restarts(node.name)
        injected = time.monotonic()
        self.services.kill(node.name, "SIGKILL")
        self.cluster.kills[node.name] += 1
        try:
            if node.daemon == "keepvip":
                self.services.wait_restarted(node.name, restarts, timeout=RESTART_SEC + 15)
            else:
                self.services.wait_stopped(node.name, timeout=10)
                time.sleep(max(0.0, injected + f.seconds - time.monotonic()))
                self.services.start(node.name)
        except TimeoutError as e:
            raise FaultError(str(e)) from None
        return injected, time.monotonic()

    def _link(self, f: Fault) -> tuple[float, float]:
        injected = time.monotonic()
        self.lab.link_down(f.target)
        time.sleep(f.seconds)
        self.lab.link_up(f.target)
        return injected, time.monotonic()

    def _nft_for(self, f: Fault, match: str) -> tuple[float, float]:
        hosts = [n.name for n in self.cluster.nodes] if f.target == "all" else [f.target]
        injected = time.monotonic()
        try:
            for host in hosts:
                self.lab.nft_drop(host, match, "both")
            time.sleep(f.seconds)
        finally:
            for host in hosts:
                self.lab.nft_clear(host)
        return injected, time.monotonic()

    def _loss(self, f: Fault) -> tuple[float, float]:
        return self._nft_for(f, f"meta l4proto 112 numgen random mod 100 < {f.percent}")

    def _partition(self, f: Fault) -> tuple[float, float]:
        return self._nft_for(f, "meta l4proto 112")

    def _reload(self, f: Fault) -> tuple[float, float]:
        injected = time.monotonic()
        for i in range(f.count):
            if i:
                time.sleep(f.gap)
            self.services.kill(f.target, "SIGHUP", whom="main")
        return injected, time.monotonic()

    def _bus(self, f: Fault) -> tuple[float, float]:
        injected = time.monotonic()
        self.services.systemctl(f.target, "restart", "dbus.service")
        return injected, time.monotonic()

    def _flood(self, f: Fault) -> tuple[float, float]:
        vrid = str(ROUTERS[0].vrid)
        cmd = self.lab.tool_command(ATTACKER, FLOODER, "--iface", "eth0", "--src",
                                    self.lab.host(ATTACKER).addr4, "--mode", f.mode,
                                    "--password", PASSWORD, "--vrid", vrid,
                                    "--vip", ROUTERS[0].address, "--seconds", f"{f.seconds:.2f}",
                                    "--rate", str(f.rate))
        injected = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=f.seconds + 30)
        except subprocess.TimeoutExpired as e:
            raise FaultError(f"the flooder did not finish: {e}") from None
        if proc.returncode != 0:
            raise FaultError(f"the flooder failed: {proc.stdout}{proc.stderr}")
        return injected, time.monotonic()


class FaultError(RuntimeError):
    """A fault could not be injected or cleared as planned (counted as a violation)."""
