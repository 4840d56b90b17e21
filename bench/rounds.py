"""What the failover benchmarks share: rounds over their setups within a time
budget, and how a duration is printed."""

from __future__ import annotations

import sys
import time
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def run_rounds(setups: Sequence[T], rounds: int, measure: Callable[[T], None], deadline: float,
               label: str = "round") -> None:
    """measure(setup) for every setup, `rounds` times, until time.monotonic()
    passes deadline. Who goes first rotates, so no setup always runs on a
    machine still busy with the same other one's restart."""
    for r in range(rounds):
        order = list(setups[r % len(setups):]) + list(setups[:r % len(setups)])
        for setup in order:
            if time.monotonic() >= deadline:
                print("  time budget exhausted; reporting what was measured", file=sys.stderr)
                return
            measure(setup)
        print(f"  {label} {r + 1}/{rounds} done", file=sys.stderr)
