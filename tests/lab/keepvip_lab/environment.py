"""What the lab needs from the machine and where it finds the binaries under test."""

from __future__ import annotations

import os
import shutil

from .skip import LabUnavailable, kernel_feature_missing

# tests/lab/keepvip_lab -> the source tree (unit files, the default build).
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

# Scheduling slack added to every protocol bound: the daemons share two cores
# with builds and other suites. Raise it on a slower machine, never per test.
MARGIN = float(os.environ.get("KVLAB_MARGIN", "0.4"))
# Extra allowance when a bound is counted from launching a daemon rather than
# from a packet: process start, config parsing, sockets.
STARTUP = float(os.environ.get("KVLAB_STARTUP", "1.0"))


def check_environment(need_keepalived: bool = True) -> None:
    if os.geteuid() != 0:
        raise LabUnavailable("the namespace lab needs root (network namespaces, veth, bridges)")
    tools = ["ip", "nft"] + (["keepalived"] if need_keepalived else [])
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        raise LabUnavailable(f"missing tools: {', '.join(missing)} (run scripts/install-deps.sh)")
    if not os.path.isdir("/proc/sys/net/ipv6"):
        raise kernel_feature_missing("ipv6", "IPv6 is disabled in this kernel")


def find_keepvipd() -> str | None:
    """$KEEPVIPD when set (and nothing else: CTest names the binary it built),
    else the README's build location; None when the binary does not exist."""
    explicit = os.environ.get("KEEPVIPD")
    path = explicit if explicit else os.path.join(REPO_ROOT, "build", "agent", "keepvipd")
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return os.path.abspath(path)
    return None


def find_keepvipctl(keepvipd: str) -> str | None:
    """$KEEPVIPCTL when set, else the keepvipctl of the build tree keepvipd comes from."""
    explicit = os.environ.get("KEEPVIPCTL")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    candidate = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(keepvipd))),
                             "dbus", "keepvipctl")
    return candidate if os.access(candidate, os.X_OK) else None
