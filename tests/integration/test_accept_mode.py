#!/usr/bin/env python3
"""Accept mode with vrrp_strict, as keepalived 2.2.8 does it over nftables.

- keepvipd MASTER without accept (strict mode's default): a third host's
  pings to the VIP are dropped, and the master's namespace shows the drop
  table; a reload that adds accept answers them without moving the VIP.
  IPv6 too: neighbour discovery passes, a link-local VIP is matched with
  its interface.
- the drop table goes with a normal stop, and after a SIGKILL with the
  crash hand-over (`keepvipd --release`); a start after a crash replaces
  the table the dead agent left.
- keepalived 2.2.7 and keepvipd, both strict: one master; without accept
  neither answers on the VIP, with accept (VRRPv3: strict VRRPv2 resets
  accept) both do.
"""

from __future__ import annotations

import time

from keepvip_lab import MARGIN, STARTUP, Instance
from kvtest import VIP4, VIP6, LabTestCase, main, render_config

STRICT = ("vrrp_strict",)
LINK_LOCAL_VIP = "fe80::100"


def strict_v3(priority: int, *extra: str) -> Instance:
    # Strict mode: no authentication, and MASTER only for the owner.
    return Instance(priority=priority, version=3, vips=(f"{VIP4}/24",), extra_lines=extra)


