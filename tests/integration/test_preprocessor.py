#!/usr/bin/env python3
"""One keepalived.conf for both nodes, read by keepvip on one and keepalived
2.2.7 on the other through keepalived's preprocessor: '@a' / '@b' lines pick
each node's priority and peer, $NAME definitions and ~SEQ make the virtual
addresses. The election proves both read the file the same way: the node
whose '@' lines give it priority 150 takes every address, whichever daemon
runs it, and the other stays backup. A second test runs instances without
virtual addresses (no_virtual_ipaddress; a bare VRRPv2 instance on
keepalived 2.2.7, which does not know the keyword): the election still
works, seen in the daemons' own state logs.
"""

from __future__ import annotations

import signal
import time

from keepvip_lab import MARGIN, STARTUP
from kvtest import LabTestCase, main

# Node a gets priority 150 and node b 100 from their '@' lines; each names
# the other as unicast peer ('@^a' is every node but a). The VIPs come from
# a definition and a repetition.
SHARED = """! one file for both nodes: keepvipd -i a / keepalived -i b
$NET=192.0.2
$VIP=${NET}.100/24
global_defs {
    @a router_id node_a
    @b router_id node_b
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    @a priority 150
    @b priority 100
    advert_int 1
    @a unicast_src_ip ${NET}.11
    @b unicast_src_ip ${NET}.12
    unicast_peer {
        @^a ${NET}.11
        @^b ${NET}.12
    }
    virtual_ipaddress {
        $VIP dev eth0
        ~SEQ(N, 101, 102) ${NET}.${N}/24 dev eth0
    }
}
"""
VIPS = ["192.0.2.100", "192.0.2.101", "192.0.2.102"]
ADVERT = 1
SKEW_100 = (256 - 100) / 256  # the backup's skew time
MASTER_DOWN_100 = 3 * ADVERT + SKEW_100


def start_keepalived_as(lab, host: str, conf_text: str, config_id: str):
    """keepalived as the lab starts it, reading the file as configuration id
    `config_id`."""
    return lab.start_keepalived(host, conf_text, extra_args=("-i", config_id))


class SharedFile(LabTestCase):
    def run_pair(self, keepvip_host: str) -> None:
        # Host a has 192.0.2.11, host b 192.0.2.12: each reads the file as
        # the node of its name.
        hosts = {}
        for host in ("a", "b"):
            if host == keepvip_host:
                self.lab.start_keepvip(host, SHARED, extra_args=["-i", host])
                hosts[host] = "keepvip"
            else:
                start_keepalived_as(self.lab, host, SHARED, host)
                hosts[host] = "keepalived"
        # Node a (priority 150) wins, whichever daemon reads the file as node a.
        self.wait_master(VIPS[0], "a", timeout=MASTER_DOWN_100 + STARTUP + 3)
        for vip in VIPS:
            # Longer than the backup's master-down interval: had it read
            # another priority, or not heard the master, it would take over.
            window = MASTER_DOWN_100 + MARGIN if vip == VIPS[0] else 0.5
            self.assertHolders(vip, {"a"}, window=window)
        # Graceful stop of node a: node b takes every address.
        sent = self.lab.stop("a", graceful=True, wait=False)
        if hosts["a"] == "keepalived":
            sent = self.lab.wait_for_release(VIPS[0], "a", timeout=5)
        self.assertTakeover(VIPS[0], "b", sent, SKEW_100,
                            f"{hosts['b']} (node b) takes over from {hosts['a']} (node a)")
        self.lab.reap("a")
        for vip in VIPS:
            self.assertHolders(vip, {"b"}, window=0.5)

    def test_keepvip_reads_node_a_keepalived_node_b(self):
        self.run_pair(keepvip_host="a")

    def test_keepalived_reads_node_a_keepvip_node_b(self):
        self.run_pair(keepvip_host="b")

    def test_reload_reads_the_file_as_the_same_node(self):
        start_keepalived_as(self.lab, "a", SHARED, "a")
        self.lab.start_keepvip("b", SHARED, extra_args=["-i", "b"])
        self.wait_master(VIPS[0], "a", timeout=MASTER_DOWN_100 + STARTUP + 3)
        # Node b's priority rises above a's: read again as node b, keepvip
        # preempts. Read as another node it would have no peer, not hear a,
        # and both would hold the addresses.
        with open(self.lab.host("b").daemon.conf_path, "w") as f:
            f.write(SHARED.replace("@b priority 100", "@b priority 200"))
        self.lab.signal("b", signal.SIGHUP)
        # keepalived lets go when it hears b's first advert at priority 200.
        self.lab.wait_for_holders(VIPS[0], {"b"}, timeout=STARTUP + 3)
        for vip in VIPS:
            self.assertHolders(vip, {"b"}, window=MASTER_DOWN_100 + MARGIN if vip == VIPS[0] else 0.5)


# An instance without virtual addresses; its notify script would move one.
NO_VIP = """vrrp_instance VI_1 {{
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority {priority}
    advert_int 1
{extra}}}
"""


class NoVirtualAddresses(LabTestCase):
    def wait_state(self, host: str, state: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.keepvip_states(host)[-1:] == [state]:
                return
            time.sleep(0.05)
        self.fail(f"{host} is not {state} after {timeout:.1f}s: states {self.keepvip_states(host)}")

    def test_election_without_virtual_addresses(self):
        self.lab.start_keepvip("a", NO_VIP.format(priority=150, extra="    no_virtual_ipaddress\n"))
        self.lab.start_keepalived("b", NO_VIP.format(priority=100, extra=""))
        self.wait_state("a", "MASTER", timeout=MASTER_DOWN_100 + STARTUP + 3)
        self.wait_state("b", "BACKUP", timeout=STARTUP + 2)
        # keepalived hears keepvip's adverts (no addresses in them): it stays backup.
        time.sleep(MASTER_DOWN_100 + MARGIN)
        self.assertEqual(self.keepvip_states("b")[-1:], ["BACKUP"], self.lab.log_text("b", 20))
        self.assertEqual(self.keepvip_states("a")[-1:], ["MASTER"])
        # And takes over when keepvip resigns.
        self.lab.stop("a", graceful=True)
        self.wait_state("b", "MASTER", timeout=SKEW_100 + MARGIN + 1)


if __name__ == "__main__":
    main()
