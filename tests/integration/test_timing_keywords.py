#!/usr/bin/env python3
"""keepalived's timing keywords on the wire, keepvipd beside keepalived 2.2.7
where both have them:

- garp_lower_prio_repeat / garp_lower_prio_delay: a master that hears one
  advert of lower priority sends that many gratuitous ARPs at once and as
  many again after the delay (host c sends the advert and listens).
- vrrp_startup_delay: an address owner (priority 255), which otherwise
  claims at once, sends nothing until the delay has passed.
- interface_up_down_delays (keepvip): a carrier loss shorter than the down
  delay changes nothing; a longer one puts the master in FAULT once the
  delay has passed, not before.
"""

from __future__ import annotations

import concurrent.futures
import time

from keepvip_lab import MARGIN, STARTUP, Instance, render_config, send_vrrp_advert
from kvtest import VIP4, LabTestCase, main

DAEMONS = ("keepvip", "keepalived")


def v2(priority: int, *extra: str) -> Instance:
    return Instance(priority=priority, vips=(f"{VIP4}/24",), extra_lines=extra)


class TimingKeywords(LabTestCase):
    hosts = ("a", "c")

    def start(self, daemon: str, host: str, instance: Instance, global_lines=()) -> None:
        text = render_config(instance, router_id=f"{daemon}-{host}", global_lines=global_lines)
        if daemon == "keepvip":
            self.lab.start_keepvip(host, text)
        else:
            self.lab.start_keepalived(host, text)

    def fresh_lab(self) -> None:
        """A new lab for each daemon of a subTest loop after the first."""
        if getattr(self, "_lab_used", False):
            self.lab.close()
            self.setUp()
        self._lab_used = True

    # ------------------------------------------------------------ garp_lower_prio
    def test_a_master_reannounces_to_a_lower_priority_router(self):
        # One GARP on becoming master and no second burst, so that what
        # follows the lower advert stands alone.
        master = v2(150, "garp_master_repeat 1", "garp_master_delay 0",
                    "garp_lower_prio_repeat 2", "garp_lower_prio_delay 1")
        for daemon in DAEMONS:
            with self.subTest(daemon=daemon):
                self.fresh_lab()
                self.start(daemon, "a", master)
                self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + 3)
                time.sleep(0.5)
                with concurrent.futures.ThreadPoolExecutor(1) as pool:
                    capture = pool.submit(self.lab.capture_garps, "c", 3.0)
                    time.sleep(0.3)
                    sent = time.monotonic()
                    send_vrrp_advert(self.lab, "c", 51, 50, [VIP4])
                    garps = [t - sent for t, address in capture.result() if address == VIP4]
                at_once = [t for t in garps if t < 0.5]
                later = [t for t in garps if t >= 0.5]
                self.assertEqual(len(at_once), 2, f"{daemon}: GARPs after the advert: {garps}")
                self.assertEqual(len(later), 2, f"{daemon}: GARPs after the advert: {garps}")
                self.assertLess(max(at_once), 0.3, f"{daemon}: {garps}")
                for t in later:
                    self.assertGreaterEqual(t, 1.0 - 0.05, f"{daemon}: second burst early: {garps}")
                    self.assertLess(t, 1.0 + 0.3 + MARGIN, f"{daemon}: second burst late: {garps}")

    # ------------------------------------------------------------ vrrp_startup_delay
    def test_startup_delay_holds_back_even_the_address_owner(self):
        owner = Instance(state="MASTER", priority=255, vips=(f"{VIP4}/24",))
        delay = 2.0
        for daemon in DAEMONS:
            with self.subTest(daemon=daemon):
                self.fresh_lab()
                a_addr = self.lab.host("a").addr4
                with concurrent.futures.ThreadPoolExecutor(1) as pool:
                    capture = pool.submit(self.lab.capture_adverts, "c", delay + STARTUP + 2)
                    time.sleep(0.2)
                    started = time.monotonic()
                    self.start(daemon, "a", owner, global_lines=(f"vrrp_startup_delay {delay:g}",))
                    first = next((t - started for t, source, _ in capture.result()
                                  if source == a_addr), None)
                self.assertIsNotNone(first, f"{daemon}: never advertised")
                self.assertGreaterEqual(first, delay, f"{daemon}: advertised {first:.3f} s in")
                self.assertLess(first, delay + STARTUP + MARGIN,
                                f"{daemon}: advertised only {first:.3f} s in")
                if daemon == "keepvip":
                    self.assertIn("Delaying startup for 2 seconds", self.lab.log_text("a"))

    # ------------------------------------------------------------ interface_up_down_delays
    def test_interface_down_delay(self):
        down_delay = 1.5
        master = v2(150)
        self.lab.start_keepvip("a", render_config(master, router_id="kv-a") +
                               f"\ninterface_up_down_delays {{\n    eth0 {down_delay:g}\n}}\n")
        self.wait_master(VIP4, "a", timeout=master.master_down_interval() + STARTUP + 3)

        # Shorter than the delay: nothing happens.
        self.lab.carrier("a", False)
        time.sleep(0.7)
        self.lab.carrier("a", True)
        time.sleep(down_delay + 0.5)
        self.assertNotIn("FAULT", self.keepvip_states("a"))
        self.assertTrue(self.lab.holds("a", VIP4))
        self.assertIn("again within its delay: delayed change cancelled", self.lab.log_text("a"))

        # Longer: FAULT (the VIP released) once the delay has passed.
        down = time.monotonic()
        self.lab.carrier("a", False)
        try:
            released = self.lab.wait_for_release(VIP4, "a", timeout=down_delay + MARGIN + 3)
        finally:
            self.lab.carrier("a", True)
        released_ms = (released - down) * 1000
        self.assertGreaterEqual(released_ms, down_delay * 1000,
                                f"released {released_ms:.0f} ms after the carrier went")
        self.assertLess(released_ms, (down_delay + MARGIN) * 1000)
        self.assertIn("FAULT", self.keepvip_states("a"))


if __name__ == "__main__":
    main()