class AcceptMode(LabTestCase):
    # c is the client that talks to the VIP.
    hosts = ("a", "b", "c")

    def answers(self, address: str) -> bool:
        """c's pings to address are answered (2 tries, 1 s each; ping picks the family)."""
        return self.lab.exec("c", "ping", "-n", "-c", "2", "-W", "1", address,
                             check=False).returncode == 0

    def drop_table(self, host: str) -> str:
        """`nft list table ip keepvip` in host's namespace; "" when there is none."""
        proc = self.lab.exec(host, "nft", "list", "table", "ip", "keepvip", check=False)
        return proc.stdout if proc.returncode == 0 else ""

    def tables(self, host: str) -> str:
        return self.lab.exec(host, "nft", "list", "tables").stdout

    def start_master(self, instance: Instance) -> None:
        self.lab.start_keepvip("a", render_config(instance, router_id="kv-a", global_lines=STRICT))
        self.wait_master(VIP4, "a", timeout=instance.master_down_interval() + STARTUP + 3)

    def test_without_accept_traffic_to_the_vip_is_dropped_until_a_reload_adds_accept(self):
        master = strict_v3(150)
        self.start_master(master)
        self.assertTrue(self.answers(self.lab.host("a").addr4), "a's own address must answer")
        self.assertFalse(self.answers(VIP4), "strict mode without accept answered on the VIP")
        table = self.drop_table("a")
        self.assertIn("ip daddr @vips drop", table, table)
        self.assertIn("ip saddr @vips drop", table, table)
        self.assertIn(VIP4, table, table)

        conf = self.lab.host("a").daemon.conf_path
        with open(conf, "w") as f:
            f.write(render_config(strict_v3(150, "accept"), router_id="kv-a", global_lines=STRICT))
        self.lab.signal("a", 1)  # SIGHUP
        deadline = time.monotonic() + 5
        while self.drop_table("a") and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.drop_table("a"), "", "the reload to accept left the drop table")
        self.assertTrue(self.answers(VIP4), "with accept the VIP does not answer")
        self.assertHolders(VIP4, {"a"})

    def test_ipv6_vips_are_dropped_and_neighbour_discovery_is_not(self):
        # no_accept outside strict mode; a link-local VIP is matched with its interface.
        master = Instance(priority=150, version=3, vips=(f"{VIP6}/64", f"{LINK_LOCAL_VIP}/64"),
                          extra_lines=("no_accept",))
        self.lab.start_keepvip("a", render_config(master, router_id="kv-a"))
        self.wait_master(VIP6, "a", timeout=master.master_down_interval() + STARTUP + 3)
        self.assertTrue(self.answers(self.lab.host("a").addr6), "a's own address must answer")
        # c resolves the VIP (neighbour discovery passes), then its pings are dropped.
        self.assertFalse(self.answers(VIP6), "no_accept answered on the IPv6 VIP")
        table = self.lab.exec("a", "nft", "list", "table", "ip6", "keepvip").stdout
        self.assertIn("icmpv6 type @neighbor-discovery accept", table, table)
        self.assertIn("ip6 daddr @vips drop", table, table)
        self.assertIn(f"{LINK_LOCAL_VIP} . \"eth0\"", table, table)
        self.assertIn("ip6 daddr . iif @vips_link_local drop", table, table)
        self.lab.stop("a")
        self.assertNotIn("keepvip", self.tables("a"), "a normal stop left the ip6 table")

    def test_no_table_remains_after_a_stop_or_a_kill_and_the_release(self):
        master = strict_v3(150)
        self.start_master(master)
        self.assertIn("table ip keepvip", self.tables("a"))
        self.lab.stop("a")
        self.assertNotIn("keepvip", self.tables("a"), "a normal stop left the drop table")

        self.start_master(master)
        self.lab.stop("a", graceful=False)  # SIGKILL
        self.assertIn("table ip keepvip", self.tables("a"), "the killed agent's table is gone "
                      "already: nothing left to test the release with")
        proc = self.lab.keepvip_command("a", "--release")
        self.assertEqual(proc.returncode, 0, f"keepvipd --release failed: {proc.stdout}{proc.stderr}")
        self.assertNotIn("keepvip", self.tables("a"), "--release left the drop table")
        self.assertFalse(self.lab.holds("a", VIP4), "--release left the VIP")

    def test_a_start_after_a_crash_replaces_the_table_left_behind(self):
        master = strict_v3(150)
        self.start_master(master)
        self.lab.stop("a", graceful=False)
        self.lab.flush_vip("a", VIP4)
        self.assertIn(VIP4, self.drop_table("a"))
        # With accept now: the old table must not keep dropping.
        self.lab.start_keepvip("a", render_config(strict_v3(150, "accept"), router_id="kv-a",
                                                  global_lines=STRICT))
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + 3)
        self.assertEqual(self.drop_table("a"), "", "the crashed run's table is still there")
        self.assertTrue(self.answers(VIP4))

    def test_keepalived_and_keepvip_both_strict_without_accept_drop_alike(self):
        ours, theirs = strict_v3(150), strict_v3(100)
        self.start_master(ours)
        self.lab.start_keepalived("b", render_config(theirs, router_id="ka-b",
                                                     global_lines=STRICT))
        self.assertHolders(VIP4, {"a"}, window=theirs.master_down_interval() + MARGIN)
        self.assertFalse(self.answers(VIP4), "keepvipd's VIP answered without accept")
        # keepalived, master in its turn, drops the same way.
        self.lab.stop("a")
        self.wait_master(VIP4, "b", timeout=theirs.master_down_interval() + MARGIN + 3)
        self.assertFalse(self.answers(VIP4), "keepalived's VIP answered without accept")
        self.assertIn(VIP4, self.lab.exec("b", "nft", "list", "table", "ip", "keepalived").stdout)

    def test_keepalived_and_keepvip_both_strict_with_accept_elect_one_master(self):
        ours, theirs = strict_v3(150, "accept"), strict_v3(100, "accept")
        self.start_master(ours)
        self.lab.start_keepalived("b", render_config(theirs, router_id="ka-b",
                                                     global_lines=STRICT))
        self.assertHolders(VIP4, {"a"}, window=theirs.master_down_interval() + MARGIN)
        self.assertTrue(self.answers(VIP4), "the VIP does not answer with accept on both")
        self.assertEqual(self.drop_table("a"), "")
        # And the other way round: keepalived's master answers too.
        self.lab.stop("a")
        self.wait_master(VIP4, "b", timeout=theirs.master_down_interval() + MARGIN + 3)
        self.assertTrue(self.answers(VIP4), "keepalived's VIP does not answer with accept")


if __name__ == "__main__":
    main()
