#!/usr/bin/env python3
"""keepvipd as the shipped keepvipd.service on two keepvip hosts, each in its
own systemd user manager with a busybox httpd.service (tracked with
track_unit) and a web.service that follows mastership (master_units), the
systemd-native replacement for the seed's check_apache.sh and notify.sh.

The unit runs as shipped (Type=notify, WatchdogSec=, the sandbox, BPF guard);
only what a user manager forces is changed, as tests/packaging/service_test.sh
does: paths of the binaries, config and runtime directory; output to a file;
ReadWritePaths= for the runtime directory; ProtectHome=tmpfs with the
manager's notify socket (and here its bus socket) bound back in; and --user
so keepvipd serves org.keepvip1 and follows units on that host's user bus.

One walk through the life of the pair, asserting at each step who holds the
VIP (exactly one host at rest), what systemd says about the units, and what
org.keepvip1 says about the instance:
  start    keepvipd.service active (READY=1); web.service runs on the master only;
           busctl/keepvipctl State agrees with the VIP check
  kill     httpd SIGKILLed on the master: the peer takes the VIP within its skew
           time, web.service moves with it, PropertiesChanged(State) is seen
           on both buses; OnFailure=keepvip-fault@%n.service reports it too
  restart  httpd back: the higher priority preempts within master-down, web.service
           moves back
  watchdog keepvipd never restarted, same main pid, over more than 2 x WatchdogSec
  crash    keepvipd SIGKILLed on the master: ExecStopPost=keepvipd --release
           removes the VIP and stops web.service there (the peer takes both
           over at once); Restart= brings keepvipd back and it preempts again
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

from keepvip_lab import MARGIN, STARTUP, USER_RUNTIME, Instance, LabUnavailable, Services
from kvtest import VIP4, LabTestCase, main


INTERVAL = 0.5
INSTANCE = "VI_1"
UNIT_PATH_ROOT = "/org/keepvip1/instance/"

HTTPD_UNIT = f"""[Unit]
Description=web server (busybox httpd)
OnFailure=keepvip-fault@%n.service
[Service]
ExecStart=/bin/busybox httpd -f -p 8080 -h {USER_RUNTIME}
"""
# Stands for what the seed's notify.sh starts on MASTER and stops otherwise.
WEB_UNIT = """[Unit]
Description=what follows mastership (master_units)
[Service]
ExecStart=/bin/sleep infinity
"""


def bus_path_escape(name: str) -> str:
    """sd_bus_path_encode's escaping of one path element."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):02x}" for c in name)


def instance(priority: int) -> Instance:
    return Instance(name=INSTANCE, state="BACKUP", priority=priority, version=3,
                    advert_int=INTERVAL, vips=(f"{VIP4}/24",),
                    extra_lines=("track_unit {", "    httpd.service", "}",
                                 "master_units {", "    web.service", "}"))


