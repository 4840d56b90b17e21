"""The chaos soak's cluster: three (or more) nodes, keepvip and keepalived
mixed, each in its own systemd user manager, sharing two virtual routers:

  VI_1  VRRPv2, IPv4 192.0.2.100/24, VRID 51, advert_int 1 s, PASS auth;
        keepvip nodes start web.service while they hold it (master_units)
  VI_2  VRRPv3, IPv6 2001:db8::100/64, VRID 52, advert_int 0.5 s

Priorities differ per node and per router (VI_1 prefers the first node, VI_2
the second), preemption is on, so with every node healthy each VIP has one
right holder. A host `x` outside the cluster sends the forged floods.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from keepvip_lab import (KEEPALIVED_UNIT, KEEPVIPD_UNIT, MARGIN, STARTUP, Instance, Lab, Services,
                         render_config)

ATTACKER = "x"
PASSWORD = "1111"
WEB_UNIT = """[Unit]
Description=what follows mastership of VI_1 (master_units)
[Service]
ExecStart=/bin/sleep infinity
"""
# keepvipd.service's Restart=on-failure brings a killed agent back after this.
RESTART_SEC = 1.0
# dbus/reconnecting_bus.h: reconnection retried with backoff up to 5 s.
BUS_RETRY_MAX = 5.0


@dataclass(frozen=True)
class Router:
    name: str
    version: int
    vrid: int
    vip: str  # the VIP entry, e.g. "192.0.2.100/24"
    interval: float

    @property
    def address(self) -> str:
        return self.vip.split("/")[0]


ROUTERS = (
    Router("VI_1", 2, 51, "192.0.2.100/24", 1.0),
    Router("VI_2", 3, 52, "2001:db8::100/64", 0.5),
)


@dataclass(frozen=True)
class Node:
    name: str
    daemon: str  # "keepvip" or "keepalived"
    index: int

    def priority(self, router: Router, count: int) -> int:
        # VI_1 prefers node 0, VI_2 node 1, ...: 150, 125, 100, ... in turn.
        shift = ROUTERS.index(router)
        rank = (self.index - shift) % count
        return 150 - rank * (50 // max(count - 1, 1))

    @property
    def unit(self) -> str:
        return KEEPVIPD_UNIT if self.daemon == "keepvip" else KEEPALIVED_UNIT


def parse_mix(text: str) -> list[Node]:
    """"kv,kv,ka" -> nodes a, b, c (kv = keepvip, ka = keepalived)."""
    kinds = {"kv": "keepvip", "keepvip": "keepvip", "ka": "keepalived", "keepalived": "keepalived"}
    names = [w.strip() for w in text.split(",") if w.strip()]
    if len(names) < 2 or any(n not in kinds for n in names):
        raise ValueError(f"--nodes {text!r}: at least two of kv/ka, e.g. kv,kv,ka")
    return [Node(chr(ord("a") + i), kinds[n], i) for i, n in enumerate(names)]


class Cluster:
    def __init__(self, lab: Lab, services: Services, nodes: list[Node]):
        self.lab = lab
        self.services = services
        self.nodes = nodes
        self.kills = {n.name: 0 for n in nodes}  # SIGKILLs sent, for NRestarts

    # ------------------------------------------------------------- set-up
    def instance(self, node: Node, router: Router) -> Instance:
        extra = ()
        if router.name == "VI_1" and node.daemon == "keepvip":
            extra = ("master_units {", "    web.service", "}")
        return Instance(name=router.name, state="BACKUP", priority=node.priority(router, len(self.nodes)),
                        vrid=router.vrid, advert_int=router.interval,
                        version=router.version, vips=(router.vip,),
                        auth_pass=PASSWORD if router.version == 2 else None, extra_lines=extra)

    def config(self, node: Node) -> str:
        return render_config(*(self.instance(node, r) for r in ROUTERS), router_id=f"chaos-{node.name}")

    def start(self) -> None:
        for node in self.nodes:
            if node.daemon == "keepvip":
                self.services.add_keepvip(node.name, self.config(node), {"web.service": WEB_UNIT})
            else:
                self.services.add_keepalived(node.name, self.config(node))
        for node in self.nodes:
            self.services.start(node.name)

    # ------------------------------------------------------------- protocol
    def expected_holder(self, router: Router) -> str:
        """The highest-priority node: the one holder when every node is healthy."""
        return max(self.nodes, key=lambda n: n.priority(router, len(self.nodes))).name

    def expected(self) -> dict[str, frozenset[str]]:
        return {r.address: frozenset({self.expected_holder(r)}) for r in ROUTERS}

    def master_down_max(self) -> float:
        """The longest Master_Down_Interval of any node on any router (lowest priority)."""
        return max(self.instance(n, r).master_down_interval() for n in self.nodes for r in ROUTERS)

    @staticmethod
    def interval_max() -> float:
        return max(r.interval for r in ROUTERS)

    def bound(self, kind: str) -> float:
        """Seconds from the end of a fault until every VIP has its one right holder.

        re-election faults (the node that should hold a VIP lost it, or comes
        back and must preempt): one Master_Down_Interval, the longest there is;
        a restarted agent also needs to start (STARTUP). A healed partition:
        two masters hear each other, the lower priority yields on the first
        advert of the higher, sent within one advert interval."""
        if kind == "kill":
            return self.master_down_max() + STARTUP + MARGIN
        if kind == "partition":
            return self.interval_max() + MARGIN
        return self.master_down_max() + MARGIN

    # ------------------------------------------------------------- health
    def keepvip_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.daemon == "keepvip"]

    def node(self, name: str) -> Node:
        return next(n for n in self.nodes if n.name == name)

    def crashes(self) -> list[str]:
        """Agents not running, or restarted more often than we killed them."""
        found = []
        for node in self.nodes:
            state = self.services.active(node.name)
            if state != "active":
                found.append(f"{node.unit} on {node.name} is {state}")
            if node.daemon == "keepvip":
                restarts = self.services.restarts(node.name)
                if restarts != self.kills[node.name]:
                    found.append(f"{node.unit} on {node.name} restarted {restarts} times, "
                                 f"killed {self.kills[node.name]} times")
        return found

    def units_follow(self, holders: dict[str, frozenset[str]]) -> list[str]:
        """web.service runs exactly on the keepvip node holding VI_1."""
        wrong = []
        vi1 = ROUTERS[0].address
        for node in self.keepvip_nodes():
            want = "active" if node.name in holders[vi1] else "inactive"
            state = self.services.active(node.name, "web.service")
            if state != want:
                wrong.append(f"web.service on {node.name} is {state}, VI_1 holders "
                             f"{sorted(holders[vi1])}")
        return wrong

    # ------------------------------------------------------------- the end
    def stop(self) -> list[str]:
        """Stops every agent; what a stop left failed."""
        problems = []
        for node in self.nodes:
            self.services.stop(node.name)
            result = self.services.prop(node.name, "Result")
            if result != "success":
                problems.append(f"{node.unit} on {node.name} stopped with Result={result}")
        return problems

    def leftovers(self) -> list[str]:
        """After the agents stopped: VIPs, XDP programs, tc filters, nft rules, units."""
        found = []
        for node in self.nodes:
            ns = self.lab.host(node.name).ns
            addresses = self.lab.ip(node.name, "-o", "addr", "show")
            for router in ROUTERS:
                if f" {router.address}/" in addresses:
                    found.append(f"{router.address} still on {node.name}")
            link = self.lab.ip(node.name, "-d", "link", "show", "dev", "eth0")
            if "xdp" in link:
                found.append(f"an XDP program still on {node.name}/eth0: {link.split('xdp', 1)[1][:60]}")
            for hook in ("ingress", "egress"):
                out = self.lab.exec(node.name, "tc", "filter", "show", "dev", "eth0", hook,
                                    check=False).stdout.strip()
                if out:
                    found.append(f"tc {hook} filter still on {node.name}/eth0: {out.splitlines()[0]}")
            if shutil.which("bpftool"):
                out = self.lab.exec(node.name, "bpftool", "net", "show", "dev", "eth0",
                                    check=False).stdout
                if "id " in out:
                    found.append(f"bpftool net on {node.name}: {' '.join(out.split())[:120]}")
            rules = self.lab.exec(node.name, "nft", "list", "ruleset", check=False).stdout.strip()
            if rules:
                found.append(f"nft rules still in {ns}: {rules.splitlines()[0]}")
            units = ["web.service"] if node.daemon == "keepvip" else []
            for unit in [node.unit, *units]:
                state = self.services.active(node.name, unit)
                if state != "inactive":
                    found.append(f"{unit} on {node.name} is {state} after the stop")
            failed = self.services.systemctl(node.name, "list-units", "--state=failed", "--plain",
                                             "--no-legend", check=False)
            if failed:
                found.append(f"failed units on {node.name}: {failed}")
        return found
