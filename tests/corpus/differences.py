"""The one list of where keepvip's reading of a corpus configuration differs
from keepalived's, with the reason (tests/corpus/corpus_test.py).

A configuration not listed here must be accepted by `keepvipd --check`, and
wherever keepalived is installed: `keepalived -t` must complain whenever
keepvip does (--strict), keepvip must accept whatever keepalived accepts
cleanly, and both must read the same instances, priorities, intervals,
states and addresses. A listed one must give exactly the outcomes listed.

Outcomes: keepvip "ok" (no diagnostic), "warn" (runs, with warnings; fails
--strict) or "refuse" (does not run); keepalived "clean" (keepalived -t
exits 0) or "reports" (it exits non-zero: it warns, or drops what it
cannot use and runs the rest).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Difference:
    keepvip: str
    keepalived: str
    reason: str
    # Settings of keepalived's instances (its dump) allowed to differ from keepvip's.
    differing: tuple[str, ...] = ()
    # False: keepalived does not run the file here, so there is no dump to compare.
    dump: bool = True


# keepvip does not run half a configuration: where keepalived drops an
# instance or a line it cannot use and runs the rest, keepvip refuses the
# file, saying where and why (keepvip.conf(5), ERRORS).
HALF_A_CONFIGURATION = "keepalived drops what it cannot use and runs the rest; keepvip refuses"

# keepalived starts every member of a sync group as BACKUP unless all are
# address owners; keepvip skips sync groups and starts each as written.
SYNC_GROUPS = ("sync groups are not handled yet (the sync-group issue): keepalived starts "
               "their MASTER members as BACKUP")

DIFFERENCES: dict[str, Difference] = {
    # keepalived's own samples (doc/samples of its repository)
    "keepalived.conf.conditional_conf": Difference(
        "warn", "clean",
        "keepalived moves into net_namespace high / low and exits where it does not exist; "
        "keepvipd runs where it is started (a warning says so)", dump=False),
    "keepalived.conf.vrrp.lvs_syncd": Difference(
        "warn", "reports",
        "keepalived starts IPVS for lvs_sync_daemon_interface and exits without it (this kernel "
        "has none); keepvip does no LVS", dump=False),
    "keepalived.conf.vrrp.routes": Difference(
        "refuse", "reports",
        "keepvip does not install multipath routes yet: a route with \"or\" (keepalived's "
        "deprecated form of nexthop) is an error saying so; keepalived warns and installs it"),
    "keepalived.conf.vrrp.rules": Difference(
        "refuse", "reports", HALF_A_CONFIGURATION + " (rules with the address 192.168.100./24)"),
    "keepalived.conf.vrrp.scripts": Difference(
        "warn", "clean", SYNC_GROUPS, differing=("state",)),
    "keepalived.conf.vrrp.sync": Difference(
        "warn", "clean", SYNC_GROUPS, differing=("state",)),
    # configurations written for this test (tests/corpus/configs)
    "refuse_unknown_keyword.conf": Difference(
        "refuse", "reports", HALF_A_CONFIGURATION + " (an unknown keyword)"),
    "refuse_v3_no_vip.conf": Difference(
        "refuse", "reports", HALF_A_CONFIGURATION + " (a VRRPv3 instance without addresses)"),
    "refuse_self_reference.conf": Difference(
        "refuse", "reports",
        "keepalived cuts the expansion at its 1024-byte line limit and reads what is left"),
    "refuse_track_bfd.conf": Difference(
        "refuse", "clean",
        "keepvip runs no BFD speaker; an instance tracking a BFD session could never fail over "
        "on it"),
}

# Configuration ids a corpus file is read with (-i), besides those its own
# "! corpus: ids ..." line names. keepalived's sample says to run it with
# "-i high" or "-i low".
CONFIG_IDS: dict[str, list[str]] = {
    "keepalived.conf.conditional_conf": ["high", "low"],
}
