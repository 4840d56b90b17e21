#!/usr/bin/env python3
"""keepalived configurations through `keepvipd --check` and `keepalived -t`.

The corpus: keepalived's own samples (its repository's doc/samples, as the
keepalived package installs them; KEEPALIVED_SAMPLES names another
directory), the seed walkthrough's configurations, and the configurations of
tests/corpus/configs, written for the preprocessor and the forms keepalived
runs. Each is read with every configuration id it names.

For each: keepvip accepts it unless differences.py lists it, and --strict
fails exactly when there is a warning. Where keepalived is installed and the
test runs as root, keepalived reads it too, in a network namespace holding
the interfaces the corpus names, and the accept/refuse outcomes must agree
(differences.py holds every exception, with its reason); for every file both
run, keepalived's own dump (keepalived -d) must show the instances keepvip
reads: names, versions, states, interfaces, VRIDs, priorities, intervals,
preemption, how a master answers adverts, the down timer's adverts,
authentication, addresses and unicast peers.

Exit status: 0 passed, 1 failed, 77 skipped (keepvipd not built).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from differences import CONFIG_IDS, DIFFERENCES
from keepvip_lab import Netns

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77


def find(env: str, candidates: list[str]) -> str | None:
    value = os.environ.get(env)
    if value:
        return value if os.access(value, os.X_OK) else None
    for c in candidates:
        if os.access(c, os.X_OK):
            return c
    return None


ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
KEEPVIPD = find("KEEPVIPD", [os.path.join(ROOT, "build", "agent", "keepvipd")])
CONFIG_DUMP = find("KEEPVIP_CONFIG_DUMP",
                   [os.path.join(ROOT, "build", "tests", "corpus", "keepvip_config_dump")])
SAMPLES = os.environ.get("KEEPALIVED_SAMPLES", "/usr/share/doc/keepalived/samples")


# ----------------------------------------------------------------- the corpus
def own_ids(path: str) -> list[str]:
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"!\s*corpus:\s*ids\s+(.*)", line)
            if m:
                return m.group(1).split()
    return []


def corpus() -> list[tuple[str, str, list[str | None]]]:
    """(name, path, config ids) of every configuration, samples first."""
    files = sorted(glob.glob(os.path.join(SAMPLES, "keepalived.conf.*")))
    files += sorted(glob.glob(os.path.join(HERE, "..", "unit", "config", "seed", "*.conf")))
    files += sorted(glob.glob(os.path.join(HERE, "configs", "*.conf")))
    out = []
    for path in files:
        name = os.path.basename(path)
        ids = CONFIG_IDS.get(name, []) + own_ids(path)
        out.append((name, os.path.abspath(path), list(ids) or [None]))
    return out


def interface_names(paths: list[str]) -> list[str]:
    """Every interface the corpus names, so that none is missing for either daemon."""
    names = {"eth0", "eth1", "eth2", "eth3"}
    pattern = re.compile(r"(?:^|\s)(?:interface|dev)\s+([A-Za-z][\w.-]{0,14})")
    for path in paths:
        with open(path, errors="replace") as f:
            for line in f:
                line = line.split("#")[0].split("!")[0]
                names.update(m.group(1) for m in pattern.finditer(line))
    return sorted(names)


# ---------------------------------------------------------------- a namespace
def corpus_namespace(interfaces: list[str]) -> Netns:
    """A lab namespace with a veth for each interface name (root only)."""
    namespace = Netns("corpus")
    namespace.up()
    try:
        for i, ifname in enumerate(interfaces):
            subprocess.run(["ip", "-n", namespace.name, "link", "add", ifname, "type", "veth",
                            "peer", "name", f"kvpeer{i}"], check=True)
            subprocess.run(["ip", "-n", namespace.name, "link", "set", ifname, "up"], check=True)
    except BaseException:
        namespace.close()
        raise
    return namespace


# ---------------------------------------------------------------- the daemons
def id_args(config_id: str | None) -> list[str]:
    return ["-i", config_id] if config_id else []


def keepvip_outcome(prefix: list[str], path: str, config_id: str | None) -> tuple[str, str, int]:
    """("ok" | "warn" | "refuse", its output, the --strict exit status)."""
    cmd = [*prefix, KEEPVIPD, "--check", "-f", path, *id_args(config_id)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    strict = subprocess.run([*cmd, "--strict"], capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        outcome = "refuse"
    elif run.stdout.rstrip().endswith(" 0 warnings"):
        outcome = "ok"
    else:
        outcome = "warn"
    return outcome, run.stdout, strict.returncode


def keepalived_outcome(prefix: list[str], path: str, config_id: str | None) -> tuple[str, str]:
    run = subprocess.run([*prefix, "keepalived", "-t", "-f", path, *id_args(config_id)],
                         capture_output=True, text=True, timeout=60)
    return ("clean" if run.returncode == 0 else "reports"), run.stdout + run.stderr


# keepalived's dump lines (-d) that name an instance setting: the pattern,
# the key keepvip_config_dump uses, and how the value reads in its terms.
DUMP_SETTINGS = [
    (r"VRRP Version = (\d)", "version", None),
    (r"Wantstate = (\w+)", "state", None),
    (r"Interface = (\S+)", "interface", None),
    (r"Virtual Router ID = (\d+)", "vrid", None),
    (r"Priority = (\d+)", "priority", None),
    (r"Advert interval = (\d+) (sec|milli-sec)", "advert_ms",
     lambda m: str(int(m.group(1)) * (1000 if m.group(2) == "sec" else 1))),
    (r"Preempt = (\w+)", "preempt", lambda m: "true" if m.group(1) == "enabled" else "false"),
    (r"Accept = (\w+)", "accept", lambda m: "true" if m.group(1) == "enabled" else "false"),
    (r"Send advert after receive lower priority advert = (\w+)", "lower_prio_advert", None),
    (r"Send advert after receive higher priority advert = (\w+)", "higher_prio_advert", None),
    (r"Down timer adverts = (\d+)", "down_timer_adverts", None),
    (r"Gratuitous ARP delay = (\d+)", "garp_delay", None),
    (r"Gratuitous ARP repeat = (\d+)", "garp_repeat", None),
    (r"Gratuitous ARP refresh = (\d+)", "garp_refresh", None),
    (r"Gratuitous ARP refresh repeat = (\d+)", "garp_refresh_repeat", None),
    (r"Gratuitous ARP lower priority delay = (\d+)", "garp_lower_prio_delay", None),
    (r"Gratuitous ARP lower priority repeat = (\d+)", "garp_lower_prio_repeat", None),
    (r"Authentication type = (\S+)", "auth",
     lambda m: "PASS" if m.group(1) == "SIMPLE_PASSWORD" else m.group(1)),
    (r"Multicast address ([^,\s]+)", "multicast_group", None),
    (r"Unicast TTL = (\d+)", "unicast_ttl", None),
]


def dump_setting(line: str) -> tuple[str, str] | None:
    for pattern, key, read in DUMP_SETTINGS:
        if m := re.match(pattern, line):
            return key, read(m) if read else m.group(1)
    return None


def keepalived_instances(prefix: list[str], path: str, config_id: str | None,
                         workdir: str) -> dict[str, dict] | None:
    """The instances in keepalived's dump (-d), as keepvip_instances() gives them."""
    log_path = os.path.join(workdir, "keepalived.log")
    pids = [os.path.join(workdir, n) for n in ("keepalived.pid", "vrrp.pid")]
    for p in pids:
        if os.path.exists(p):
            os.unlink(p)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [*prefix, "keepalived", "-n", "-l", "-D", "-d", "--vrrp", "-f", path,
             *id_args(config_id), "-p", pids[0], "-r", pids[1]],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 10
    text = ""
    try:
        while time.monotonic() < deadline:
            with open(log_path, errors="replace") as f:
                text = f.read()
            if "------< Interfaces >------" in text or proc.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    if "------< VRRP Topology >------" not in text:
        return None
    lines = [re.sub(r"^\w{3} \w{3} +\d+ [\d:]+ \d{4}: ?", "", line) for line in text.splitlines()]
    start = lines.index("------< VRRP Topology >------")
    instances: dict[str, dict] = {}
    current = None
    section = None
    for raw in lines[start + 1:]:
        if raw.startswith("------<"):
            break
        if not raw.startswith(" "):
            # Another process's log line, written between two of the dump's:
            # it must not end the section it fell into (a VIP list, say).
            continue
        line = raw.strip()
        m = re.match(r"VRRP Instance = (.*)", line)
        if m:
            current = {"vip": [], "peer": [], "auth": "none"}
            instances[m.group(1)] = current
            section = None
            continue
        if current is None:
            continue
        if setting := dump_setting(line):
            current.update([setting])
        elif re.match(r"Virtual IP \(\d+\):", line):
            section = "vip"
        elif line.startswith("Unicast Peer"):
            section = "peer"
        elif section and raw.startswith("     ") and line:
            # A peer line: "ADDRESS min_ttl N max_ttl M", kept whole.
            address = line if section == "peer" else line.split()[0]
            if section == "vip" and "/" not in address:
                address += "/128" if ":" in address else "/32"
            current[section].append(address)
        else:
            section = None
    return instances


