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
interpreter exit, and by the sweep of `kvlab-*` namespaces and cgroups left
behind by runs that died (their owning pid is gone). Python 3 standard library
only.
"""

from __future__ import annotations

import atexit
import contextlib
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

from .environment import check_environment, find_keepvipctl, find_keepvipd
from .netlink_addrs import AddressReader, socket_in_netns
from .netns import PREFIX, add_netns, delete_netns, run, sweep_stale_namespaces
from .skip import InterruptOnSignal, LabUnavailable
from .systemd_user import BUS_ADDRESS, UserManager, check_available, sweep_stale_cgroups

IFNAME = "eth0"
UPLINK = "up0"
BRIDGE = "br0"
# The package's traffic tools, for tool_command.
FLOODER = "vrrp_flood"  # forged VRRPv2 adverts at a rate (wrong password, TTL 64)
ADVERT_SENDER = "advert_sender"  # crafted v2/v3 adverts, unicast or multicast
ICMP_REPLY_FLOOD = "icmp_reply_flood"  # forged echo replies to one address

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
    manager: UserManager | None = None  # its systemd user manager, if any
    daemon: Daemon | None = None
    history: list[Daemon] = field(default_factory=list)


def smtp_python() -> str:
    """A Python that has aiosmtpd: this one, or the system's (Debian's
    python3-aiosmtpd) when tests run under another interpreter."""
    for python in (sys.executable, "/usr/bin/python3", "/usr/libexec/platform-python"):
        if python and os.path.exists(python) and subprocess.run(
                [python, "-c", "import aiosmtpd"], capture_output=True).returncode == 0:
            return python
    raise LabUnavailable("aiosmtpd is not installed (scripts/install-deps.sh installs it)")


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
        self._signals = InterruptOnSignal()
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
        sweep_stale_cgroups()
        Lab._active_prefixes.add(self.prefix)
        self._closed = False
        atexit.register(self.close)
        self._signals.install()
        self.workdir = tempfile.mkdtemp(prefix=f"{self.prefix}-")
        try:
            self._add_netns(self.bridge_ns)
            br = ["ip", "-n", self.bridge_ns]
            run(br + ["link", "set", "lo", "up"])
            # No multicast snooping: VRRP goes to 224.0.0.18 / ff02::12 and must
            # reach every port whether or not anyone sent a membership report.
            run(br + ["link", "add", BRIDGE, "type", "bridge", "stp_state", "0",
                       "forward_delay", "0", "mcast_snooping", "0"])
            run(br + ["link", "set", BRIDGE, "up"])
            for i, name in enumerate(self._host_names, start=1):
                self.hosts[name] = self._add_host(name, i)
        except BaseException:
            self.close()
            raise

    def _add_netns(self, ns: str) -> None:
        add_netns(ns)
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
        run(br + ["link", "add", peer, "type", "veth", "peer", "name", IFNAME, "netns", ns])
        run(br + ["link", "set", peer, "master", BRIDGE, "up"])
        hn = ["ip", "-n", ns]
        run(hn + ["link", "set", "lo", "up"])
        run(hn + ["link", "set", IFNAME, "address", host.mac, "addrgenmode", "none"])
        run(hn + ["link", "set", IFNAME, "up"])
        run(hn + ["addr", "add", f"{host.addr4}/24", "dev", IFNAME])
        run(hn + ["addr", "add", f"{host.addr6}/64", "dev", IFNAME, "nodad"])
        run(hn + ["addr", "add", f"{host.ll6}/64", "dev", IFNAME, "nodad"])
        if self.uplinks:
            run(br + ["link", "add", f"ku-{name}", "type", "veth", "peer", "name", UPLINK, "netns", ns])
            run(br + ["link", "set", f"ku-{name}", "up"])
            run(hn + ["link", "set", UPLINK, "up"])
        host.reader = AddressReader(f"/run/netns/{ns}")
        return host

    @staticmethod
    def _sysctl(ns: str, key: str, value: str) -> None:
        run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", f"{key}={value}"])

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
                if host.manager is not None:
                    host.manager.stop()
                    host.manager = None
            for helper in self._helpers:
                helper.kill()
                helper.wait()
            self._helpers.clear()
            for ns in reversed(self._created_ns):
                delete_netns(ns)
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
            self._signals.restore()
            atexit.unregister(self.close)

    # --------------------------------------------------------------------- hosts
    def host(self, name: str) -> Host:
        return self.hosts[name]

    def exec(self, host: str, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        """Runs a command inside a host's namespace and returns its output."""
        return run(["ip", "netns", "exec", self.hosts[host].ns, *cmd], check=check)

    def ip(self, host: str, *args: str, check: bool = True) -> str:
        return run(["ip", "-n", self.hosts[host].ns, *args], check=check).stdout

    def tool_command(self, host: str, tool: str, *args: str) -> list[str]:
        """The command that runs one of the package's traffic tools (FLOODER,
        ADVERT_SENDER, ICMP_REPLY_FLOOD) in host's namespace; it finds the
        package on the PYTHONPATH this process was given."""
        return ["ip", "netns", "exec", self.hosts[host].ns, sys.executable, "-m",
                f"{__package__}.{tool}", *args]

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
        # Written by the VRRP child after the parent relays the signal. The
        # interface list comes last; then the file must stay the same for
        # half a second: a busy child can pause mid-file for longer than one
        # poll, and a half-written file would read as instances without VIPs.
        unchanged = 0
        while time.monotonic() < deadline:
            time.sleep(0.1)
            try:
                with open(path, errors="replace") as f:
                    current = f.read()
            except FileNotFoundError:
                continue
            unchanged = unchanged + 1 if current == text else 0
            text = current
            if "< Interfaces >" in text and unchanged >= 5:
                return text
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
        return run([*self._enter(h), binary, "--runtime-dir", runtime, *args], check=False)

    def _enter(self, h: Host) -> list[str]:
        """The command prefix that runs something on host h: in its network
        namespace, and in its user manager's mount namespace (private /run with
        the manager's bus) when it has one."""
        if h.manager is not None:
            return h.manager.enter()
        return ["ip", "netns", "exec", h.ns]

    def bus_command(self, host: str, cmd: list[str]) -> list[str]:
        """cmd as a client of host's bus (keepvipctl --user, busctl --user, systemctl --user)."""
        h = self.hosts[host]
        if h.bus_address is None:
            raise RuntimeError(f"{host} has no bus: start_session_bus or start_user_manager first")
        prefix = self._enter(h) if h.manager is not None else ["env"]
        return [*prefix, f"DBUS_SESSION_BUS_ADDRESS={h.bus_address}", *cmd]

    def start_user_manager(self, host: str, units: dict[str, str]) -> None:
        """A systemd user manager for host (systemd_user.UserManager: own cgroups,
        private /run, host's network); `units` (name -> unit file text) are
        installed in it. keepvipd started afterwards runs in its mount namespace
        with --user, so track_unit / master_units act on real units."""
        h = self.hosts[host]
        if h.manager is not None or h.bus_address is not None:
            raise RuntimeError(f"{host} already has a bus")
        check_available()
        # Set before it starts: close() stops it whatever happens from here.
        h.manager = UserManager(h.ns, h.workdir, units)
        h.manager.start()
        h.bus_address = BUS_ADDRESS

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

    def start_smtp_sink(self, host: str, bind: str, port: int = 25) -> str:
        """A real SMTP server (aiosmtpd, smtp_sink.py) in host's namespace on
        bind:port; returns the spool directory where each accepted message
        lands as a JSON file."""
        python = smtp_python()
        spool = tempfile.mkdtemp(prefix=f"smtp-{port}-", dir=self.hosts[host].workdir)
        log = open(os.path.join(self.hosts[host].workdir, f"smtp-{port}.log"), "a")
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(__file__)))
        sink = subprocess.Popen(["ip", "netns", "exec", self.hosts[host].ns, python, "-m",
                                 f"{__package__}.smtp_sink", "--bind", bind, "--port", str(port),
                                 "--spool", spool],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)
        log.close()
        self._helpers.append(sink)
        deadline = time.monotonic() + 10
        while not os.path.exists(os.path.join(spool, ".ready")):
            if sink.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"SMTP server on {host} [{bind}]:{port} did not come up")
            time.sleep(0.02)
        return spool

    def keepvipctl(self, host: str, *args: str) -> subprocess.CompletedProcess:
        """keepvipctl --user ARGS against host's keepvipd over the host's bus."""
        binary = find_keepvipctl(self.keepvipd or find_keepvipd() or "")
        if binary is None:
            raise LabUnavailable("keepvipctl not built (set KEEPVIPCTL or build build/dbus/keepvipctl)")
        return run(self.bus_command(host, [binary, "--user", *args]), check=False)

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
            out = run(["ip", "-n", h.ns, "-o", "addr", "show"], check=False).stdout
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
        with self._vrrp_sniffer(host) as sniff:
            for arrived, sender, _ in sniff(timeout):
                if sender == source:
                    return arrived
        raise TimeoutError(f"no VRRP advert from {source} on {host} within {timeout:.2f}s")

    def capture_adverts(self, host: str, seconds: float) -> list[tuple[float, str, int]]:
        """Every IPv4 VRRP advert host's eth0 receives during `seconds` (not
        those it sends): (time.monotonic(), source address, priority), in order."""
        with self._vrrp_sniffer(host) as sniff:
            return list(sniff(seconds))

    def capture_garps(self, host: str, seconds: float) -> list[tuple[float, str]]:
        """Every gratuitous ARP (sender address = target address) host's eth0
        receives during `seconds`: (time.monotonic(), the address claimed)."""
        eth_p_arp = 0x0806
        sock = socket_in_netns(f"/run/netns/{self.hosts[host].ns}", socket.AF_PACKET,
                               socket.SOCK_RAW, socket.htons(eth_p_arp))
        garps = []
        try:
            sock.bind((IFNAME, eth_p_arp))
            deadline = time.monotonic() + seconds
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                try:
                    frame = sock.recv(64)
                except socket.timeout:
                    continue
                # Ethernet (14), then ARP: sender IP at 28..32, target IP at 38..42.
                if len(frame) >= 42 and frame[28:32] == frame[38:42]:
                    garps.append((time.monotonic(), socket.inet_ntoa(frame[28:32])))
        finally:
            sock.close()
        return garps

    def carrier(self, host: str, up: bool) -> None:
        """Takes the carrier of host's eth0 away (or gives it back) from the
        bridge side: the link stays administratively up, as with a pulled cable."""
        run(["ip", "-n", self.bridge_ns, "link", "set", f"kv-{host}", "up" if up else "down"])

    @contextlib.contextmanager
    def _vrrp_sniffer(self, host: str):
        eth_p_ip = 0x0800
        sock = socket_in_netns(f"/run/netns/{self.hosts[host].ns}", socket.AF_PACKET,
                               socket.SOCK_RAW, socket.htons(eth_p_ip))

        def adverts(seconds: float):
            deadline = time.monotonic() + seconds
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                try:
                    frame = sock.recv(128)
                except socket.timeout:
                    continue
                # AF_PACKET SOCK_RAW on eth0: 14-byte Ethernet header, then
                # IPv4 (protocol 112), then VRRP (priority in its third byte).
                if len(frame) < 34 or frame[23] != 112:
                    continue
                vrrp = 14 + (frame[14] & 0x0F) * 4
                if len(frame) > vrrp + 2:
                    yield time.monotonic(), socket.inet_ntoa(frame[26:30]), frame[vrrp + 2]

        try:
            sock.bind((IFNAME, eth_p_ip))
            yield adverts
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
        run(["ip", "netns", "exec", self.hosts[host].ns, "nft", "-f", "-"],
             input_text="\n".join(rules) + "\n")

    def nft_clear(self, host: str) -> None:
        run(["ip", "netns", "exec", self.hosts[host].ns, "nft", "delete", "table", "inet",
              "kvlab_vrrp"], check=False)

    def flush_vip(self, host: str, vip: str) -> None:
        """Removes a VIP by hand, as a reboot of a crashed host would."""
        address = ipaddress.ip_interface(vip if "/" in vip else vip + ("/128" if ":" in vip else "/32"))
        for line in self.ip(host, "-o", "addr", "show", "dev", IFNAME).splitlines():
            fields = line.split()
            if len(fields) >= 4 and ipaddress.ip_interface(fields[3]).ip == address.ip:
                self.ip(host, "addr", "del", fields[3], "dev", IFNAME, check=False)

