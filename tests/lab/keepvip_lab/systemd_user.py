"""A systemd user manager run as root in a network namespace of the lab: the
recipe for real units on a machine without systemd as PID 1.

    manager = UserManager("kvlab-123-a", workdir, {"httpd.service": text})
    manager.start()                      # returns once it runs and its bus is up
    subprocess.run(manager.command(["systemctl", "--user", "start", "httpd.service"]))
    manager.stop()                       # the manager and everything in its cgroups

The manager gets cgroups of its own (named after the namespace), or every
manager would share one tree and `systemctl --user kill` on one would hit
all; a mount namespace of its own with a private /run, entered with
`nsenter --net` (`ip netns exec` remounts /sys and hides /sys/fs/cgroup);
and the unit files in {USER_RUNTIME}/systemd/user before it starts.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

from .netns import run, stale_owner
from .skip import LabUnavailable

USER_RUNTIME = "/run/user/0"  # XDG_RUNTIME_DIR inside the manager
UNIT_DIR = f"{USER_RUNTIME}/systemd/user"
BUS_ADDRESS = f"unix:path={USER_RUNTIME}/bus"
# The session bus comes from dbus-user-session's socket unit.
DBUS_SOCKET_UNIT = "/usr/lib/systemd/user/dbus.socket"
# cgroup v1's named systemd hierarchy and the hybrid v2 mount, or a pure
# cgroup v2 mount at /sys/fs/cgroup itself.
CGROUP_ROOTS = ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")


def systemd_binary() -> str | None:
    for candidate in ("/lib/systemd/systemd", "/usr/lib/systemd/systemd"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def check_available() -> str:
    """The systemd binary; LabUnavailable when a user manager cannot run here."""
    if os.geteuid() != 0:
        raise LabUnavailable("a lab user manager needs root (namespaces, cgroups)")
    binary = systemd_binary()
    if binary is None:
        raise LabUnavailable("no systemd binary (/lib/systemd/systemd)")
    missing = [t for t in ("ip", "unshare", "nsenter") if shutil.which(t) is None]
    if missing:
        raise LabUnavailable(f"missing tools: {', '.join(missing)} (run scripts/install-deps.sh)")
    if not os.path.exists(DBUS_SOCKET_UNIT):
        raise LabUnavailable("dbus-user-session is not installed (no user bus)")
    return binary


def cgroup_roots() -> list[str]:
    return [root for root in CGROUP_ROOTS
            if os.access(root, os.W_OK) and os.path.isfile(os.path.join(root, "cgroup.procs"))]


def empty_cgroups(paths: list[str], timeout: float = 2.0) -> None:
    """Kills every process in the cgroups (and their children) and removes them."""
    deadline = time.monotonic() + timeout
    while True:
        for cg in paths:
            for dirpath, _dirs, files in os.walk(cg):
                if "cgroup.procs" not in files:
                    continue
                try:
                    with open(os.path.join(dirpath, "cgroup.procs")) as f:
                        pids = f.read().split()
                except OSError:
                    continue
                for pid in pids:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except (ProcessLookupError, ValueError):
                        pass
        left = []
        for cg in paths:
            for dirpath, _dirs, _files in sorted(os.walk(cg), key=lambda w: -len(w[0])):
                try:
                    os.rmdir(dirpath)
                except OSError:
                    left.append(dirpath)
        # A killed process stays in its cgroup until it is reaped.
        if not left or time.monotonic() > deadline:
            return
        time.sleep(0.05)


def sweep_stale_cgroups() -> list[str]:
    """Removes kvlab-<pid>-* cgroups of managers whose run died."""
    stale = [os.path.join(root, name) for root in cgroup_roots() for name in os.listdir(root)
             if stale_owner(name) and os.path.isdir(os.path.join(root, name))]
    empty_cgroups(stale)
    return stale


class UserManager:
    """`systemd --user` in network namespace `netns`, its files under workdir."""

    def __init__(self, netns: str, workdir: str, units: dict[str, str]):
        self.netns = netns
        self.workdir = workdir
        self.units = dict(units)
        self.cgroups: list[str] = []
        self.popen: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        if self.popen is None:
            raise RuntimeError("the user manager is not started")
        return self.popen.pid

    def enter(self, wd: str | None = None) -> list[str]:
        """The command prefix that runs something in the manager's mount and
        network namespaces (its /run, its bus), with XDG_RUNTIME_DIR set."""
        cmd = ["nsenter", "-t", str(self.pid), "-m", "-n"]
        if wd is not None:
            cmd.append(f"--wd={wd}")
        return [*cmd, "env", f"XDG_RUNTIME_DIR={USER_RUNTIME}"]

    def command(self, cmd: list[str], wd: str | None = None) -> list[str]:
        """cmd as a client of the manager's bus (systemctl --user, busctl --user)."""
        return [*self.enter(wd), f"DBUS_SESSION_BUS_ADDRESS={BUS_ADDRESS}", *cmd]

    def start(self, timeout: float = 20.0) -> None:
        """Starts the manager; returns once it runs (or is degraded) and its bus
        socket exists. Cleans up after itself when it does not come up."""
        binary = check_available()
        try:
            self._launch(binary)
            self._wait_ready(timeout)
            # ProtectHome=, ProtectKernelTunables= and ProtectKernelLogs= mount
            # the nodes of /run/systemd/inaccessible over what they hide; PID 1
            # creates them at boot, a user manager only under its runtime dir.
            run(self.enter() + ["sh", "-c", "mkdir -p /run/systemd/inaccessible && cp -a "
                                f"{USER_RUNTIME}/systemd/inaccessible/. "
                                "/run/systemd/inaccessible/"])
        except BaseException:
            self.stop()
            raise

    def _launch(self, binary: str) -> None:
        for root in cgroup_roots():
            path = os.path.join(root, self.netns)
            os.makedirs(path, exist_ok=True)
            self.cgroups.append(path)
        unit_dir = os.path.join(self.workdir, "units")
        os.makedirs(unit_dir, exist_ok=True)
        for name, text in self.units.items():
            with open(os.path.join(unit_dir, name), "w") as f:
                f.write(text)
        inner = os.path.join(self.workdir, "user-manager.sh")
        with open(inner, "w") as f:
            f.write("#!/bin/sh\n"
                    "mount --make-rprivate /\n"
                    "mount -t tmpfs tmpfs /run\n"
                    f"mkdir -p /run/systemd/system {UNIT_DIR}\n"
                    f"chmod 700 {USER_RUNTIME}\n"
                    f"cp {unit_dir}/* {UNIT_DIR}/ 2>/dev/null\n"
                    f"export XDG_RUNTIME_DIR={USER_RUNTIME}\n"
                    f"exec {binary} --user\n")
        os.chmod(inner, 0o755)
        join = "".join(f"echo $$ > {cg}/cgroup.procs; " for cg in self.cgroups)
        with open(self.log_path, "a") as log:
            # unshare, nsenter and the script exec in turn: the pid is systemd's.
            self.popen = subprocess.Popen(
                ["sh", "-c", f"{join}exec unshare -m nsenter --net=/run/netns/{self.netns} {inner}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    @property
    def log_path(self) -> str:
        return os.path.join(self.workdir, "user-manager.log")

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            state = run(self.command(["systemctl", "--user", "is-system-running"]),
                        check=False).stdout.strip()
            bus_up = run(self.enter() + ["test", "-S", f"{USER_RUNTIME}/bus"], check=False)
            if state in ("running", "degraded") and bus_up.returncode == 0:
                return
            if self.popen.poll() is not None or time.monotonic() > deadline:
                with open(self.log_path, errors="replace") as f:
                    log = f.read()[-2000:]
                raise RuntimeError(f"the user manager in {self.netns} did not come up "
                                   f"(state {state!r}):\n{log}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Stops the manager and kills whatever its units left. Idempotent."""
        if self.popen is not None:
            self.popen.terminate()
            try:
                self.popen.wait(5)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
            self.popen = None
        # Units' processes and the bus daemon live in the manager's cgroups.
        empty_cgroups(self.cgroups)
        self.cgroups.clear()
