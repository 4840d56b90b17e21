#!/usr/bin/env python3
"""Split-brain detection by keepvipd with the BPF guard, against keepalived
2.2.7: the seed's mismatched virtual_router_id, mismatched passwords, another
VRRP version and a rogue host announcing the VIP (gratuitous ARP for IPv4, an
unsolicited Neighbor Advertisement for IPv6) are each reported within 3 advert
intervals of the second master appearing, and end after the quiet period once
it is gone; normal failovers, failbacks, restarts and preemption raise nothing.

Each case asserts the evidence its cause produces, named, from the offender's
address (and VRID), as `keepvipctl split-brain` prints it over D-Bus while the
split is live, not just that some alarm went off: a second master also
announces the VIP (an arp-conflict), so an alarm alone would not tell whether
the guard saw the mismatch at all.

A keepalived 2.2.7 master re-arms its advert timer whenever it reads a packet
for its instance, valid or not (vrrp_dispatcher_read calls
vrrp_init_instance_sands unless lower_prio_no_advert is set), so while it
hears our adverts with a wrong password or version every interval it sends
none of its own: as in the seed, the second master's only trace is its claim
of the VIP. The mismatch cases therefore give keepalived lower_prio_no_advert
(the RFC behaviour, implied by vrrp_strict), so it advertises and the named
mismatch can be seen; test_seed_password_mismatch keeps the seed's config.
"""

import re
import time

from keepvip_lab import MARGIN, Instance, send_garp, send_unsolicited_na
from kvtest import VIP4, VIP6, LabTestCase, main


INTERVAL = 1.0
QUIET = 3  # split_brain_quiet, so the end is seen quickly
DETECT = 3 * INTERVAL + MARGIN
# The claim of our VIP by the second master itself: evidence of the same split.
CLAIMS = ("arp-conflict", "na-conflict")


def instance(state: str, priority: int, vrid: int = 51, password: str | None = "1111",
             version: int | None = None, keepvip: bool = False,
             vip: str = f"{VIP4}/24", extra: tuple[str, ...] = ()) -> Instance:
    if keepvip:
        extra += (f"split_brain_quiet {QUIET}",)
    return Instance(state=state, priority=priority, vrid=vrid, advert_int=INTERVAL,
                    auth_pass=password if version != 3 else None, version=version,
                    vips=(vip,), extra_lines=extra)


def evidence_lines(report: str) -> list[str]:
    """The evidence lines of `keepvipctl split-brain` ("  KIND from ..." / "  KIND: ...")."""
    return [line.strip() for line in report.splitlines()
            if re.match(r"^  [a-z-]+(:| from )", line)]


