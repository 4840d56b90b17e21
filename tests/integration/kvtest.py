"""Shared scaffolding for the namespace integration tests.

Each test gets a fresh Lab (the keepvip_lab package, tests/lab/); when a test fails or errors,
the daemons' logs are printed under it. `main()` exits 77 (CTest's skip code)
when the machine cannot run the lab or keepvipd is not built.
"""

from __future__ import annotations

import re
import sys
import time
import unittest

from keepvip_lab import (
    MARGIN,
    SKIP_EXIT_CODE,
    STARTUP,
    Instance,
    Lab,
    LabUnavailable,
    check_environment,
    find_keepvipd,
    render_config,
    skip_exit,
    vip_address,
)

__all__ = ["Instance", "LabTestCase", "MARGIN", "STARTUP", "main", "render_config", "vip_address"]


VIP4 = "192.0.2.100"
VIP6 = "2001:db8::100"


class LabTestCase(unittest.TestCase):
    hosts: tuple[str, ...] = ("a", "b")
    uplinks = False

    def setUp(self) -> None:
        self.lab = Lab(self.hosts, uplinks=self.uplinks)
        self.lab.up()
        self.addCleanup(self.lab.close)

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        bad_before = len(result.failures) + len(result.errors)
        try:
            outcome = super().run(result)
        except KeyboardInterrupt:
            # unittest skips the cleanups when interrupted; the lab must not leak.
            if getattr(self, "lab", None):
                self.lab.close()
            raise
        if len(result.failures) + len(result.errors) > bad_before and getattr(self, "lab", None):
            sys.stderr.write(f"\n===== daemon logs for {self.id()} =====\n")
            self.lab.dump_logs()
        return outcome

    # ------------------------------------------------------------ daemons
    def keepvip(self, host: str, *instances: Instance, **kwargs) -> None:
        self.lab.start_keepvip(host, render_config(*instances, router_id=f"kv-{host}"), **kwargs)

    def keepalived(self, host: str, *instances: Instance) -> None:
        self.lab.start_keepalived(host, render_config(*instances, router_id=f"ka-{host}"))

    # ------------------------------------------------------------ assertions
    def assertHolders(self, vip: str, expected: set[str], window: float = 1.0) -> None:
        """Exactly `expected` hold vip, unchanged during a rest window (so never two at rest)."""
        settled = self.lab.settled_holders(vip, window)
        self.assertEqual(settled, set(expected), f"{vip} held by {sorted(settled)}")
        self.assertEqual(settled, self.lab.vip_holders(vip), "netlink and `ip addr` disagree")

    def assertTakeover(self, vip: str, host: str, since: float, bound: float, what: str) -> float:
        """host holds vip within `bound` s (+ MARGIN) of `since`; returns the ms it took."""
        try:
            ms = self.lab.wait_for_vip(vip, host, timeout=bound + MARGIN + 3, since=since)
        except TimeoutError as e:
            self.fail(f"{what}: {e}")
        self.assertLessEqual(ms, (bound + MARGIN) * 1000,
                             f"{what}: took {ms:.0f} ms, bound {bound * 1000:.0f} ms + margin "
                             f"{MARGIN * 1000:.0f} ms")
        sys.stderr.write(f"  {what}: {ms:.0f} ms (bound {bound * 1000:.0f} ms)\n")
        return ms

    def wait_master(self, vip: str, host: str, timeout: float) -> float:
        try:
            return self.lab.wait_for_vip(vip, host, timeout)
        except TimeoutError as e:
            self.fail(f"{host} never became master: {e}")

    def keepvip_states(self, host: str) -> list[str]:
        """The states keepvipd on host logged entering, in order (its transition lines)."""
        states = []
        for line in self.lab.log_text(host).splitlines():
            m = (re.search(r"NEW_STATE=([A-Z]+)", line) or re.search(r"-> ([A-Z]+)\b", line)
                 or re.search(r"Entering ([A-Z]+) STATE", line))
            if m:
                states.append(m.group(1))
        return states

    def stop_and_sleep(self, host: str, seconds: float) -> None:
        self.lab.stop(host)
        time.sleep(seconds)


def main(need_keepvipd: bool = True, need_keepalived: bool = True) -> None:
    """unittest.main, with exit 77 (CTest's skip) when the lab cannot run or any
    test skipped: a skip is never hidden behind the tests that passed.

    need_keepalived=False for themes that run keepvip only, so they run (and
    do not skip) on a machine without keepalived."""
    try:
        check_environment(need_keepalived=need_keepalived)
    except LabUnavailable as e:
        skip_exit(str(e))
    if need_keepvipd and find_keepvipd() is None:
        skip_exit("keepvipd is not built: set KEEPVIPD or build build/agent/keepvipd")
    try:
        program = unittest.main(exit=False, verbosity=2)
    except KeyboardInterrupt as stop:
        print(f"\n{stop}: stopped, lab cleaned up", file=sys.stderr)
        sys.exit(128 + getattr(stop, "signum", 2))
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.skipped:
        for test, reason in result.skipped:
            print(f"SKIP: {test.id()}: {reason}", file=sys.stderr)
        sys.exit(SKIP_EXIT_CODE)
    sys.exit(0)
