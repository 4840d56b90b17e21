"""A network-namespace lab for VRRP: hosts on one bridge, keepalived and keepvipd on them.

    with Lab(["a", "b"]) as lab:
        lab.start_keepalived("a", conf_text)
        lab.start_keepvip("b", conf_text)
        lab.wait_for_vip("192.0.2.100", "a", timeout=5)

Layout: the bridge lives in its own namespace `kvlab-<pid>-br`; every host is a
namespace `kvlab-<pid>-<name>` with `eth0` (a veth into the bridge), addresses
192.0.2.(10+i)/24, 2001:db8::(10+i)/64 and fe80::(10+i)/64 for the i-th host
(counting from 1), all without DAD so they are usable at once. With
`uplinks=True` each host also gets `up0`, a veth whose peer sits unbridged in
the bridge namespace: something to watch with `track_interface`.

Everything the lab creates is removed on exit, on SIGINT/SIGTERM/SIGHUP, at
interpreter exit, and by the sweep of `kvlab-*` namespaces left behind by runs
that died (their owning pid is gone). Python 3 standard library only.
"""

from __future__ import annotations

import atexit
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from netlink_addrs import AddressReader, socket_in_netns  # noqa: E402

SKIP_EXIT_CODE = 77
PREFIX = "kvlab-"
IFNAME = "eth0"
UPLINK = "up0"
USER_RUNTIME = "/run/user/0"  # XDG_RUNTIME_DIR inside a host's user manager
BRIDGE = "br0"
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# The advert flooder (run in a host with `ip netns exec`, one core of its own).
FLOODER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vrrp_flood.py")

# Scheduling slack added to every protocol bound: the daemons share two cores
# with builds and other suites. Raise it on a slower machine, never per test.
MARGIN = float(os.environ.get("KVLAB_MARGIN", "0.4"))
# Extra allowance when a bound is counted from launching a daemon rather than
# from a packet: process start, config parsing, sockets.
STARTUP = float(os.environ.get("KVLAB_STARTUP", "1.0"))

# Environment a daemon must not inherit: it would log to the journal, notify a
# service manager or talk to a bus outside its host.
_SCRUBBED_ENV = (
    "JOURNAL_STREAM",
    "NOTIFY_SOCKET",
    "WATCHDOG_PID",
    "WATCHDOG_USEC",
    "INVOCATION_ID",
    "LISTEN_FDS",
    "LISTEN_PID",
    "DBUS_SESSION_BUS_ADDRESS",
)


class LabInterrupted(KeyboardInterrupt):
    """A termination signal arrived; raised so every with-block and test runner
    unwinds (unittest stops a run on KeyboardInterrupt but records other
    exceptions, SystemExit included, as one failed test and carries on)."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


class LabUnavailable(Exception):
    """The lab cannot run on this machine (no root, a tool missing); tests skip."""


def kernel_feature_missing(feature: str, reason: str) -> LabUnavailable:
    """The one skip scripts/test.sh accepts from a privileged suite run as
    root: the kernel lacks a feature. The marker names it for the summary."""
    return LabUnavailable(f"SKIP(kernel-feature: {feature}): {reason}")


def skip_exit(reason: str) -> None:
    """Exit with CTest's skip code and a reason a human can act on."""
    print(reason if reason.startswith("SKIP(") else f"SKIP: {reason}", file=sys.stderr)
    sys.exit(SKIP_EXIT_CODE)


def run_main(main) -> None:
    """sys.exit(main()) for a script on the lab: Ctrl-C or a termination
    signal (the lab has cleaned up by then) exits 128 + the signal."""
    try:
        sys.exit(main())
    except KeyboardInterrupt as stop:
        print(f"\n{stop}: stopped, lab cleaned up", file=sys.stderr)
        sys.exit(128 + getattr(stop, "signum", 2))


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


