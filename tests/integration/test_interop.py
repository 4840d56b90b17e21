#!/usr/bin/env python3
"""keepvip and keepalived 2.2.7 in one VRRPv2 cluster, configured as the seed
configures it (advert_int 1, PASS authentication): each as master with the
other as backup, and a graceful stop handing the VIP over within the backup's
skew time."""

from keepvip_lab import MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

ADVERT = 1  # VRRPv2 advertises in whole seconds


def seed_instance(state: str, priority: int) -> Instance:
    return Instance(state=state, priority=priority, advert_int=ADVERT, auth_pass="1111",
                    vips=(VIP4,), vip_dev=False)


class InteropV2(LabTestCase):
    def test_keepvip_master_keepalived_backup(self):
        master, backup = seed_instance("MASTER", 150), seed_instance("BACKUP", 100)
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepalived("b", backup)
        # Longer than keepalived's master-down interval: had it not accepted
        # keepvip's adverts (checksum, auth, addresses) it would have taken over.
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)

        sent = self.lab.stop("a", graceful=True, wait=False)
        self.assertTakeover(VIP4, "b", sent, backup.skew_time(),
                            "keepalived takes over after keepvip's SIGTERM")
        self.assertEqual(self.lab.reap("a"), 0, "keepvipd should exit 0 on SIGTERM")
        self.assertHolders(VIP4, {"b"})

    def test_keepalived_master_keepvip_backup(self):
        master, backup = seed_instance("MASTER", 150), seed_instance("BACKUP", 100)
        self.keepalived("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepvip("b", backup)
        self.assertHolders(VIP4, {"a"}, window=backup.master_down_interval() + MARGIN)

        self.lab.stop("a", graceful=True, wait=False)
        # keepalived needs a while to shut down before it sends its priority-0
        # advert; keepvip's part starts when the master lets go of the VIP.
        released = self.lab.wait_for_release(VIP4, "a", timeout=5)
        self.assertTakeover(VIP4, "b", released, backup.skew_time(),
                            "keepvip takes over after keepalived's SIGTERM")
        self.lab.reap("a")
        self.assertHolders(VIP4, {"b"})


if __name__ == "__main__":
    main()
