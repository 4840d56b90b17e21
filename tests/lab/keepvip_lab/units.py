"""The daemons as systemd services on lab hosts, each host in its own user manager.

    services = Services(lab)                 # stages keepvipd/keepvipctl where a sandbox sees them
    services.add_keepvip("a", conf_text, extra_units={"web.service": WEB_UNIT})
    services.add_keepalived("b", conf_text)
    services.start("a"); services.start("b")
    services.kill("a")                       # systemctl --user kill --signal=SIGKILL
    services.close()                         # after the lab (it removes the staged files)

keepvipd runs as the shipped units/keepvipd.service (Type=notify, watchdog,
the sandbox, BPF guard, ExecStopPost=keepvipd --release, Restart=on-failure)
with only what a user manager forces changed: the paths of the binaries,
config and runtime directory; output to a file; ReadWritePaths= for the
runtime directory; ProtectHome=tmpfs with the manager's notify and bus sockets
bound back in; and --user, so keepvipd serves org.keepvip1 and follows units
on that host's user bus. keepalived runs as the distributions ship its unit
(Debian 12 and RHEL 9 alike: `keepalived --dont-fork`, reload by SIGHUP, no
Restart=, no hand-over hook), except Type=simple for Type=notify: keepalived
2.2.7 sends READY=1 only when its parent is PID 1 (check_parent_systemd), so
under a user manager its start would never complete.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

from .environment import REPO_ROOT, find_keepvipctl, find_keepvipd
from .lab import Lab
from .skip import LabUnavailable
from .systemd_user import USER_RUNTIME, systemd_binary

# The sandbox hides /tmp (PrivateTmp=), /home and /root (ProtectHome=) and the
# manager has its own /run: the unit's binaries and files live under here.
VISIBLE_ROOT = "/var/lib"
KEEPVIPD_UNIT = "keepvipd.service"
KEEPALIVED_UNIT = "keepalived.service"


def _replace_once(text: str, old: str, new: str, unit: str) -> str:
    if old not in text:
        raise AssertionError(f"units/{unit}: {old.strip()!r} changed; update tests/lab/keepvip_lab/units.py")
    return text.replace(old, new)


def keepvipd_service(work: str, host_dir: str) -> str:
    """units/keepvipd.service with only what a user manager forces changed.

    `work` holds the staged binaries, `host_dir` the host's keepvip.conf, run/
    and keepvipd.log."""
    with open(os.path.join(REPO_ROOT, "units", KEEPVIPD_UNIT)) as f:
        text = f.read()
    run = os.path.join(host_dir, "run")
    conf = os.path.join(host_dir, "keepvip.conf")
    start = "ExecStart=/usr/sbin/keepvipd -f /etc/keepvip/keepvip.conf --runtime-dir /run/keepvip\n"
    text = _replace_once(text, start, start.rstrip("\n") + " --user\n", KEEPVIPD_UNIT)
    release = "ExecStopPost=-/usr/sbin/keepvipd --release --runtime-dir /run/keepvip\n"
    text = _replace_once(text, release, release.rstrip("\n") + " --user\n", KEEPVIPD_UNIT)
    text = (text.replace("/usr/sbin/keepvipd", os.path.join(work, "keepvipd"))
            .replace("/usr/bin/keepvipctl", os.path.join(work, "keepvipctl") + " --user")
            .replace("/etc/keepvip/keepvip.conf", conf)
            .replace("--runtime-dir /run/keepvip", f"--runtime-dir {run}"))
    log = os.path.join(host_dir, "keepvipd.log")
    return text + f"""
[Service]
StandardOutput=append:{log}
StandardError=append:{log}
ReadWritePaths={run}
ProtectHome=tmpfs
BindPaths={USER_RUNTIME}/systemd/notify {USER_RUNTIME}/bus
"""


def keepvip_fault_service(work: str) -> str:
    """units/keepvip-fault@.service pointed at the staged keepvipctl and the user bus."""
    with open(os.path.join(REPO_ROOT, "units", "keepvip-fault@.service")) as f:
        text = f.read()
    text = text.replace("/usr/bin/keepvipctl", os.path.join(work, "keepvipctl") + " --user")
    return text + f"""
[Service]
ProtectHome=tmpfs
BindPaths={USER_RUNTIME}/bus
"""


def keepalived_service(host_dir: str) -> str:
    """keepalived.service as Debian 12 and RHEL 9 ship it, pointed at the host's
    files; Type=simple, as keepalived notifies only a PID-1 systemd."""
    conf = os.path.join(host_dir, "keepalived.conf")
    log = os.path.join(host_dir, "keepalived.log")
    return f"""[Unit]
Description=Keepalive Daemon (LVS and VRRP)

