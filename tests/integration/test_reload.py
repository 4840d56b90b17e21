#!/usr/bin/env python3
"""SIGHUP reload next to keepalived 2.2.7: an unchanged instance keeps its
mastership and its VIP throughout; a reload that lowers the priority below the
peer's hands the VIP over. A reload that moves every instance off an
interface takes the guard off it too."""

import time

from keepvip_lab import IFNAME, MARGIN, STARTUP, UPLINK, Instance, render_config
from kvtest import VIP4, LabTestCase, main


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


class ReloadLeavesUnusedInterfaces(LabTestCase):
    hosts = ("a",)
    uplinks = True

    def xdp_on(self, ifname: str) -> bool:
        return "prog/xdp" in self.lab.ip("a", "link", "show", "dev", ifname)

    def wait(self, what: str, done, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                self.fail(f"{what} within {timeout:.1f} s")
            time.sleep(0.05)

    def test_guard_leaves_an_interface_no_instance_uses(self):
        self.lab.ip("a", "addr", "add", "192.0.2.211/32", "dev", UPLINK)
        main_vi = v3("MASTER", 150)
        uplink_vi = Instance(name="VI_2", interface=UPLINK, vrid=52, version=3,
                             advert_int=INTERVAL, vips=("192.0.2.212/32",))
        self.keepvip("a", main_vi, uplink_vi, bpf=True)
        self.wait("guard on both interfaces",
                  lambda: self.xdp_on(IFNAME) and self.xdp_on(UPLINK), STARTUP + 2)

        with open(self.lab.host("a").daemon.conf_path, "w") as f:
            f.write(render_config(main_vi, router_id="kv-a"))
        self.lab.signal("a", 1)  # SIGHUP
        self.wait(f"guard gone from {UPLINK} after the reload",
                  lambda: not self.xdp_on(UPLINK), STARTUP + 2)
        self.assertTrue(self.xdp_on(IFNAME), f"the guard must stay on {IFNAME}")
        self.assertIn(f"guard detached from {UPLINK}", self.lab.log_text("a"))
        self.assertTrue(self.lab.running("a"))


if __name__ == "__main__":
    main()
