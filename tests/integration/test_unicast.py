#!/usr/bin/env python3
"""unicast_src_ip / unicast_peer with keepalived 2.2.7: with multicast VRRP
dropped on both hosts, the pair must still elect one master and hand over on
a graceful stop, so the adverts really travel by unicast."""

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.5


class Unicast(LabTestCase):
    def unicast(self, state: str, priority: int, me: str, peer: str) -> Instance:
        lines = (f"unicast_src_ip {self.lab.host(me).addr4}",
                 "unicast_peer {", f"    {self.lab.host(peer).addr4}", "}")
        return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                        vips=(f"{VIP4}/24",), extra_lines=lines)

    def test_unicast_pair_with_keepalived(self):
        for host in ("a", "b"):
            self.lab.nft_drop(host, "ip daddr 224.0.0.18", "both")
        master = self.unicast("MASTER", 150, "a", "b")
        backup = self.unicast("BACKUP", 100, "b", "a")
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepalived("b", backup)
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)

        sent = self.lab.stop("a", graceful=True, wait=False)
        self.assertTakeover(VIP4, "b", sent, backup.skew_time(), "unicast hand-over to keepalived")
        self.lab.reap("a")

        # And back: keepvip as the unicast backup of keepalived.
        self.keepvip("a", self.unicast("BACKUP", 100, "a", "b"))
        self.assertHolders(VIP4, {"b"}, window=master.master_down_interval() + MARGIN)
        self.lab.stop("b", graceful=True, wait=False)
        released = self.lab.wait_for_release(VIP4, "b", timeout=5)
        self.assertTakeover(VIP4, "a", released, backup.skew_time(), "unicast hand-over to keepvip")
        self.lab.reap("b")
        self.assertHolders(VIP4, {"a"})


if __name__ == "__main__":
    main()