def keepvip_instances(path: str, config_id: str | None) -> dict[str, dict]:
    run = subprocess.run([CONFIG_DUMP, path, *([config_id] if config_id else [])],
                         capture_output=True, text=True, timeout=60)
    instances: dict[str, dict] = {}
    current = None
    for line in run.stdout.splitlines():
        key, _, value = line.strip().partition(" ")
        if key == "instance":
            current = {"vip": [], "peer": []}
            instances[value] = current
        elif key in ("vip", "peer"):
            current[key].append(value)
        else:
            current[key] = value
    return instances


def compare_instances(keepvip: dict[str, dict], keepalived: dict[str, dict],
                      differing: tuple[str, ...]) -> list[str]:
    problems = []
    for name, ours in keepvip.items():
        theirs = keepalived.get(name)
        if theirs is None:
            problems.append(f"instance {name}: keepalived does not run it")
            continue
        for key, value in ours.items():
            if key in theirs and theirs[key] != value and key not in differing:
                problems.append(f"instance {name}: {key} keepvip {value!r}, keepalived "
                                f"{theirs[key]!r}")
    for name in keepalived:
        if name not in keepvip:
            problems.append(f"instance {name}: keepvip does not run it")
    return problems


# ------------------------------------------------------------------- the test
def main() -> int:
    if KEEPVIPD is None:
        print("SKIP: keepvipd is not built (set KEEPVIPD)")
        return SKIP
    files = corpus()
    samples = [f for f in files if f[1].startswith(os.path.abspath(SAMPLES))]
    with_keepalived = shutil.which("keepalived") is not None and os.geteuid() == 0
    print(f"corpus: {len(samples)} keepalived samples from {SAMPLES}, "
          f"{len(files) - len(samples)} of keepvip's")
    if not samples:
        print(f"  (no samples: {SAMPLES} holds none; install keepalived's documentation)")
    if not with_keepalived:
        print("  keepalived is not installed or this is not root: keepvip's side only")
    if CONFIG_DUMP is None:
        print("  keepvip_config_dump is not built: instances are not compared")

    namespace = None
    if os.geteuid() == 0:
        namespace = corpus_namespace(interface_names([p for _, p, _ in files]))
    prefix = namespace.exec_prefix() if namespace else []
    workdir = tempfile.mkdtemp(prefix="kvcorpus-")
    failures: list[str] = []
    counts = {"ok": 0, "warn": 0, "refuse": 0}
    sample_counts = {"ok": 0, "warn": 0, "refuse": 0}
    try:
        for name, path, ids in files:
            listed = DIFFERENCES.get(name)
            for config_id in ids:
                label = name + (f" -i {config_id}" if config_id else "")
                outcome, output, strict_rc = keepvip_outcome(prefix, path, config_id)
                counts[outcome] += 1
                if path.startswith(os.path.abspath(SAMPLES)):
                    sample_counts[outcome] += 1
                problems = []
                if strict_rc != (0 if outcome == "ok" else 1):
                    problems.append(f"--strict exits {strict_rc} for keepvip outcome {outcome}")
                if listed and outcome != listed.keepvip:
                    problems.append(f"keepvip: {outcome}, differences.py says {listed.keepvip}")
                if not listed and outcome == "refuse":
                    problems.append("keepvip refuses it and differences.py does not say why")
                keepalived = "-"
                if with_keepalived:
                    keepalived, ka_output = keepalived_outcome(prefix, path, config_id)
                    if listed and keepalived != listed.keepalived:
                        problems.append(f"keepalived: {keepalived}, differences.py says "
                                        f"{listed.keepalived}")
                    if not listed and outcome == "ok" and keepalived != "clean":
                        problems.append("keepalived reports what keepvip accepts silently:\n"
                                        + ka_output.strip())
                    if CONFIG_DUMP and outcome != "refuse" and (not listed or listed.dump):
                        ours = keepvip_instances(path, config_id)
                        if ours:
                            theirs = keepalived_instances(prefix, path, config_id, workdir)
                            if theirs is None:
                                problems.append("keepalived gave no dump of its instances")
                            else:
                                differing = listed.differing if listed else ()
                                problems += compare_instances(ours, theirs, differing)
                verdict = "FAIL" if problems else "ok  "
                why = f"  [{listed.reason}]" if listed else ""
                print(f"{verdict} {label:48} keepvip {outcome:6} keepalived {keepalived:7}{why}")
                for p in problems:
                    print(f"       {p}")
                if problems:
                    print("       keepvipd --check said:\n" + "\n".join(
                        "         " + line for line in output.splitlines()))
                    failures.append(label)
    finally:
        if namespace:
            namespace.close()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nkeepvip: {counts['ok']} clean, {counts['warn']} with warnings, "
          f"{counts['refuse']} refused")
    if samples:
        print(f"keepalived's samples: {sample_counts['ok']} clean, {sample_counts['warn']} with "
              f"warnings, {sample_counts['refuse']} refused")
    if failures:
        print(f"FAILED: {len(failures)}: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