@unittest.skipUnless(shutil.which("busybox"), "needs busybox (httpd.service)")
class SystemdService(LabTestCase):
    def setUp(self) -> None:
        super().setUp()
        try:
            self.services = Services(self.lab)
        except LabUnavailable as e:
            self.skipTest(str(e))
        # The units use the staged files until their managers are gone: the
        # lab closes first (close is idempotent), then the files go.
        self.addCleanup(self.services.close)
        self.addCleanup(self.lab.close)
        self.service_logs: dict[str, str] = {}
        self.monitors: dict[str, tuple[subprocess.Popen, str]] = {}
        self.addCleanup(self.stop_monitors)
        self.addCleanup(self.keep_service_logs)

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        bad_before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        if len(result.failures) + len(result.errors) > bad_before:
            for host, text in getattr(self, "service_logs", {}).items():
                sys.stderr.write(f"----- {host} -----\n{text}\n")
        return outcome

    def keep_service_logs(self) -> None:
        for host in self.hosts:
            text = self.services.log_text(host)
            if text:
                self.service_logs[f"keepvipd.service log on {host}"] = "\n".join(
                    text.splitlines()[-120:])
            if self.lab.hosts[host].manager is None:
                continue
            for unit in ("keepvipd.service", "httpd.service", "web.service",
                         "keepvip-fault@httpd.service.service"):
                out = self.bus(host, "systemctl", "--user", "status", "--no-pager", "-n", "0",
                               unit, check=False)
                self.service_logs[f"systemctl status {unit} on {host}"] = out

    # ------------------------------------------------------------ helpers
    def bus(self, host: str, *cmd: str, check: bool = True) -> str:
        try:
            return self.services.run(host, *cmd, check=check, timeout=20)
        except RuntimeError as e:
            self.fail(str(e))

    def unit_prop(self, host: str, unit: str, prop: str) -> str:
        return self.bus(host, "systemctl", "--user", "show", "-p", prop, "--value", unit)

    def active(self, host: str, unit: str) -> str:
        return self.services.active(host, unit)

    def bus_state(self, host: str) -> str:
        out = self.bus(host, "busctl", "--user", "get-property", "org.keepvip1",
                       UNIT_PATH_ROOT + bus_path_escape(INSTANCE), "org.keepvip1.Instance", "State")
        m = re.fullmatch(r's "([A-Z]+)"', out)
        self.assertIsNotNone(m, f"busctl get-property State on {host}: {out!r}")
        return m.group(1)

    def ctl_state(self, host: str) -> str:
        table = self.bus(host, os.path.join(self.services.work, "keepvipctl"), "--user", "status")
        for line in table.splitlines()[1:]:
            fields = line.split()
            if fields and fields[0] == INSTANCE:
                return fields[1]
        self.fail(f"keepvipctl status on {host} has no {INSTANCE} row:\n{table}")

    def assertStates(self, expected: dict[str, str], what: str) -> None:
        """org.keepvip1 (busctl) and keepvipctl status agree with the VIP check."""
        for host, state in expected.items():
            self.assertEqual(self.bus_state(host), state, f"{what}: busctl State on {host}")
            self.assertEqual(self.ctl_state(host), state, f"{what}: keepvipctl status on {host}")

    def assertUnitsFollow(self, master: str, backup: str, what: str, timeout: float) -> float:
        """web.service active on master and inactive on backup within timeout; returns seconds."""
        start = time.monotonic()
        while True:
            now = {master: self.active(master, "web.service"),
                   backup: self.active(backup, "web.service")}
            if now == {master: "active", backup: "inactive"}:
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                self.fail(f"{what}: web.service should run on {master} only, systemd says {now}")
            time.sleep(0.05)

    def start_monitor(self, host: str) -> None:
        out = os.path.join(self.services.work, f"monitor-{host}.json")
        match = ("type='signal',interface='org.freedesktop.DBus.Properties',"
                 "member='PropertiesChanged',path_namespace='/org/keepvip1'")
        with open(out, "w") as f:
            proc = subprocess.Popen(
                self.lab.bus_command(host, ["busctl", "--user", "--json=short", "monitor",
                                            f"--match={match}"]),
                stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.monitors[host] = (proc, out)

    def stop_monitors(self) -> None:
        for proc, _ in self.monitors.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    def monitored_states(self, host: str) -> list[str]:
        """The State values in the instance's PropertiesChanged signals seen so far."""
        _, path = self.monitors[host]
        states = []
        with open(path, errors="replace") as f:
            for line in f:
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                if (msg.get("member") != "PropertiesChanged"
                        or msg.get("path") != UNIT_PATH_ROOT + bus_path_escape(INSTANCE)):
                    continue
                iface, changed, invalidated = msg["payload"]["data"]
                if iface != "org.keepvip1.Instance":
                    continue
                if "State" in changed:
                    states.append(changed["State"]["data"])
                elif "State" in invalidated:
                    states.append("(invalidated)")
        return states

    def wait_monitored(self, host: str, state: str, timeout: float = 2.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            seen = self.monitored_states(host)
            if state in seen:
                return seen
            if time.monotonic() > deadline:
                self.fail(f"busctl monitor on {host}: no PropertiesChanged with State={state}; "
                          f"saw {seen}")
            time.sleep(0.05)

    # ------------------------------------------------------------ the test
    def test_pair_as_notify_units_follows_httpd(self):
        a, b = instance(150), instance(100)
        for host, inst in (("a", a), ("b", b)):
            self.services.add_keepvip(host, f"global_defs {{\n    router_id kv-{host}\n}}\n\n"
                                      f"{inst.render()}",
                                      {"httpd.service": HTTPD_UNIT, "web.service": WEB_UNIT})
            self.bus(host, "systemctl", "--user", "start", "httpd.service")
            self.assertEqual(self.active(host, "httpd.service"), "active")

        # --- start: Type=notify, so `start` returns once keepvipd said READY=1.
        started = time.monotonic()
        self.bus("a", "systemctl", "--user", "start", "keepvipd.service")
        self.wait_master(VIP4, "a", timeout=a.master_down_interval() + STARTUP + 3)
        self.bus("b", "systemctl", "--user", "start", "keepvipd.service")
        main_pids = {}
        for host in ("a", "b"):
            self.assertEqual(self.active(host, "keepvipd.service"), "active",
                             f"keepvipd.service on {host} after start")
            self.assertTrue(self.unit_prop(host, "keepvipd.service", "StatusText"),
                            f"keepvipd on {host} sent no STATUS=")
            self.assertEqual(self.unit_prop(host, "keepvipd.service", "WatchdogUSec"), "5s")
            main_pids[host] = self.unit_prop(host, "keepvipd.service", "MainPID")
        self.assertHolders(VIP4, {"a"}, window=b.master_down_interval() + MARGIN)
        self.assertUnitsFollow("a", "b", "after start", timeout=2)
        self.assertStates({"a": "MASTER", "b": "BACKUP"}, "after start")

        # --- httpd killed on the master: FAULT there, the peer takes over.
        for host in ("a", "b"):
            self.start_monitor(host)
        time.sleep(0.3)  # the monitors are subscribed
        killed = time.monotonic()
        self.bus("a", "systemctl", "--user", "kill", "--signal=KILL", "httpd.service")
        self.assertTakeover(VIP4, "b", killed, b.skew_time(),
                            "httpd killed on the master: the backup takes the VIP")
        moved = self.assertUnitsFollow("b", "a", "after httpd failed on a", timeout=2)
        sys.stderr.write(f"  web.service followed {moved * 1000:.0f} ms after the VIP\n")
        self.assertHolders(VIP4, {"b"}, window=a.master_down_interval() + MARGIN)
        self.assertEqual(self.active("a", "httpd.service"), "failed")
        self.assertStates({"a": "FAULT", "b": "MASTER"}, "httpd failed on a")
        self.wait_monitored("a", "FAULT")
        self.wait_monitored("b", "MASTER")

        # OnFailure=keepvip-fault@%n.service ran and keepvipd took the report.
        fault = "keepvip-fault@httpd.service.service"
        deadline = time.monotonic() + 5
        while (self.unit_prop("a", fault, "ExecMainStartTimestampMonotonic") in ("", "0")
               or self.unit_prop("a", fault, "ActiveState") == "activating"):
            if time.monotonic() > deadline:
                self.fail(f"{fault} did not run to its end: ActiveState="
                          f"{self.unit_prop('a', fault, 'ActiveState')}")
            time.sleep(0.05)
        self.assertEqual(self.unit_prop("a", fault, "Result"), "success", fault)
        self.assertEqual(self.unit_prop("a", fault, "ExecMainStatus"), "0", fault)
        with open(self.services.log_path("a"), errors="replace") as f:
            self.assertRegex(f.read(), r"unit httpd\.service failed \(reported\): VI_1",
                             "keepvipd did not log the OnFailure report")
        self.assertEqual(self.ctl_state("a"), "FAULT")

        # --- httpd back: a (150) preempts b (100).
        restarted = time.monotonic()
        self.bus("a", "systemctl", "--user", "start", "httpd.service")
        ms = self.lab.wait_for_holders(VIP4, {"a"}, since=restarted,
                                       timeout=a.master_down_interval() + 3)
        self.assertLessEqual(ms, (a.master_down_interval() + MARGIN) * 1000,
                             "httpd back: a should preempt within one master-down interval")
        sys.stderr.write(f"  preempt after httpd restart: {ms:.0f} ms "
                         f"(bound {a.master_down_interval() * 1000:.0f} ms)\n")
        self.assertUnitsFollow("a", "b", "after httpd restart", timeout=2)
        self.assertHolders(VIP4, {"a"}, window=b.master_down_interval() + MARGIN)
        self.assertStates({"a": "MASTER", "b": "BACKUP"}, "after httpd restart")
        self.wait_monitored("a", "MASTER")
        self.wait_monitored("b", "BACKUP")

        # --- watchdog: served all along, over more than 2 x WatchdogSec.
        remaining = 2 * 5 + 1 - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        for host in ("a", "b"):
            self.assertEqual(self.active(host, "keepvipd.service"), "active", host)
            self.assertEqual(self.unit_prop(host, "keepvipd.service", "NRestarts"), "0",
                             f"keepvipd.service on {host} was restarted")
            self.assertEqual(self.unit_prop(host, "keepvipd.service", "MainPID"), main_pids[host],
                             f"keepvipd on {host} is not the process that started")
        self.assertHolders(VIP4, {"a"}, window=0.5)

        # --- crash: the hand-over hook releases what the dead agent held.
        log_a = self.services.log_path("a")
        killed = time.monotonic()
        self.bus("a", "systemctl", "--user", "kill", "--signal=KILL", "keepvipd.service")
        # The bound adds the hook's own start: systemd notices the death and
        # sets up the sandboxed ExecStopPost= before the priority-0 advert.
        self.assertTakeover(VIP4, "b", killed, b.skew_time() + 0.5,
                            "keepvipd killed on the master: the hook's priority 0 hands over")

        def log_of_a() -> str:
            with open(log_a) as f:
                return f.read()

        # Stopped by the hook, not by the restarted agent entering BACKUP: web.service
        # is seen inactive while keepvipd has not been restarted yet (RestartSec=1s).
        deadline = time.monotonic() + 5
        while self.active("a", "web.service") != "inactive":
            if time.monotonic() > deadline:
                self.fail("web.service kept running on the dead master")
            time.sleep(0.02)
        self.assertEqual(self.unit_prop("a", "keepvipd.service", "NRestarts"), "0",
                         "web.service stopped only once keepvipd was back: the hook did not")
        while "stopping web.service (master_units)" not in log_of_a():
            if time.monotonic() > deadline:
                self.fail("keepvipd --release did not stop web.service on the dead master")
            time.sleep(0.05)
        self.assertUnitsFollow("b", "a", "after the crash hand-over", timeout=2)
        ms = self.lab.wait_for_holders(VIP4, {"a"}, since=killed,
                                       timeout=1 + STARTUP + a.master_down_interval() + 3)
        sys.stderr.write(f"  crash: VIP back on a after its restart, {ms:.0f} ms after the kill\n")
        self.assertUnitsFollow("a", "b", "after keepvipd restarted", timeout=2)
        self.assertEqual(self.unit_prop("a", "keepvipd.service", "NRestarts"), "1")


if __name__ == "__main__":
    main(need_keepalived=False)