def _run(cmd: list[str], check: bool = True, input_text: str | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, input=input_text, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _netns_pids(ns: str) -> list[int]:
    proc = _run(["ip", "netns", "pids", ns], check=False)
    return [int(p) for p in proc.stdout.split() if p.isdigit()]


def _delete_netns(ns: str) -> None:
    for pid in _netns_pids(ns):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _run(["ip", "netns", "del", ns], check=False)


def sweep_stale_namespaces() -> list[str]:
    """Deletes kvlab-<pid>-* namespaces whose owning process no longer exists."""
    removed = []
    listing = _run(["ip", "netns", "list"], check=False).stdout
    for line in listing.splitlines():
        name = line.split()[0] if line.split() else ""
        match = re.match(rf"^{PREFIX}(\d+)-", name)
        if match and not _pid_alive(int(match.group(1))):
            _delete_netns(name)
            removed.append(name)
    return removed


@dataclass
class Daemon:
    """One started daemon process (keepalived or keepvipd) on a host."""

    kind: str
    host: str
    popen: subprocess.Popen
    log_path: str
    conf_path: str
    started_at: float
    extra_files: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None


@dataclass
class Host:
    name: str
    index: int
    ns: str
    workdir: str
    addr4: str
    addr6: str
    ll6: str
    mac: str
    reader: AddressReader | None = None
    bus_address: str | None = None  # the host's own session bus, once started
    manager: subprocess.Popen | None = None  # its systemd user manager, if any
    cgroups: list[str] = field(default_factory=list)
    daemon: Daemon | None = None
    history: list[Daemon] = field(default_factory=list)


class Lab:
    """Namespaces, processes and probes for one VRRP experiment. Use as a context manager."""

    _active_prefixes: set[str] = set()

    def __init__(self, hosts=("a", "b"), *, uplinks: bool = False, keepvipd: str | None = None,
                 tag: str | None = None):
        for name in hosts:
            if not re.fullmatch(r"[a-z0-9]{1,8}", name):
                raise ValueError(f"host name {name!r}: use 1-8 lowercase letters/digits")
        self.prefix = f"{PREFIX}{os.getpid()}" + (f"-{tag}" if tag else "")
        self.bridge_ns = f"{self.prefix}-br"
        self.uplinks = uplinks
        self.keepvipd = keepvipd
        self.workdir = ""
        self.hosts: dict[str, Host] = {}
        self._host_names = list(hosts)
        self._created_ns: list[str] = []
        self._helpers: list[subprocess.Popen] = []  # per-host buses and the like
        self._old_handlers: dict[int, object] = {}
        self._closed = True
        self.final_logs: dict[str, str] = {}

    # ----------------------------------------------------------------- lifecycle
    def __enter__(self) -> "Lab":
        self.up()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def up(self) -> None:
        check_environment(need_keepalived=False)
        if self.prefix in Lab._active_prefixes:
            raise RuntimeError(f"a lab named {self.prefix} is already running in this process")
        sweep_stale_namespaces()
        Lab._active_prefixes.add(self.prefix)
        self._closed = False
        atexit.register(self.close)
        self._install_signal_handlers()
        self.workdir = tempfile.mkdtemp(prefix=f"{self.prefix}-")
        try:
            self._add_netns(self.bridge_ns)
            br = ["ip", "-n", self.bridge_ns]
            _run(br + ["link", "set", "lo", "up"])
            # No multicast snooping: VRRP goes to 224.0.0.18 / ff02::12 and must
            # reach every port whether or not anyone sent a membership report.
            _run(br + ["link", "add", BRIDGE, "type", "bridge", "stp_state", "0",
                       "forward_delay", "0", "mcast_snooping", "0"])
            _run(br + ["link", "set", BRIDGE, "up"])
            for i, name in enumerate(self._host_names, start=1):
                self.hosts[name] = self._add_host(name, i)
        except BaseException:
            self.close()
            raise

    def _add_netns(self, ns: str) -> None:
        _run(["ip", "netns", "add", ns])
        self._created_ns.append(ns)

    def _add_host(self, name: str, i: int) -> Host:
        ns = f"{self.prefix}-{name}"
        self._add_netns(ns)
        host = Host(
            name=name, index=i, ns=ns,
            workdir=os.path.join(self.workdir, name),
            addr4=f"192.0.2.{10 + i}", addr6=f"2001:db8::{10 + i}", ll6=f"fe80::{10 + i}",
            mac=f"02:6b:76:00:00:{i:02x}",
        )
        os.makedirs(host.workdir)
        # Deterministic link-local addresses without DAD: the v6 tie-break is
        # decided by them, and tentative addresses cannot source adverts.
        self._sysctl(ns, "net.ipv6.conf.default.accept_dad", "0")
        self._sysctl(ns, "net.ipv6.conf.all.accept_dad", "0")
        peer = f"kv-{name}"
        br = ["ip", "-n", self.bridge_ns]
        _run(br + ["link", "add", peer, "type", "veth", "peer", "name", IFNAME, "netns", ns])
        _run(br + ["link", "set", peer, "master", BRIDGE, "up"])
        hn = ["ip", "-n", ns]
        _run(hn + ["link", "set", "lo", "up"])
        _run(hn + ["link", "set", IFNAME, "address", host.mac, "addrgenmode", "none"])
        _run(hn + ["link", "set", IFNAME, "up"])
        _run(hn + ["addr", "add", f"{host.addr4}/24", "dev", IFNAME])
        _run(hn + ["addr", "add", f"{host.addr6}/64", "dev", IFNAME, "nodad"])
        _run(hn + ["addr", "add", f"{host.ll6}/64", "dev", IFNAME, "nodad"])
        if self.uplinks:
            _run(br + ["link", "add", f"ku-{name}", "type", "veth", "peer", "name", UPLINK, "netns", ns])
            _run(br + ["link", "set", f"ku-{name}", "up"])
            _run(hn + ["link", "set", UPLINK, "up"])
        host.reader = AddressReader(f"/run/netns/{ns}")
        return host

    @staticmethod
    def _sysctl(ns: str, key: str, value: str) -> None:
        _run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", f"{key}={value}"])

    def close(self) -> None:
        """Kills every process the lab started and deletes its namespaces. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            for host in self.hosts.values():
                if host.daemon is not None and host.daemon.running():
                    self._terminate(host.daemon, graceful=True, timeout=3.0)
            for host in self.hosts.values():
                self._stop_user_manager(host)
            for helper in self._helpers:
                helper.kill()
                helper.wait()
            self._helpers.clear()
            for ns in reversed(self._created_ns):
                _delete_netns(ns)
            self._created_ns.clear()
            for host in self.hosts.values():
                if host.reader is not None:
                    host.reader.close()
                    host.reader = None
            self.final_logs = self.logs()
        finally:
            if self.workdir and os.environ.get("KVLAB_KEEP_LOGS") != "1":
                shutil.rmtree(self.workdir, ignore_errors=True)
            Lab._active_prefixes.discard(self.prefix)
            self._restore_signal_handlers()
            atexit.unregister(self.close)

    def _install_signal_handlers(self) -> None:
        def on_signal(signum, _frame):
            raise LabInterrupted(signum)

        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                self._old_handlers[sig] = signal.signal(sig, on_signal)
            except ValueError:  # not the main thread: atexit still cleans up
                pass

    def _restore_signal_handlers(self) -> None:
        for sig, handler in self._old_handlers.items():
            try:
                signal.signal(sig, handler)
            except ValueError:
                pass
        self._old_handlers.clear()

    # --------------------------------------------------------------------- hosts
    def host(self, name: str) -> Host:
        return self.hosts[name]

    def exec(self, host: str, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        """Runs a command inside a host's namespace and returns its output."""
        return _run(["ip", "netns", "exec", self.hosts[host].ns, *cmd], check=check)

    def ip(self, host: str, *args: str, check: bool = True) -> str:
        return _run(["ip", "-n", self.hosts[host].ns, *args], check=check).stdout

    # ------------------------------------------------------------------ daemons
    def start_keepalived(self, host: str, conf_text: str, extra_args: tuple[str, ...] = ()) -> Daemon:
        """keepalived (VRRP only) in the foreground, with its own pid files;
        `extra_args` go on its command line (e.g. ("-i", "a"))."""
        if shutil.which("keepalived") is None:
            raise LabUnavailable("keepalived is not installed")
        h = self.hosts[host]
        conf = self._write_conf(h, "keepalived.conf", conf_text)
        pid_main = os.path.join(h.workdir, "keepalived.pid")
        pid_vrrp = os.path.join(h.workdir, "keepalived-vrrp.pid")
        # A killed run leaves its pid files; keepalived would refuse to start
        # if their pids were meanwhile reused.
        for stale in (pid_main, pid_vrrp):
            if os.path.exists(stale):
                os.unlink(stale)
        cmd = ["keepalived", "-n", "-l", "-D", "-f", conf, "-p", pid_main, "-r", pid_vrrp, "--vrrp",
               *extra_args]
        # TMPDIR: where SIGUSR1 makes it write keepalived.data (keepalived_data).
        return self._spawn(h, "keepalived", cmd, conf, env={"TMPDIR": h.workdir})

    def keepalived_data(self, host: str, timeout: float = 5.0) -> str:
        """keepalived's own account of its instances (State, Master router,
        Master priority, ...): SIGUSR1 makes it write $TMPDIR/keepalived.data."""
        daemon = self.hosts[host].daemon
        if daemon is None or daemon.kind != "keepalived" or not daemon.running():
            raise RuntimeError(f"no keepalived runs on {host}")
        path = os.path.join(self.hosts[host].workdir, "keepalived.data")
        if os.path.exists(path):
            os.unlink(path)
        daemon.popen.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        text = ""
        # Written by the VRRP child after the parent relays the signal; done
        # once the last instance's block is there and the file stops growing.
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                with open(path, errors="replace") as f:
                    current = f.read()
            except FileNotFoundError:
                continue
            if current and current == text:
                return text
            text = current
        raise TimeoutError(f"keepalived on {host} wrote no {path} within {timeout:.0f} s")

    def start_keepvip(self, host: str, conf_text: str, extra_args=(), bpf: bool = False,
                      env: dict[str, str] | None = None) -> Daemon:
        """keepvipd in the foreground with a runtime directory of the host's own."""
        binary = self.keepvipd or find_keepvipd()
        if binary is None:
            raise LabUnavailable("keepvipd not built (set KEEPVIPD or build build/agent/keepvipd)")
        h = self.hosts[host]
        conf = self._write_conf(h, "keepvip.conf", conf_text)
        runtime = os.path.join(h.workdir, "run")
        os.makedirs(runtime, mode=0o750, exist_ok=True)
        cmd = [binary, "-f", conf, "--runtime-dir", runtime, "--log-level", "info"]
        if not bpf:
            cmd.append("--no-bpf")
        env = dict(env or {})
        if h.bus_address is not None:
            # The host's bus stands in for the system bus (see start_session_bus).
            cmd.append("--user")
            env["DBUS_SESSION_BUS_ADDRESS"] = h.bus_address
        cmd += list(extra_args)
        return self._spawn(h, "keepvipd", cmd, conf, env)

    def keepvip_command(self, host: str, *args: str) -> subprocess.CompletedProcess:
        """A one-shot keepvipd run (--release, --stats, --check) in host's
        namespace against the runtime directory its agent uses."""
        binary = self.keepvipd or find_keepvipd()
        if binary is None:
            raise LabUnavailable("keepvipd not built (set KEEPVIPD or build build/agent/keepvipd)")
        h = self.hosts[host]
        runtime = os.path.join(h.workdir, "run")
        return _run([*self._enter(h), binary, "--runtime-dir", runtime, *args], check=False)

    def _enter(self, h: Host) -> list[str]:
        """The command prefix that runs something on host h: in its network
        namespace, and in its user manager's mount namespace (private /run with
        the manager's bus) when it has one."""
        if h.manager is not None:
            return ["nsenter", "-t", str(h.manager.pid), "-m", "-n", "env",
                    f"XDG_RUNTIME_DIR={USER_RUNTIME}"]
        return ["ip", "netns", "exec", h.ns]

    def bus_command(self, host: str, cmd: list[str]) -> list[str]:
        """cmd as a client of host's bus (keepvipctl --user, busctl --user, systemctl --user)."""
        h = self.hosts[host]
        if h.bus_address is None:
            raise RuntimeError(f"{host} has no bus: start_session_bus or start_user_manager first")
        prefix = self._enter(h) if h.manager is not None else ["env"]
        return [*prefix, f"DBUS_SESSION_BUS_ADDRESS={h.bus_address}", *cmd]

    def start_user_manager(self, host: str, units: dict[str, str]) -> None:
        """A systemd user manager for host (the lab recipe): own cgroups, private
        /run, host's network; `units` (name -> unit file text) are installed in
        it. keepvipd started afterwards runs in its mount namespace with --user,
        so track_unit / master_units act on real units."""
        h = self.hosts[host]
        if h.manager is not None or h.bus_address is not None:
            raise RuntimeError(f"{host} already has a bus")
        if not os.access("/lib/systemd/systemd", os.X_OK):
            raise LabUnavailable("/lib/systemd/systemd is not installed")
        # Its own cgroups first, or every host's manager would share one tree
        # and `systemctl --user kill` on one host would hit all of them.
        for root in ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"):
            if os.path.isdir(root):
                path = os.path.join(root, h.ns)
                os.makedirs(path, exist_ok=True)
                h.cgroups.append(path)
        unit_dir = os.path.join(h.workdir, "units")
        os.makedirs(unit_dir, exist_ok=True)
        for name, text in units.items():
            with open(os.path.join(unit_dir, name), "w") as f:
                f.write(text)
        inner = os.path.join(h.workdir, "user-manager.sh")
        with open(inner, "w") as f:
            f.write("#!/bin/sh\n"
                    "mount --make-rprivate /\n"
                    "mount -t tmpfs tmpfs /run\n"
                    f"mkdir -p /run/systemd/system {USER_RUNTIME}/systemd/user\n"
                    f"chmod 700 {USER_RUNTIME}\n"
                    f"cp {unit_dir}/* {USER_RUNTIME}/systemd/user/ 2>/dev/null\n"
                    f"export XDG_RUNTIME_DIR={USER_RUNTIME}\n"
                    "exec /lib/systemd/systemd --user\n")
        os.chmod(inner, 0o755)
        join = "; ".join(f"echo $$ > {cg}/cgroup.procs" for cg in h.cgroups)
        log = open(os.path.join(h.workdir, "user-manager.log"), "a")
        h.manager = subprocess.Popen(
            ["sh", "-c", f"{join}; exec unshare -m nsenter --net=/run/netns/{h.ns} {inner}"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        h.bus_address = f"unix:path={USER_RUNTIME}/bus"
        deadline = time.monotonic() + 20
        while True:
            state = _run(self.bus_command(host, ["systemctl", "--user", "is-system-running"]),
                         check=False).stdout.strip()
            bus_up = _run([*self._enter(h), "test", "-S", f"{USER_RUNTIME}/bus"], check=False)
            if state in ("running", "degraded") and bus_up.returncode == 0:
                return
            if h.manager.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"user manager on {host} did not come up (state {state!r})")
            time.sleep(0.2)

    def _stop_user_manager(self, h: Host) -> None:
        if h.manager is not None:
            h.manager.terminate()
            try:
                h.manager.wait(5)
            except subprocess.TimeoutExpired:
                h.manager.kill()
                h.manager.wait()
            h.manager = None
        # Whatever the manager left (units, dbus-daemon) lives in its cgroups.
        for cg in h.cgroups:
            for dirpath, _dirs, files in os.walk(cg):
                if "cgroup.procs" in files:
                    with open(os.path.join(dirpath, "cgroup.procs")) as f:
                        for pid in f.read().split():
                            try:
                                os.kill(int(pid), signal.SIGKILL)
                            except (ProcessLookupError, ValueError):
                                pass
        time.sleep(0.1)
        for cg in h.cgroups:
            for dirpath, _dirs, _files in sorted(os.walk(cg), key=lambda w: -len(w[0])):
                try:
                    os.rmdir(dirpath)
                except OSError:
                    pass
        h.cgroups.clear()

    def start_session_bus(self, host: str) -> str:
        """A private dbus-daemon for host; keepvipd started afterwards uses it
        with --user. Returns its address (see bus_env for clients)."""
        h = self.hosts[host]
        if h.bus_address is not None:
            return h.bus_address
        if shutil.which("dbus-daemon") is None:
            raise LabUnavailable("dbus-daemon is not installed")
        socket_path = os.path.join(h.workdir, "bus")
        log = open(os.path.join(h.workdir, "dbus-daemon.log"), "a")
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                                f"--address=unix:path={socket_path}"],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
        log.close()
        self._helpers.append(bus)
        deadline = time.monotonic() + 5
        while not os.path.exists(socket_path):
            if bus.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dbus-daemon for {host} did not come up")
            time.sleep(0.01)
        h.bus_address = f"unix:path={socket_path}"
        return h.bus_address

    def keepvipctl(self, host: str, *args: str) -> subprocess.CompletedProcess:
        """keepvipctl --user ARGS against host's keepvipd over the host's bus."""
        binary = find_keepvipctl(self.keepvipd or find_keepvipd() or "")
        if binary is None:
            raise LabUnavailable("keepvipctl not built (set KEEPVIPCTL or build build/dbus/keepvipctl)")
        return _run(self.bus_command(host, [binary, "--user", *args]), check=False)

    def bus_env(self, host: str) -> dict[str, str]:
        """Environment for a bus client (keepvipctl --user, busctl --user) of host's keepvipd."""
        address = self.hosts[host].bus_address
        if address is None:
            raise RuntimeError(f"{host} has no bus: call start_session_bus first")
        return {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}

    def _write_conf(self, h: Host, filename: str, text: str) -> str:
        path = os.path.join(h.workdir, filename)
        with open(path, "w") as f:
            f.write(text)
        return path

    def _spawn(self, h: Host, kind: str, cmd: list[str], conf: str,
               env: dict[str, str] | None = None) -> Daemon:
        if h.daemon is not None and h.daemon.running():
            raise RuntimeError(f"{h.name} already runs {h.daemon.kind} (pid {h.daemon.pid})")
        log_path = os.path.join(h.workdir, f"{kind}.log")
        child_env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        # No system bus exists in the lab; point at a socket that never exists
        # so a daemon cannot reach a bus outside its host by accident.
        child_env["DBUS_SYSTEM_BUS_ADDRESS"] = f"unix:path={h.workdir}/no-system-bus"
        child_env.update(env or {})
        with open(log_path, "a") as log:
            log.write(f"=== {time.strftime('%H:%M:%S')} {kind} on {h.name}: {' '.join(cmd)}\n")
            log.flush()
            # `ip netns exec` execs the command in place, so the pid is the
            # daemon's; a session of its own lets a kill take its children too.
            popen = subprocess.Popen([*self._enter(h), *cmd], stdin=subprocess.DEVNULL,
                                     stdout=log, stderr=subprocess.STDOUT, env=child_env,
                                     start_new_session=True)
        daemon = Daemon(kind=kind, host=h.name, popen=popen, log_path=log_path, conf_path=conf,
                        started_at=time.monotonic())
        h.daemon = daemon
        h.history.append(daemon)
        time.sleep(0.05)
        if not daemon.running():
            raise RuntimeError(f"{kind} on {h.name} exited at once ({popen.returncode}):\n"
                               + self.log_text(h.name, tail=30))
        return daemon

    def stop(self, host: str, graceful: bool = True, wait: bool = True, timeout: float = 5.0) -> float:
        """SIGTERM (graceful: the daemon resigns) or SIGKILL of the host's daemon
        and its children; returns the time.monotonic() the signal was sent.

        With wait=False it returns at once, so a caller can time the hand-over
        from the signal; call reap(host) afterwards. A SIGKILL leaves the VIPs
        on the interface, as on a crashed host.
        """
        daemon = self.hosts[host].daemon
        if daemon is None or not daemon.running():
            raise RuntimeError(f"nothing runs on {host}")
        sent_at = time.monotonic()
        if graceful:
            daemon.popen.send_signal(signal.SIGTERM)
        else:
            self._kill_group(daemon, wait=False)
        if wait:
            self.reap(host, timeout)
        return sent_at

    def reap(self, host: str, timeout: float = 5.0) -> int:
        """Waits for the host's daemon to exit (SIGKILL after timeout s); returns its exit status."""
        daemon = self.hosts[host].daemon
        if daemon is None:
            raise RuntimeError(f"nothing was started on {host}")
        self._terminate(daemon, graceful=False, timeout=timeout)
        return daemon.popen.returncode

    def _terminate(self, daemon: Daemon, graceful: bool, timeout: float) -> None:
        if graceful and daemon.running():
            daemon.popen.send_signal(signal.SIGTERM)
        try:
            daemon.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self._note(daemon, f"still running {timeout}s after it was told to stop; killing it")
        # Children (keepalived's VRRP process, notify scripts) go with the session.
        self._kill_group(daemon)

    @staticmethod
    def _kill_group(daemon: Daemon, wait: bool = True) -> None:
        try:
            os.killpg(daemon.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if wait:
            try:
                daemon.popen.wait(5)
            except subprocess.TimeoutExpired:
                pass

    def signal(self, host: str, sig: int) -> None:
        """Sends a signal (e.g. SIGHUP to reload) to the host's daemon."""
        daemon = self.hosts[host].daemon
        if daemon is None or not daemon.running():
            raise RuntimeError(f"nothing runs on {host}")
        daemon.popen.send_signal(sig)

    def running(self, host: str) -> bool:
        d = self.hosts[host].daemon
        return d is not None and d.running()

    def exit_code(self, host: str) -> int | None:
        d = self.hosts[host].daemon
        return None if d is None else d.popen.poll()

    def _note(self, daemon: Daemon, text: str) -> None:
        with open(daemon.log_path, "a") as log:
            log.write(f"=== lab: {text}\n")

    # -------------------------------------------------------------------- logs
    def log_text(self, host: str, tail: int | None = None) -> str:
        texts = []
        for path in sorted({d.log_path for d in self.hosts[host].history}):
            try:
                with open(path, errors="replace") as f:
                    texts.append(f.read())
            except FileNotFoundError:
                pass
        text = "".join(texts)
        if tail is not None:
            text = "\n".join(text.splitlines()[-tail:])
        return text

    def logs(self) -> dict[str, str]:
        return {name: self.log_text(name) for name in self.hosts}

    def dump_logs(self, stream=None, tail: int | None = 200) -> None:
        stream = stream or sys.stderr
        logs = self.final_logs if self._closed and self.final_logs else self.logs()
        for name, text in logs.items():
            if not text:
                continue
            lines = text.splitlines()
            if tail is not None:
                lines = lines[-tail:]
            stream.write(f"----- log of host {name} ({self.hosts[name].ns}) -----\n")
            stream.write("\n".join(lines) + "\n")
        stream.flush()

    # ------------------------------------------------------------------- probes
    def vip_holders(self, vip: str) -> set[str]:
        """Hosts whose interfaces carry vip now (`ip -n H -o addr`), tentative ones excluded."""
        want = ipaddress.ip_address(vip.split("/")[0])
        holders = set()
        for name, h in self.hosts.items():
            out = _run(["ip", "-n", h.ns, "-o", "addr", "show"], check=False).stdout
            for line in out.splitlines():
                fields = line.split()
                if len(fields) < 4 or fields[2] not in ("inet", "inet6"):
                    continue
                if "tentative" in fields or "dadfailed" in fields:
                    continue
                if ipaddress.ip_interface(fields[3]).ip == want:
                    holders.add(name)
        return holders

    def holders_now(self, vip: str) -> set[str]:
        """Like vip_holders, over netlink: cheap enough to poll every few ms."""
        want = ipaddress.ip_address(vip.split("/")[0])
        return {name for name, h in self.hosts.items() if want in h.reader.addresses()}

    def holds(self, host: str, vip: str) -> bool:
        return ipaddress.ip_address(vip.split("/")[0]) in self.hosts[host].reader.addresses()

    def wait_for_vip(self, vip: str, host: str, timeout: float, since: float | None = None,
                     poll: float = 0.005) -> float:
        """Polls every `poll` s until host holds vip; returns the ms elapsed since
        `since` (a time.monotonic() value, default: now). TimeoutError otherwise."""
        start = time.monotonic() if since is None else since
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            if self.holds(host, vip):
                return (now - start) * 1000.0
            if now >= deadline:
                raise TimeoutError(f"{vip} not on {host} after {timeout:.2f}s; "
                                   f"holders: {sorted(self.holders_now(vip)) or 'none'}")
            time.sleep(poll)

    def wait_for_release(self, vip: str, host: str, timeout: float, poll: float = 0.002) -> float:
        """Polls until host no longer holds vip; returns that moment (time.monotonic())."""
        deadline = time.monotonic() + timeout
        while self.holds(host, vip):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{host} still holds {vip} after {timeout:.2f}s")
            time.sleep(poll)
        return time.monotonic()

    def wait_for_holders(self, vip: str, expected: set[str], timeout: float,
                         since: float | None = None, poll: float = 0.005) -> float:
        """Polls until exactly `expected` hold vip; returns the ms elapsed since `since`."""
        start = time.monotonic() if since is None else since
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            current = self.holders_now(vip)
            if current == set(expected):
                return (now - start) * 1000.0
            if now >= deadline:
                raise TimeoutError(f"{vip}: wanted holders {sorted(expected)}, still "
                                   f"{sorted(current) or 'none'} after {timeout:.2f}s")
            time.sleep(poll)

    def settled_holders(self, vip: str, window: float = 1.0, poll: float = 0.02) -> set[str]:
        """Watches vip for `window` s and returns its holders if they never changed;
        AssertionError with the observed sequence otherwise (a flap or a double hold)."""
        first = self.holders_now(vip)
        seen = [(0.0, first)]
        start = time.monotonic()
        while time.monotonic() - start < window:
            time.sleep(poll)
            current = self.holders_now(vip)
            if current != seen[-1][1]:
                seen.append((time.monotonic() - start, current))
        if len(seen) > 1:
            steps = ", ".join(f"+{t * 1000:.0f}ms {sorted(s)}" for t, s in seen)
            raise AssertionError(f"{vip} holders changed during a {window}s rest window: {steps}")
        return first

    def wait_for_advert(self, host: str, source: str, timeout: float) -> float:
        """Waits until host's eth0 receives the next IPv4 VRRP advert from
        `source`; returns the time.monotonic() it arrived. TimeoutError otherwise.

        Lets a caller act in a known phase of the advert cycle: a master killed
        right after an advert leaves its backup the full Master_Down_Interval,
        so two daemons' hand-overs are compared from the same starting point.
        """
        eth_p_ip = 0x0800
        want = socket.inet_aton(source)
        sock = socket_in_netns(f"/run/netns/{self.hosts[host].ns}", socket.AF_PACKET,
                               socket.SOCK_RAW, socket.htons(eth_p_ip))
        try:
            sock.bind((IFNAME, eth_p_ip))
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no VRRP advert from {source} on {host} within {timeout:.2f}s")
                sock.settimeout(left)
                try:
                    frame = sock.recv(64)
                except socket.timeout:
                    continue
                # AF_PACKET SOCK_RAW on eth0: 14-byte Ethernet header, then IPv4.
                if len(frame) >= 34 and frame[23] == 112 and frame[26:30] == want:
                    return time.monotonic()
        finally:
            sock.close()

    # ---------------------------------------------------------------- failures
    def link_down(self, host: str, ifname: str = IFNAME) -> None:
        self.ip(host, "link", "set", ifname, "down")

    def link_up(self, host: str, ifname: str = IFNAME) -> None:
        self.ip(host, "link", "set", ifname, "up")
        if ifname == IFNAME:
            # The kernel flushed the IPv6 addresses when the link went down;
            # a real host makes its link-local address again on the way up,
            # ours has addrgenmode none, so the lab puts them back.
            h = self.hosts[host]
            for address in (h.addr6, h.ll6):
                self.ip(host, "addr", "replace", f"{address}/64", "dev", IFNAME, "nodad")

    def nft_drop_vrrp(self, host: str, direction: str = "in") -> None:
        """Drops VRRP (IP protocol 112) at the host's firewall: 'in', 'out' or 'both'.

        The seed's second cause of split brain: a firewall eating the heartbeat.
        """
        self.nft_drop(host, "meta l4proto 112", direction)

    def nft_drop(self, host: str, match: str, direction: str = "in") -> None:
        """Drops packets matching an nft expression (e.g. 'ip daddr 224.0.0.18')
        in the host's namespace; replaces any earlier lab rule set there."""
        hooks = {"in": ["input"], "out": ["output"], "both": ["input", "output"]}[direction]
        rules = ["table inet kvlab_vrrp {"]
        for hook in hooks:
            rules += [f"  chain {hook} {{", f"    type filter hook {hook} priority -300;",
                      f"    {match} counter drop", "  }"]
        rules.append("}")
        self.nft_clear(host)
        _run(["ip", "netns", "exec", self.hosts[host].ns, "nft", "-f", "-"],
             input_text="\n".join(rules) + "\n")

    def nft_clear(self, host: str) -> None:
        _run(["ip", "netns", "exec", self.hosts[host].ns, "nft", "delete", "table", "inet",
              "kvlab_vrrp"], check=False)

    def flush_vip(self, host: str, vip: str) -> None:
        """Removes a VIP by hand, as a reboot of a crashed host would."""
        address = ipaddress.ip_interface(vip if "/" in vip else vip + ("/128" if ":" in vip else "/32"))
        for line in self.ip(host, "-o", "addr", "show", "dev", IFNAME).splitlines():
            fields = line.split()
            if len(fields) >= 4 and ipaddress.ip_interface(fields[3]).ip == address.ip:
                self.ip(host, "addr", "del", fields[3], "dev", IFNAME, check=False)


if __name__ == "__main__":
    # `python3 tests/lab/lab.py sweep`: remove namespaces left by lab runs that died.
    if sys.argv[1:] != ["sweep"]:
        print("usage: lab.py sweep   (delete kvlab-* namespaces whose run is gone)", file=sys.stderr)
        sys.exit(2)
    try:
        check_environment(need_keepalived=False)
    except LabUnavailable as e:
        skip_exit(str(e))
    for name in sweep_stale_namespaces():
        print(f"deleted {name}")
