"""How a lab run ends early: a skip CTest understands, or a termination signal
every with-block unwinds through."""

from __future__ import annotations

import signal
import sys

SKIP_EXIT_CODE = 77


class LabUnavailable(Exception):
    """The lab cannot run on this machine (no root, a tool missing); tests skip."""


class LabInterrupted(KeyboardInterrupt):
    """A termination signal arrived; raised so every with-block and test runner
    unwinds (unittest stops a run on KeyboardInterrupt but records other
    exceptions, SystemExit included, as one failed test and carries on)."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


class InterruptOnSignal:
    """While installed, SIGTERM, SIGHUP and SIGINT raise LabInterrupted in the
    main thread, so the cleanup in `finally` and `__exit__` runs for them too."""

    SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)

    def __init__(self) -> None:
        self._old: dict[int, object] = {}

    def install(self) -> None:
        def on_signal(signum, _frame):
            raise LabInterrupted(signum)

        for sig in self.SIGNALS:
            try:
                self._old[sig] = signal.signal(sig, on_signal)
            except ValueError:  # not the main thread: atexit still cleans up
                pass

    def restore(self) -> None:
        for sig, handler in self._old.items():
            try:
                signal.signal(sig, handler)
            except ValueError:
                pass
        self._old.clear()


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
