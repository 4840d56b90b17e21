#!/usr/bin/env python3
"""Equal priorities: when two masters meet, the one with the higher primary
address stays master (RFC 5798 6.4.3). Both are made master first by a
firewall dropping VRRP on each host (the seed's firewall split brain); lifting
it must heal to one master, host b (192.0.2.12) over host a (192.0.2.11)."""

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

INTERVAL = 0.5
EQUAL = Instance(state="BACKUP", priority=100, version=3, advert_int=INTERVAL, vips=(f"{VIP4}/24",))


class TieBreak(LabTestCase):
    def heal_split_brain(self, start_a, start_b) -> None:
        for host in ("a", "b"):
            self.lab.nft_drop_vrrp(host, "in")
        start_a("a", EQUAL)
        start_b("b", EQUAL)
        self.lab.wait_for_holders(VIP4, {"a", "b"}, timeout=EQUAL.master_down_interval() + 3)
        self.assertHolders(VIP4, {"a", "b"}, window=0.5)

        for host in ("a", "b"):
            self.lab.nft_clear(host)
        self.lab.wait_for_holders(VIP4, {"b"}, timeout=2 * INTERVAL + MARGIN)
        self.assertHolders(VIP4, {"b"}, window=EQUAL.master_down_interval() + MARGIN)

    def test_two_keepvip_nodes(self):
        self.heal_split_brain(self.keepvip, self.keepvip)

    def test_keepvip_higher_address_beats_keepalived(self):
        self.heal_split_brain(self.keepalived, self.keepvip)

    def test_keepalived_higher_address_beats_keepvip(self):
        self.heal_split_brain(self.keepvip, self.keepalived)


if __name__ == "__main__":
    main()
