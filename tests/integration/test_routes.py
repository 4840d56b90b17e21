#!/usr/bin/env python3
"""virtual_routes / virtual_rules follow the master between two keepvip nodes
(IPv4 and IPv6, a non-main table, a blackhole route), leave with the master
on failover and with `keepvipd --release` after a SIGKILL; static_routes /
static_rules stay on both nodes throughout and go when keepvipd stops, as
keepalived's do."""

import time

from keepvip_lab import Instance
from keepvip_lab.vrrpconf import render_config
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.2

VIRTUAL_ROUTES = (
    "virtual_routes {",
    "    198.51.100.0/24 via 192.0.2.254 dev eth0 table 100",
    "    blackhole 203.0.113.0/25 table 100",
    "    2001:db8:100::/48 via 2001:db8::fe dev eth0 table 100",
    "}",
    "virtual_rules {",
    "    from 198.51.100.0/24 table 100 priority 100",
    "    from 2001:db8:100::/48 lookup 100 priority 100",
    "}",
)

STATIC = """
static_routes {
    blackhole 203.0.113.128/25 table 101
    2001:db8:200::/48 dev eth0 table 101
}
static_rules {
    to 203.0.113.128/25 lookup 101 priority 101
}
"""


def v3(state: str, priority: int) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",), extra_lines=VIRTUAL_ROUTES)


class Routes(LabTestCase):
    def start(self, host: str, instance: Instance) -> None:
        self.lab.start_keepvip(host, render_config(instance, router_id=f"kv-{host}") + STATIC)

    def show(self, host: str, *args: str) -> str:
        """`ip ... show`; a table that does not exist yet shows nothing."""
        return self.lab.ip(host, *args, check=False) or ""

    def virtual(self, host: str) -> dict[str, bool]:
        """Which of the virtual routes and rules the host has."""
        table4 = self.show(host, "-4", "route", "show", "table", "100")
        table6 = self.show(host, "-6", "route", "show", "table", "100")
        rules4 = self.show(host, "-4", "rule", "show")
        rules6 = self.show(host, "-6", "rule", "show")
        return {
            "via4": "198.51.100.0/24 via 192.0.2.254 dev eth0 proto keepalived" in table4,
            "blackhole4": "blackhole 203.0.113.0/25 proto keepalived" in table4,
            "via6": "2001:db8:100::/48 via 2001:db8::fe dev eth0 proto keepalived" in table6,
            "rule4": "100:\tfrom 198.51.100.0/24 lookup 100 proto keepalived" in rules4,
            "rule6": "100:\tfrom 2001:db8:100::/48 lookup 100 proto keepalived" in rules6,
        }

    def static(self, host: str) -> dict[str, bool]:
        table4 = self.show(host, "-4", "route", "show", "table", "101")
        table6 = self.show(host, "-6", "route", "show", "table", "101")
        rules4 = self.show(host, "-4", "rule", "show")
        return {
            "blackhole4": "blackhole 203.0.113.128/25 proto keepalived" in table4,
            "dev6": "2001:db8:200::/48 dev eth0 proto keepalived" in table6,
            "rule4": "101:\tfrom all to 203.0.113.128/25 lookup 101 proto keepalived" in rules4,
        }

    def assertVirtual(self, host: str, present: bool, timeout: float = 2.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            seen = self.virtual(host)
            if all(v == present for v in seen.values()):
                return
            if time.monotonic() > deadline:
                self.fail(f"{host}: virtual routes/rules should be "
                          f"{'present' if present else 'absent'}: {seen}")
            time.sleep(0.05)

    def assertStatic(self, host: str, present: bool) -> None:
        seen = self.static(host)
        self.assertTrue(all(v == present for v in seen.values()),
                        f"{host}: static routes/rules should be "
                        f"{'present' if present else 'absent'}: {seen}")

    def test_virtual_routes_follow_the_master_and_static_ones_stay(self):
        high, low = v3("MASTER", 150), v3("BACKUP", 100)
        self.start("a", high)
        self.start("b", low)
        self.wait_master(VIP4, "a", timeout=high.master_down_interval() + 3)
        self.assertHolders(VIP4, {"a"}, window=low.master_down_interval())
        self.assertVirtual("a", True)
        self.assertVirtual("b", False)
        for host in ("a", "b"):
            self.assertStatic(host, True)

        # A graceful hand-over: the routes and rules go with the master role.
        sent = self.lab.stop("a", graceful=True, wait=False)
        self.assertTakeover(VIP4, "b", sent, low.skew_time() + 1, "graceful hand-over")
        self.assertEqual(self.lab.reap("a"), 0)
        self.assertVirtual("b", True)
        self.assertVirtual("a", False)
        # keepalived removes its static entries when it stops; the backup keeps them.
        self.assertStatic("a", False)
        self.assertStatic("b", True)

        # a comes back and preempts; b's virtual ones leave, the static ones stay.
        started = time.monotonic()
        self.start("a", high)
        self.lab.wait_for_holders(VIP4, {"a"}, since=started,
                                  timeout=high.master_down_interval() + 3)
        self.assertVirtual("a", True)
        self.assertVirtual("b", False)
        for host in ("a", "b"):
            self.assertStatic(host, True)

        # SIGKILL leaves everything on a, as on a crashed host; the crash
        # hand-over removes the virtual routes and rules (not the static ones:
        # a killed keepalived leaves those too).
        self.lab.stop("a", graceful=False)
        self.assertVirtual("a", True, timeout=0)
        proc = self.lab.keepvip_command("a", "--release")
        self.assertEqual(proc.returncode, 0, f"keepvipd --release failed: {proc.stdout}{proc.stderr}")
        self.assertVirtual("a", False, timeout=0)
        self.assertStatic("a", True)
        self.wait_master(VIP4, "b", timeout=low.master_down_interval() + 3)
        self.assertVirtual("b", True)
        self.assertStatic("b", True)


if __name__ == "__main__":
    main(need_keepalived=False)
