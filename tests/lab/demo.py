#!/usr/bin/env python3
"""The keepvip demo: a narrated namespace lab (run through scripts/demo.sh).

Three hosts on one LAN share VIP 192.0.2.100 in virtual router 51, configured
as in the keepalived walkthrough (VRRPv2, advert_int 1, PASS auth):
  kv1  keepvipd    priority 150  (state MASTER)
  kv2  keepvipd    priority 100
  ka   keepalived  priority 50   (an unmigrated node)
Each keepvip host runs a systemd user manager with an httpd.service unit that
keepvip tracks (`track_unit`, instead of the seed's check_apache.sh), and
keepvipd's D-Bus API on that manager's bus (`keepvipctl --user`).
Steps: election; httpd failing on the master and coming back; failover when
the master stops, preemption when it returns; then the walkthrough's
split-brain experiment (the keepalived node configured with another
virtual_router_id) and keepvip's alarm. Everything is removed at the end, on
Ctrl-C too.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

from keepvip_lab import (REPO_ROOT, Instance, Lab, LabUnavailable, check_environment, find_keepvipd,
                         render_config)

VIP = "192.0.2.100"
KEEPVIP_HOSTS = ("kv1", "kv2")
HOSTS = ("kv1", "kv2", "ka")
PRIORITY = {"kv1": 150, "kv2": 100, "ka": 50}

BOLD, DIM, RESET = ("\033[1m", "\033[2m", "\033[0m") if sys.stdout.isatty() else ("", "", "")


class Narrator:
    def __init__(self, step_mode: bool, pause: float):
        self.step_mode = step_mode
        self.pause_s = pause
        self.number = 0

    def step(self, title: str, text: str = "") -> None:
        self.number += 1
        print(f"\n{BOLD}== {self.number}. {title}{RESET}")
        if text:
            print(text)

    def say(self, text: str) -> None:
        print(text)

    def show_command(self, cmd: list[str], env: dict[str, str] | None = None,
                     shown: str | None = None) -> None:
        print(f"{DIM}$ {shown or ' '.join(cmd)}{RESET}")
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        out = (proc.stdout + proc.stderr).rstrip()
        if out:
            print(out)

    def pause(self) -> None:
        if self.step_mode:
            input(f"{DIM}[Enter for the next step]{RESET}")
        else:
            time.sleep(self.pause_s)


# The seed's httpd, as a unit of the host's systemd user manager.
HTTPD_UNIT = """[Unit]
Description=web server (busybox httpd)
[Service]
ExecStart=/bin/busybox httpd -f -p 8080 -h /run/user/0
"""


def instance(host: str, vrid: int = 51, track_httpd: bool = False) -> Instance:
    # track_unit replaces the seed's check_apache.sh: keepvip hears httpd fail
    # from systemd instead of polling `ps | grep` every second.
    extra = ("track_unit {", "    httpd.service", "}") if track_httpd else ()
    return Instance(state="MASTER" if host == "kv1" else "BACKUP", priority=PRIORITY[host],
                    vrid=vrid, advert_int=1, auth_pass="1111", vips=(f"{VIP}/24",),
                    extra_lines=extra)


def user_managers_available() -> bool:
    return os.access("/lib/systemd/systemd", os.X_OK) and shutil.which("busybox") is not None


def _run_quiet(cmd: list[str]) -> None:
    subprocess.run(cmd, capture_output=True, text=True)


class Demo:
    def __init__(self, lab: Lab, narrator: Narrator, keepvipctl: str | None, bpf: bool,
                 units: bool):
        self.lab = lab
        self.n = narrator
        self.keepvipctl = keepvipctl
        self.bpf = bpf
        self.units = units  # keepvip hosts run a systemd user manager with httpd.service

    def has_bus(self, host: str) -> bool:
        return self.lab.host(host).bus_address is not None

    def on_bus(self, host: str, cmd: list[str]) -> None:
        """Shows cmd run against host's bus (as an admin on that host would type it)."""
        shown = " ".join(["keepvipctl" if cmd[0] == self.keepvipctl else cmd[0], *cmd[1:]])
        self.n.show_command(self.lab.bus_command(host, cmd), shown=f"[{host}] {shown}")

    def setup_bus(self, host: str) -> None:
        if self.units:
            self.lab.start_user_manager(host, {"httpd.service": HTTPD_UNIT})
            _run_quiet(self.lab.bus_command(host, ["systemctl", "--user", "start", "httpd.service"]))
        elif self.keepvipctl and shutil.which("dbus-daemon"):
            self.lab.start_session_bus(host)

    # ------------------------------------------------------------ helpers
    def start(self, host: str, vrid: int = 51) -> None:
        conf = render_config(instance(host, vrid, track_httpd=self.units and host in KEEPVIP_HOSTS),
                             router_id=host)
        if host in KEEPVIP_HOSTS:
            self.lab.start_keepvip(host, conf, bpf=self.bpf)
            time.sleep(0.5)
            if self.bpf and not self.lab.running(host):
                self.n.say(f"{host}: keepvipd could not start with the BPF guard; running it without (--no-bpf)")
                self.bpf = False
                self.lab.start_keepvip(host, conf, bpf=False)
        else:
            self.lab.start_keepalived(host, conf)

    def show_holders(self) -> None:
        holders = sorted(self.lab.vip_holders(VIP))
        text = ", ".join(f"{h} ({self.lab.host(h).addr4})" for h in holders) or "nobody"
        self.n.say(f"{BOLD}VIP {VIP} is held by: {text}{RESET}")

    def show_addr(self, host: str) -> None:
        self.n.show_command(["ip", "-n", self.lab.host(host).ns, "-4", "addr", "show", "dev", "eth0"])

    def show_status(self, host: str) -> None:
        """Hook: what keepvip itself says about its instances (keepvipctl over D-Bus)."""
        if self.keepvipctl and self.has_bus(host):
            self.on_bus(host, [self.keepvipctl, "--user", "status"])
        else:
            self.show_log_lines(host, r"MASTER|BACKUP|FAULT", 3)

    def show_log_lines(self, host: str, pattern: str, count: int) -> list[str]:
        lines = [l for l in self.lab.log_text(host).splitlines() if re.search(pattern, l)]
        for line in lines[-count:]:
            self.n.say(f"{DIM}[{host} log]{RESET} {line}")
        return lines

    def show_split_brain_state(self, host: str) -> None:
        """HOOK (split-brain alarm): keepvip's view of the foreign master: its
        log line, then `keepvipctl check split-brain` (the zabbix
        UserParameter of the migration guide), the status table and the
        evidence (`keepvipctl split-brain`), when keepvipctl is built and the
        host has its bus."""
        lines = self.show_log_lines(host, r"(?i)split.brain|foreign", 2)
        if not lines:
            self.n.say(f"({host}: no split-brain line in keepvipd's log yet)")
        if self.keepvipctl and self.has_bus(host):
            self.on_bus(host, [self.keepvipctl, "--user", "check", "split-brain"])
            self.on_bus(host, [self.keepvipctl, "--user", "status"])
            self.on_bus(host, [self.keepvipctl, "--user", "split-brain"])

    def wait_alarm_cleared(self, host: str, timeout: float = 30) -> None:
        """The alarm ends after a quiet period without new evidence; wait for it."""
        if not (self.keepvipctl and self.has_bus(host)):
            return
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            proc = subprocess.run(self.lab.bus_command(host, [self.keepvipctl, "--user", "check",
                                                              "split-brain"]),
                                  capture_output=True, text=True)
            if proc.stdout.strip() == "0":
                self.n.say(f"split-brain alarm on {host} cleared after "
                           f"{time.monotonic() - started:.1f} s without new evidence")
                return
            time.sleep(0.5)
        self.n.say(f"split-brain alarm on {host} still raised after {timeout:.0f} s")

    def show_bus_objects(self, host: str) -> None:
        """HOOK (D-Bus API): the objects keepvipd publishes."""
        if self.has_bus(host) and shutil.which("busctl"):
            self.on_bus(host, ["busctl", "--user", "tree", "org.keepvip1"])

    def httpd_failure_step(self) -> None:
        """httpd.service fails on the master; track_unit moves the VIP, and
        bringing httpd back brings it back (the seed's check_apache.sh story)."""
        if not self.units:
            return
        n, lab = self.n, self.lab
        n.step("httpd fails on the master",
               "kv1 and kv2 track httpd.service (`track_unit`). Kill kv1's httpd: systemd marks it\n"
               "failed, keepvip hears it over D-Bus at once, goes FAULT and kv2 takes over.")
        killed = time.monotonic()
        self.on_bus("kv1", ["systemctl", "--user", "kill", "--signal=KILL", "httpd.service"])
        self.timed_move("kv2", killed, "httpd failure")
        self.show_holders()
        self.on_bus("kv1", ["systemctl", "--user", "is-active", "httpd.service"])
        self.show_status("kv1")
        n.pause()

        n.step("httpd is back", "Restart httpd on kv1: the instance leaves FAULT and preempts.")
        started = time.monotonic()
        self.on_bus("kv1", ["systemctl", "--user", "start", "httpd.service"])
        self.timed_move("kv1", started, "httpd back")
        self.show_holders()
        n.pause()

    def timed_move(self, to_host: str, since: float, what: str) -> None:
        try:
            ms = self.lab.wait_for_vip(VIP, to_host, timeout=15, since=since)
            self.n.say(f"{BOLD}{what}: VIP up on {to_host} after {ms:.0f} ms{RESET}")
        except TimeoutError as e:
            self.n.say(f"{what}: {e}")

    # -------------------------------------------------------------- steps
    def run(self) -> None:
        n, lab = self.n, self.lab
        n.step("The lab", "Three network namespaces on one bridge, as three servers on one LAN:\n" + "\n".join(
            f"  {h:<4} {lab.host(h).addr4:<12} {'keepvipd' if h in KEEPVIP_HOSTS else 'keepalived 2.2.7'}"
            f"  priority {PRIORITY[h]}" for h in HOSTS))
        n.say("They all read the same keepalived.conf dialect; kv1's file:")
        print(render_config(instance("kv1"), router_id="kv1"))
        n.pause()

        n.step("Election", "Start all three; the highest priority (kv1) must win.")
        started = time.monotonic()
        for host in HOSTS:
            if host in KEEPVIP_HOSTS:
                self.setup_bus(host)
            self.start(host)
        self.timed_move("kv1", started, "election")
        time.sleep(1)
        self.show_holders()
        self.show_addr("kv1")
        self.show_status("kv1")
        self.show_bus_objects("kv1")
        n.pause()

        self.httpd_failure_step()

        n.step("Failover", "Stop keepvipd on the master (SIGTERM, as `systemctl stop` does):\n"
               "it sends priority 0 and drops the VIP; kv2 takes over after its skew time (0.61 s).")
        sent = lab.stop("kv1", graceful=True, wait=False)
        self.timed_move("kv2", sent, "failover")
        lab.reap("kv1")
        self.show_holders()
        self.show_addr("kv2")
        n.pause()

        n.step("Failback", "Start kv1 again: it hears kv2's lower priority and preempts.")
        started = time.monotonic()
        self.start("kv1")
        self.timed_move("kv1", started, "preemption")
        time.sleep(1)
        self.show_holders()
        self.show_status("kv1")
        n.pause()

        n.step("Split brain, the walkthrough's experiment",
               "Reconfigure the keepalived node with virtual_router_id 52 instead of 51.\n"
               "It no longer hears router 51, believes no master exists and takes the VIP too.")
        lab.stop("ka")
        self.start("ka", vrid=52)
        try:
            lab.wait_for_vip(VIP, "ka", timeout=10)
        except TimeoutError as e:
            n.say(str(e))
        time.sleep(1)
        self.show_holders()
        self.show_addr("ka")
        n.say("keepalived alone sees nothing wrong; keepvip on kv1 sees a foreign master for its VIP:")
        self.show_split_brain_state("kv1")
        n.pause()

        n.step("Healing", "Give the keepalived node virtual_router_id 51 back; the alarm ends after a\n"
               "quiet period without new evidence.")
        lab.stop("ka")
        self.start("ka")
        try:
            lab.wait_for_holders(VIP, {"kv1"}, timeout=10)
        except TimeoutError as e:
            n.say(str(e))
        self.show_holders()
        self.wait_alarm_cleared("kv1")
        self.show_status("kv1")
        n.pause()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--step", action="store_true", help="wait for Enter between steps")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between steps (default 2)")
    parser.add_argument("--no-bpf", action="store_true", help="run keepvipd without its BPF guard")
    parser.add_argument("--no-units", action="store_true",
                        help="no systemd user managers (no httpd.service step)")
    args = parser.parse_args()

    try:
        check_environment()
    except LabUnavailable as e:
        print(f"demo: {e}", file=sys.stderr)
        return 1
    keepvipd = find_keepvipd()
    if keepvipd is None:
        print("demo: keepvipd is not built (scripts/demo.sh builds it)", file=sys.stderr)
        return 1
    keepvipctl = os.path.join(os.path.dirname(os.path.dirname(keepvipd)), "dbus", "keepvipctl")
    if not os.access(keepvipctl, os.X_OK):
        keepvipctl = os.path.join(REPO_ROOT, "build", "dbus", "keepvipctl")
    keepvipctl = keepvipctl if os.access(keepvipctl, os.X_OK) else None

    narrator = Narrator(args.step, args.pause)
    with Lab(list(HOSTS), keepvipd=keepvipd) as lab:
        try:
            units = not args.no_units and user_managers_available()
            Demo(lab, narrator, keepvipctl, bpf=not args.no_bpf, units=units).run()
        except Exception:
            print("\nThe demo stopped early; the daemons' last log lines:", file=sys.stderr)
            lab.dump_logs(tail=15)
            raise
        narrator.step("Cleaning up", "Stopping the daemons and deleting the namespaces.")
    print("Done.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as stop:
        print("\ninterrupted; the lab was cleaned up", file=sys.stderr)
        sys.exit(128 + getattr(stop, "signum", 2))