class SplitBrain(LabTestCase):
    hosts = ("a", "b", "r")

    def split_brain_lines(self, host: str, what: str = "split brain:") -> list[str]:
        return [line for line in self.lab.log_text(host).splitlines() if what in line]

    def wait_for_log(self, host: str, what: str, timeout: float) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.split_brain_lines(host, what):
                return time.monotonic() - start
            time.sleep(0.02)
        self.fail(f"{host} did not log {what!r} within {timeout:.1f} s")

    def start_guarded_master(self, inst: Instance, vip: str) -> None:
        """keepvip with the guard on a, MASTER, with a bus for keepvipctl."""
        self.lab.start_session_bus("a")
        self.keepvip("a", inst, bpf=True)
        self.wait_master(vip, "a", timeout=3 * INTERVAL + 3)

    def keepvip_master_then(self, second_master: Instance) -> None:
        """keepvip master on a; keepalived on b configured so it cannot hear a."""
        self.start_guarded_master(instance("MASTER", 150, keepvip=True), VIP4)
        self.keepalived("b", second_master)
        self.lab.wait_for_vip(VIP4, "b", timeout=second_master.master_down_interval() + 3)

    def split_brain_report(self) -> str:
        proc = self.lab.keepvipctl("a", "split-brain")
        self.assertEqual(proc.returncode, 0, f"keepvipctl split-brain: {proc.stderr}")
        return proc.stdout

    def assert_evidence(self, kind: str, offender: str, detail: str = "") -> list[str]:
        """During the split, `keepvipctl split-brain` on a says SPLIT BRAIN and
        lists `kind` from `offender` (with `detail`, e.g. the VRID); anything
        else it lists is the same offender claiming the VIP. Waits up to two
        advert intervals after the alarm for the evidence to be published."""
        deadline = time.monotonic() + 2 * INTERVAL + MARGIN
        while True:
            report = self.split_brain_report()
            lines = evidence_lines(report)
            named = [line for line in lines
                     if line.startswith(f"{kind} ") or line.startswith(f"{kind}:")]
            if "SPLIT BRAIN" in report and any(offender in line and detail in line
                                               for line in named):
                break
            if time.monotonic() > deadline:
                self.fail(f"keepvipctl split-brain does not name {kind} from {offender} "
                          f"{detail}:\n{report}")
            time.sleep(0.1)
        print(f"  keepvipctl split-brain:\n{report.rstrip()}")
        others = [line for line in lines if not line.startswith(kind)]
        for line in others:
            self.assertTrue(line.startswith(CLAIMS), f"unexpected evidence: {line}\n{report}")
        return lines

    def assert_detected(self, kind: str, detail: str = "") -> None:
        took = self.wait_for_log("a", "split brain:", DETECT)
        print(f"  alarm {took * 1000:.0f} ms after b became master: "
              f"{self.split_brain_lines('a')[0][:160]}")
        self.assert_evidence(kind, self.lab.host("b").addr4, detail)
        # The other master goes away: the alarm ends after the quiet period.
        self.lab.stop("b", graceful=False)
        self.wait_for_log("a", "split brain over", QUIET + 3 * INTERVAL + MARGIN)
        self.assertEqual(len(self.split_brain_lines("a")), 1, "started once")
        self.assertIn("no split brain", self.split_brain_report())

    def test_seed_virtual_router_id_mismatch(self):
        self.keepvip_master_then(instance("BACKUP", 100, vrid=52))
        self.assert_detected("vrid-mismatch", "VRID 52")

    def test_password_mismatch(self):
        self.keepvip_master_then(instance("BACKUP", 100, password="2222",
                                          extra=("lower_prio_no_advert",)))
        self.assert_detected("auth-mismatch", "VRID 51")

    def test_seed_password_mismatch(self):
        # The seed's config: keepalived hears our adverts, logs the seed's
        # line, takes the VIP and falls silent; its claim names it.
        self.keepvip_master_then(instance("BACKUP", 100, password="2222"))
        took = self.wait_for_log("a", "split brain:", DETECT)
        print(f"  alarm {took * 1000:.0f} ms after b became master")
        self.assertIn("received an invalid passwd!", self.lab.log_text("b"))
        self.assert_evidence("arp-conflict", VIP4, self.lab.host("b").mac)

    def test_version_mismatch(self):
        self.keepvip_master_then(instance("BACKUP", 100, version=3,
                                          extra=("lower_prio_no_advert",)))
        self.assert_detected("version-mismatch", "VRID 51")

    def test_rogue_gratuitous_arp(self):
        self.start_guarded_master(instance("MASTER", 150, keepvip=True), VIP4)
        # Sender address = the VIP, from r's MAC: r claims the address.
        send_garp(self.lab, "r", VIP4)
        took = self.wait_for_log("a", "split brain:", DETECT)
        self.assertIn("arp-conflict", self.split_brain_lines("a")[0])
        print(f"  detected {took * 1000:.0f} ms after the last GARP")
        lines = self.assert_evidence("arp-conflict", VIP4, self.lab.host("r").mac)
        self.assertEqual(len(lines), 1, lines)

    def test_rogue_unsolicited_neighbor_advertisement(self):
        inst = instance("MASTER", 150, version=3, keepvip=True, vip=f"{VIP6}/64")
        self.start_guarded_master(inst, VIP6)
        # Target = the IPv6 VIP, Override set, r's MAC as the link-layer address.
        send_unsolicited_na(self.lab, "r", VIP6)
        took = self.wait_for_log("a", "split brain:", DETECT)
        self.assertIn("na-conflict", self.split_brain_lines("a")[0])
        print(f"  detected {took * 1000:.0f} ms after the last NA")
        lines = self.assert_evidence("na-conflict", VIP6, self.lab.host("r").mac)
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(self.lab.holds("a", VIP6), "a claim alone must not move the VIP")
        self.wait_for_log("a", "split brain over", QUIET + 3 * INTERVAL + MARGIN)

    def test_failover_failback_and_restarts_raise_nothing(self):
        self.keepvip("a", instance("MASTER", 150, keepvip=True), bpf=True)
        self.keepalived("b", instance("BACKUP", 100))
        self.wait_master(VIP4, "a", timeout=3 * INTERVAL + 3)
        for graceful in (True, False):
            self.lab.stop("a", graceful=graceful)  # failover to keepalived
            self.lab.wait_for_vip(VIP4, "b", timeout=4 * INTERVAL + 3)
            self.keepvip("a", instance("MASTER", 150, keepvip=True), bpf=True)  # preempts back
            self.lab.wait_for_holders(VIP4, {"a"}, timeout=4 * INTERVAL + 3)
        self.lab.stop("b")  # the backup restarts
        self.keepalived("b", instance("BACKUP", 100))
        time.sleep(3 * INTERVAL + 1)
        self.assertEqual(self.split_brain_lines("a"), [])

    def test_backup_through_failover_and_preemption_raises_nothing(self):
        self.keepalived("a", instance("MASTER", 150))
        self.keepvip("b", instance("BACKUP", 100, keepvip=True), bpf=True)
        self.wait_master(VIP4, "a", timeout=3 * INTERVAL + 3)
        for graceful in (True, False, True):
            self.lab.stop("a", graceful=graceful)
            self.lab.wait_for_vip(VIP4, "b", timeout=4 * INTERVAL + 3)
            if not graceful:
                self.lab.flush_vip("a", f"{VIP4}/24")  # what a SIGKILLed keepalived leaves
            self.keepalived("a", instance("MASTER", 150))
            self.lab.wait_for_holders(VIP4, {"a"}, timeout=4 * INTERVAL + 3)
        time.sleep(2 * INTERVAL)
        self.assertEqual(self.split_brain_lines("b"), [])


if __name__ == "__main__":
    main()
