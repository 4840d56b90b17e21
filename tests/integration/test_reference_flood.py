#!/usr/bin/env python3
"""reference_ip under a flood of forged echo replies.

Host r is the reference (the gateway). It stops answering pings, and at the
same time floods node a with echo replies that carry the id a's probe used
to have (its pid) and every recent sequence number. The probe must still
declare the reference lost on time (the flood neither fakes an answer nor
holds up the loop's timers), so a gives the VIP up and stays without it for
as long as the flood lasts.
"""

import subprocess
import time

from keepvip_lab import ICMP_REPLY_FLOOD, MARGIN, Instance
from kvtest import VIP4, LabTestCase, main

PROBE_INTERVAL = 0.2
FALL = 3
RISE = 2
FLOOD_SECONDS = 4.0
# The verdict needs FALL missed probes, the first of which may come a whole
# probe interval after the change.
LOST_TIME = (FALL + 1) * PROBE_INTERVAL
RISE_TIME = (RISE + 1) * PROBE_INTERVAL


class ReferenceFlood(LabTestCase):
    hosts = ("a", "r")

    def test_forged_replies_neither_keep_a_dead_reference_nor_delay_the_fault(self):
        reference = self.lab.host("r").addr4
        target = self.lab.host("a").addr4
        instance = Instance(state="MASTER", priority=150, version=3, advert_int=0.3,
                            vips=(f"{VIP4}/24",),
                            extra_lines=(f"reference_ip {reference}",
                                         f"reference_interval {PROBE_INTERVAL}",
                                         f"reference_fall {FALL}",
                                         f"reference_rise {RISE}"))
        self.keepvip("a", instance)
        self.wait_master(VIP4, "a", timeout=RISE_TIME + instance.master_down_interval() + 3)
        pid = self.lab.hosts["a"].daemon.pid

        flood = subprocess.Popen(
            self.lab.tool_command("r", ICMP_REPLY_FLOOD, target, "--id", str(pid), "--seqs", "1024",
                                  "--seconds", str(FLOOD_SECONDS), "--count", "1000000"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: flood.poll() is None and flood.kill())
        time.sleep(0.3)  # the flood is running before the reference goes quiet
        answered_before = self.answers_again()
        cut = time.monotonic()
        self.lab.exec("r", "sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=1")

        try:
            released = self.lab.wait_for_release(VIP4, "a", timeout=LOST_TIME + MARGIN + 3)
        except TimeoutError as e:
            self.fail(f"forged replies kept the dead reference alive: {e}")
        took = released - cut
        print(f"  a gave the VIP up {took * 1000:.0f} ms after the reference went quiet "
              f"(bound {LOST_TIME * 1000:.0f} ms + margin)")
        self.assertLessEqual(took, LOST_TIME + MARGIN,
                             "the flood delayed the verdict on a dead reference")
        # For the rest of the flood, no forged reply brings the reference back.
        while flood.poll() is None:
            self.assertFalse(self.lab.holds("a", VIP4), "a forged reply revived the reference")
            time.sleep(0.05)
        out, err = flood.communicate(timeout=5)
        self.assertEqual(flood.returncode, 0, out + err)
        sent = int(out.split()[1])
        print(f"  flood: {out.strip()}")
        self.assertGreater(sent, 20_000, f"the flooder sent too little to judge: {out}")
        self.assertFalse(self.lab.holds("a", VIP4))
        self.assertEqual(self.answers_again(), answered_before, "a believed a forged reply")
        self.assertTrue(self.lab.running("a"), "keepvipd died under the flood")

    def answers_again(self) -> int:
        return sum("answers again" in line for line in self.lab.log_text("a").splitlines())


if __name__ == "__main__":
    main()
