"""Network namespaces the lab owns, and the processes in them.

Every namespace is named `kvlab-<pid>-<tag>` after the process that made it,
so a run that died (SIGKILL, a lost machine) leaves names the next run
recognises: `sweep_stale_namespaces` deletes those whose pid is gone.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess

PREFIX = "kvlab-"


def run(cmd: list[str], check: bool = True,
        input_text: str | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, input=input_text, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owned_name(tag: str) -> str:
    """The name of this process's namespace (or cgroup) `tag`."""
    return f"{PREFIX}{os.getpid()}-{tag}"


def stale_owner(name: str) -> bool:
    """Whether name is a kvlab-<pid>-... name whose pid no longer exists."""
    match = re.match(rf"^{PREFIX}(\d+)-", name)
    return bool(match) and not pid_alive(int(match.group(1)))


def add_netns(ns: str) -> None:
    run(["ip", "netns", "add", ns])


def netns_pids(ns: str) -> list[int]:
    proc = run(["ip", "netns", "pids", ns], check=False)
    return [int(p) for p in proc.stdout.split() if p.isdigit()]


def delete_netns(ns: str) -> None:
    """Kills every process left in the namespace, then deletes it."""
    for pid in netns_pids(ns):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    run(["ip", "netns", "del", ns], check=False)


def sweep_stale_namespaces() -> list[str]:
    """Deletes kvlab-<pid>-* namespaces whose owning process no longer exists."""
    removed = []
    listing = run(["ip", "netns", "list"], check=False).stdout
    for line in listing.splitlines():
        name = line.split()[0] if line.split() else ""
        if stale_owner(name):
            delete_netns(name)
            removed.append(name)
    return removed


class Netns:
    """One namespace of this process with its loopback up; close() (or the end
    of a with-block) kills what runs in it and deletes it. Idempotent."""

    def __init__(self, tag: str):
        self.name = owned_name(tag)
        self.path = f"/run/netns/{self.name}"
        self._added = False

    def __enter__(self) -> "Netns":
        self.up()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def up(self) -> None:
        add_netns(self.name)
        self._added = True
        try:
            run(["ip", "-n", self.name, "link", "set", "lo", "up"])
        except BaseException:
            self.close()
            raise

    def exec_prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.name]

    def close(self) -> None:
        if self._added:
            self._added = False
            delete_netns(self.name)