[Service]
Type=simple
ExecStart=/usr/sbin/keepalived --dont-fork -l -D -f {conf} -p {host_dir}/keepalived.pid -r {host_dir}/keepalived-vrrp.pid --vrrp
ExecReload=/bin/kill -HUP $MAINPID
Environment=TMPDIR={host_dir}
StandardOutput=append:{log}
StandardError=append:{log}
"""


class Services:
    """keepvipd.service and keepalived.service on lab hosts, one user manager each."""

    def __init__(self, lab: Lab, keepvipd: str | None = None, keepvipctl: str | None = None):
        if systemd_binary() is None or shutil.which("busctl") is None:
            raise LabUnavailable("needs systemd (a user manager) and busctl")
        self.lab = lab
        keepvipd = keepvipd or lab.keepvipd or find_keepvipd()
        keepvipctl = keepvipctl or (find_keepvipctl(keepvipd) if keepvipd else None)
        if keepvipd is None or keepvipctl is None:
            raise LabUnavailable("keepvipd or keepvipctl not built (set KEEPVIPD / KEEPVIPCTL)")
        self.work = tempfile.mkdtemp(prefix="keepvip-unitlab-", dir=VISIBLE_ROOT)
        os.chmod(self.work, 0o755)
        for src, name in ((keepvipd, "keepvipd"), (keepvipctl, "keepvipctl")):
            shutil.copy(src, os.path.join(self.work, name))
            os.chmod(os.path.join(self.work, name), 0o755)
        self.units: dict[str, str] = {}  # host -> its daemon's unit

    def close(self) -> None:
        """Removes the staged files and logs (kept with KVLAB_KEEP_LOGS=1); call
        after the lab closed (the units use them)."""
        if os.environ.get("KVLAB_KEEP_LOGS") == "1":
            print(f"service files and logs kept in {self.work}", file=sys.stderr)
            return
        shutil.rmtree(self.work, ignore_errors=True)

    def host_dir(self, host: str) -> str:
        return os.path.join(self.work, host)

    def log_path(self, host: str) -> str:
        name = "keepvipd.log" if self.units.get(host) == KEEPVIPD_UNIT else "keepalived.log"
        return os.path.join(self.host_dir(host), name)

    def log_text(self, host: str) -> str:
        try:
            with open(self.log_path(host), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def dump_logs(self, tail: int = 40) -> None:
        """The last lines of every service's log, to stderr (after a failure)."""
        for host in self.units:
            lines = self.log_text(host).splitlines()[-tail:]
            sys.stderr.write(f"----- {self.units[host]} on {host} -----\n" + "\n".join(lines) + "\n")
        sys.stderr.flush()

    # ------------------------------------------------------------- set-up
    def _host(self, host: str, conf_name: str, conf_text: str) -> str:
        host_dir = self.host_dir(host)
        os.makedirs(os.path.join(host_dir, "run"), exist_ok=True)
        os.chmod(host_dir, 0o755)
        with open(os.path.join(host_dir, conf_name), "w") as f:
            f.write(conf_text)
        return host_dir

    def add_keepvip(self, host: str, conf_text: str, extra_units: dict[str, str] | None = None) -> None:
        """A user manager for host with keepvipd.service (not started) and extra_units."""
        host_dir = self._host(host, "keepvip.conf", conf_text)
        self.lab.start_user_manager(host, {
            KEEPVIPD_UNIT: keepvipd_service(self.work, host_dir),
            "keepvip-fault@.service": keepvip_fault_service(self.work),
            **(extra_units or {})})
        self.units[host] = KEEPVIPD_UNIT

    def add_keepalived(self, host: str, conf_text: str, extra_units: dict[str, str] | None = None) -> None:
        """A user manager for host with keepalived.service (not started) and extra_units."""
        if shutil.which("keepalived") is None:
            raise LabUnavailable("keepalived is not installed")
        host_dir = self._host(host, "keepalived.conf", conf_text)
        self.lab.start_user_manager(host, {KEEPALIVED_UNIT: keepalived_service(host_dir),
                                           **(extra_units or {})})
        self.units[host] = KEEPALIVED_UNIT

    # ------------------------------------------------------------- control
    def run(self, host: str, *cmd: str, check: bool = True, timeout: float = 30) -> str:
        """cmd on host's user bus; its stdout (stripped). RuntimeError when it fails and check."""
        proc = subprocess.run(self.lab.bus_command(host, list(cmd)), capture_output=True,
                              text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} on {host}: exit {proc.returncode}: "
                               f"{proc.stderr.strip()}")
        return proc.stdout.strip()

    def systemctl(self, host: str, *args: str, check: bool = True) -> str:
        return self.run(host, "systemctl", "--user", *args, check=check)

    def start(self, host: str, unit: str | None = None) -> None:
        """systemctl start: returns once keepvipd said READY=1 (Type=notify), at
        once for keepalived (Type=simple)."""
        self.systemctl(host, "start", unit or self.units[host])

    def stop(self, host: str, unit: str | None = None) -> None:
        self.systemctl(host, "stop", unit or self.units[host])

    def kill(self, host: str, signal: str = "SIGKILL", whom: str = "all",
             unit: str | None = None) -> None:
        """systemctl --user kill: `whom` is "all" (every process of the unit) or "main"."""
        self.systemctl(host, "kill", f"--kill-whom={whom}", f"--signal={signal}",
                       unit or self.units[host])

    def prop(self, host: str, prop: str, unit: str | None = None) -> str:
        return self.systemctl(host, "show", "-p", prop, "--value", unit or self.units[host])

    def active(self, host: str, unit: str | None = None) -> str:
        return self.systemctl(host, "is-active", unit or self.units[host], check=False)

    def restarts(self, host: str, unit: str | None = None) -> int:
        return int(self.prop(host, "NRestarts", unit) or 0)

    def wait_restarted(self, host: str, restarts_before: int, timeout: float,
                       unit: str | None = None) -> None:
        """Until Restart= brought the unit back (NRestarts grew, active again)."""
        deadline = time.monotonic() + timeout
        while self.restarts(host, unit) <= restarts_before or self.active(host, unit) != "active":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{unit or self.units[host]} on {host} was not restarted "
                                   f"within {timeout:.0f} s")
            time.sleep(0.05)

    def wait_stopped(self, host: str, timeout: float, unit: str | None = None) -> None:
        """Until the unit is neither active nor deactivating (after a kill)."""
        deadline = time.monotonic() + timeout
        while self.active(host, unit) in ("active", "deactivating"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{unit or self.units[host]} on {host} still runs "
                                   f"{timeout:.0f} s after it was killed")
            time.sleep(0.05)

    def keepvipctl(self, host: str, *args: str, check: bool = True) -> str:
        return self.run(host, os.path.join(self.work, "keepvipctl"), "--user", *args, check=check)
