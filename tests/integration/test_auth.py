#!/usr/bin/env python3
"""VRRPv2 PASS authentication with keepalived 2.2.7 (matching passwords are
covered by test_interop.py): adverts with another password must be ignored,
which with mismatched passwords gives the seed's "received an invalid passwd!"
split brain — both nodes master. That is the protocol's answer; detecting it
is the guard's job, not the election's."""

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main


def seed_instance(state: str, priority: int, password: str) -> Instance:
    return Instance(state=state, priority=priority, advert_int=1, auth_pass=password,
                    vips=(VIP4,), vip_dev=False)


class PassAuthentication(LabTestCase):
    def test_keepvip_ignores_adverts_with_another_password(self):
        master = seed_instance("MASTER", 150, "1111")
        backup = seed_instance("BACKUP", 100, "2222")
        self.keepalived("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepvip("b", backup)
        # keepvip must not accept the higher-priority adverts: it times out and
        # becomes master too.
        self.lab.wait_for_vip(VIP4, "b", timeout=backup.master_down_interval() + MARGIN + 1)
        self.assertHolders(VIP4, {"a", "b"})

    def test_keepvip_sends_its_password(self):
        master = seed_instance("MASTER", 150, "1111")
        backup = seed_instance("BACKUP", 100, "2222")
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepalived("b", backup)
        self.lab.wait_for_vip(VIP4, "b", timeout=backup.master_down_interval() + MARGIN + 1)
        self.assertHolders(VIP4, {"a", "b"})
        # keepalived saw keepvip's password and rejected it by name.
        self.assertIn("invalid passwd", self.lab.log_text("b"))


if __name__ == "__main__":
    main()
