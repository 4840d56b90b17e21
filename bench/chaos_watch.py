"""Who holds each VIP, sampled every 20 ms over rtnetlink for the whole soak,
kept as a timeline of changes the invariants are checked against."""

from __future__ import annotations

import ipaddress
import threading
import time

from keepvip_lab import Lab

PERIOD = 0.02


class HolderWatch:
    """A thread that samples the holders of `vips` on every lab host.

    Only this thread touches the hosts' netlink readers (they are not
    thread-safe); everyone else reads the timeline it keeps."""

    def __init__(self, lab: Lab, vips: list[str]):
        self.lab = lab
        self.vips = [ipaddress.ip_address(v) for v in vips]
        self._lock = threading.Lock()
        self._current: dict[str, frozenset[str]] = {}
        # (time, vip, holders) each time a VIP's holders changed
        self._changes: list[tuple[float, str, frozenset[str]]] = []
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="holder-watch", daemon=True)

    def start(self) -> None:
        self._sample()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _sample(self) -> None:
        now = time.monotonic()
        seen = {str(v): set() for v in self.vips}
        for name, host in self.lab.hosts.items():
            addresses = host.reader.addresses()
            for vip in self.vips:
                if vip in addresses:
                    seen[str(vip)].add(name)
        with self._lock:
            for vip, holders in seen.items():
                frozen = frozenset(holders)
                if self._current.get(vip) != frozen:
                    self._current[vip] = frozen
                    self._changes.append((now, vip, frozen))

    def _run(self) -> None:
        try:
            while not self._stop.wait(PERIOD):
                self._sample()
        except BaseException as e:  # reported by the next reader, not lost in a thread
            self._error = e

    def _check(self) -> None:
        if self._error is not None:
            raise RuntimeError(f"the holder watch stopped: {self._error!r}")

    # ------------------------------------------------------------- readers
    def current(self) -> dict[str, frozenset[str]]:
        self._check()
        with self._lock:
            return dict(self._current)

    def wait_for(self, expected: dict[str, frozenset[str]], timeout: float) -> float | None:
        """Waits until the holders are `expected`; the time.monotonic() of the
        sample that first showed it, or None after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._current == expected:
                    return max(t for t, vip, _ in self._changes_since_last(expected))
            self._check()
            if time.monotonic() > deadline:
                return None
            time.sleep(PERIOD / 2)

    def _changes_since_last(self, expected: dict[str, frozenset[str]]):
        """The last change of every VIP (called with the lock held)."""
        last = {}
        for change in self._changes:
            last[change[1]] = change
        return [last[vip] for vip in expected]

    def deviations(self, expected: dict[str, frozenset[str]], start: float,
                   end: float) -> list[tuple[float, float, str, frozenset[str]]]:
        """Every stretch within [start, end] in which a VIP's holders were not
        expected: (from, to, vip, holders)."""
        self._check()
        with self._lock:
            changes = list(self._changes)
        found = []
        for vip, want in expected.items():
            state, since = None, start
            for t, v, holders in changes:
                if v != vip:
                    continue
                if t <= start:
                    state = holders
                    continue
                if t > end:
                    break
                if state != want:
                    found.append((since, t, vip, state))
                state, since = holders, t
            if state != want:
                found.append((since, end, vip, state))
        return found
