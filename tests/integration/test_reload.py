#!/usr/bin/env python3
"""SIGHUP reload next to keepalived 2.2.7: an unchanged instance keeps its
mastership and its VIP throughout; a reload that lowers the priority below the
peer's hands the VIP over."""

import time

from kvtest import MARGIN, VIP4, Instance, LabTestCase, main, render_config

INTERVAL = 0.5


def v3(state: str, priority: int) -> Instance:
    return Instance(state=state, priority=priority, version=3, advert_int=INTERVAL,
                    vips=(f"{VIP4}/24",))


class Reload(LabTestCase):
    def test_reload_keeps_and_then_gives_up_mastership(self):
        master, peer = v3("MASTER", 150), v3("BACKUP", 100)
        self.keepvip("a", master)
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + 3)
        self.keepalived("b", peer)
        self.assertHolders(VIP4, {"a"}, window=peer.master_down_interval() + MARGIN)

        # Unchanged config: the VIP must not blink, not even for one poll.
        self.lab.signal("a", 1)  # SIGHUP
        self.assertHolders(VIP4, {"a"}, window=peer.master_down_interval() + MARGIN)
        self.assertTrue(self.lab.running("a"), "keepvipd died on SIGHUP")

        # Lower priority than the peer: with preemption the peer takes over.
        conf = self.lab.host("a").daemon.conf_path
        with open(conf, "w") as f:
            f.write(render_config(v3("MASTER", 50), router_id="kv-a"))
        reloaded = time.monotonic()
        self.lab.signal("a", 1)
        self.lab.wait_for_holders(VIP4, {"b"}, since=reloaded,
                                  timeout=peer.master_down_interval() + MARGIN + 2)
        self.assertHolders(VIP4, {"b"}, window=master.master_down_interval() + MARGIN)


if __name__ == "__main__":
    main()
