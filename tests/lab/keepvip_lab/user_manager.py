"""Runs one command against a systemd user manager started just for it.

    python3 -m keepvip_lab.user_manager [--unit FILE ...] [--require PROGRAM ...] -- CMD [ARGS...]

The manager (systemd_user.UserManager) runs as root in a network namespace of
its own (loopback up), a mount namespace of its own (a private /run) and
cgroups of its own; the --unit files are installed before it starts. CMD runs
in the manager's mount and network namespaces, in the current directory, with
  XDG_RUNTIME_DIR=/run/user/0 and DBUS_SESSION_BUS_ADDRESS (systemctl --user,
  busctl --user reach the manager), KEEPVIP_USER_MANAGER=1, and
  KEEPVIP_UNIT_DIR=/run/user/0/systemd/user (add units there, then
  `systemctl --user daemon-reload`).

Exit status: CMD's (128 + N when signal N ended it); 77 (CTest's skip) with
"SKIP: why" when a manager cannot run here: not root, no systemd, no
dbus-user-session, a --require'd program missing. On every exit, SIGINT,
SIGTERM and SIGHUP included, CMD's process group, the manager, everything in
its cgroups and the namespace are removed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile

from .netns import Netns, sweep_stale_namespaces
from .skip import InterruptOnSignal, LabInterrupted, LabUnavailable, skip_exit
from .systemd_user import UNIT_DIR, UserManager, check_available, sweep_stale_cgroups

USAGE = ("usage: python3 -m keepvip_lab.user_manager [--unit FILE ...] [--require PROGRAM ...] "
         "-- CMD [ARGS...]")
# How long CMD has to exit after SIGTERM before its process group is killed.
STOP_GRACE = 5.0


def parse(argv: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(unit files, required programs, command); SystemExit(2) on a bad line."""
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        sys.exit(0)
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        print(USAGE, file=sys.stderr)
        sys.exit(2)
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1:]
    units: list[str] = []
    required: list[str] = []
    it = iter(options)
    for option in it:
        value = next(it, None)
        if option not in ("--unit", "--require") or value is None:
            print(f"user_manager: unexpected {option!r}\n{USAGE}", file=sys.stderr)
            sys.exit(2)
        (units if option == "--unit" else required).append(value)
    return units, required, command


def read_units(paths: list[str]) -> dict[str, str]:
    units = {}
    for path in paths:
        with open(path) as f:
            units[os.path.basename(path)] = f.read()
    return units


def stop_group(child: subprocess.Popen) -> None:
    """SIGTERM to CMD's process group, SIGKILL after STOP_GRACE seconds."""
    for sig, wait in ((signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, STOP_GRACE)):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        try:
            child.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def main(argv: list[str]) -> int:
    unit_files, required, command = parse(argv)
    try:
        check_available()
        missing = [p for p in required if shutil.which(p) is None]
        if missing:
            raise LabUnavailable(f"missing: {', '.join(missing)} (run scripts/install-deps.sh)")
    except LabUnavailable as e:
        skip_exit(str(e))
    units = read_units(unit_files)
    cwd = os.getcwd()
    signals = InterruptOnSignal()
    signals.install()
    workdir = tempfile.mkdtemp(prefix="kvlab-user-manager-")
    netns = Netns("um")
    manager = child = None
    try:
        sweep_stale_namespaces()
        sweep_stale_cgroups()
        netns.up()
        manager = UserManager(netns.name, workdir, units)
        manager.start()
        env = {**os.environ, "KEEPVIP_USER_MANAGER": "1", "KEEPVIP_UNIT_DIR": UNIT_DIR}
        # The private /run hides the caller's directory if it was under /run.
        wd = cwd if not (cwd + "/").startswith("/run/") else None
        child = subprocess.Popen(manager.command(command, wd=wd), env=env, start_new_session=True)
        status = child.wait()
        return 128 - status if status < 0 else status
    except LabInterrupted as stop:
        print(f"user_manager: {stop}: stopping", file=sys.stderr)
        return 128 + stop.signum
    finally:
        # Cleanup is bounded; a second signal must not cut it short.
        for sig in InterruptOnSignal.SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        if child is not None:
            stop_group(child)
        if manager is not None:
            manager.stop()
        netns.close()
        shutil.rmtree(workdir, ignore_errors=True)
        signals.restore()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
