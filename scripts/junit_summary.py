#!/usr/bin/env python3
"""Adds up the CTest runs of scripts/test.sh and prints one closing line:

    keepvip: N passed, N failed, N skipped[; kernel features missing: ...][; FAILED: why]

Each argument is a build directory holding ctest-results.xml (ctest
--output-junit) and ctest-tests.json (ctest --show-only=json-v1, which gives
every test's labels). Exits 1 if a test failed, a report is missing, or a rule
below is broken.

  --strict              (scripts/test.sh passes it when run as root) a test
                        labelled bpf, netns, dbus, integration or packaging may
                        not skip, unless its output names a missing kernel
                        feature with a line containing
                            SKIP(kernel-feature: NAME)
                        Those features are printed in the closing line.
  --require-label L     label L must have registered at least one test in the
                        runs (a suite that silently registered nothing fails).

A test CTest did not run for another reason than its skip code or skip
expression (an executable that was not built) is a failure, not a skip.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

PRIVILEGED_LABELS = ("bpf", "netns", "dbus", "integration", "packaging")
KERNEL_FEATURE = re.compile(r"SKIP\(kernel-feature: ([A-Za-z0-9_.+-]+)\)")
# How CTest marks a skip it was told about (SKIP_RETURN_CODE, and the
# SKIP_REGULAR_EXPRESSION gtest_discover_tests sets for GTEST_SKIP).
CTEST_SKIP_MESSAGES = re.compile(r"^(SKIP_RETURN_CODE=\d+|SKIP_REGULAR_EXPRESSION_MATCHED)$")


@dataclass
class Case:
    name: str
    outcome: str  # "passed", "failed", "skipped"
    labels: tuple[str, ...] = ()
    reason: str = ""  # why it skipped or did not run
    kernel_feature: str | None = None


@dataclass
class Summary:
    cases: list[Case] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.cases if c.outcome == outcome)


def skip_reason(output: str, fallback: str) -> str:
    """The line that says why a test skipped: our SKIP lines, gtest's
    "Skipped" block, unittest's "skipped '...'", else CTest's message."""
    lines = [line.strip() for line in output.splitlines()]
    for line in lines:
        if KERNEL_FEATURE.search(line):
            return line
    for i, line in enumerate(lines):
        if line.startswith("SKIP:"):
            return line
        if line.endswith(": Skipped") and i + 1 < len(lines) and lines[i + 1]:
            return lines[i + 1]  # gtest: "file.cpp:53: Skipped" then the message
        m = re.search(r"skipped '(.*)'", line)
        if m:
            return m.group(1)
    return fallback


def read_labels(path: str) -> dict[str, tuple[str, ...]]:
    with open(path) as f:
        info = json.load(f)
    labels = {}
    for test in info.get("tests", []):
        props = {p["name"]: p["value"] for p in test.get("properties", [])}
        labels[test["name"]] = tuple(props.get("LABELS", []))
    return labels


def read_cases(junit_path: str, labels: dict[str, tuple[str, ...]]) -> list[Case]:
    cases = []
    for tc in ET.parse(junit_path).getroot().iter("testcase"):
        name = tc.get("name", "")
        out = tc.findtext("system-out") or ""
        skipped = tc.find("skipped")
        case = Case(name=name, outcome="passed", labels=labels.get(name, ()))
        if tc.find("failure") is not None or tc.find("error") is not None:
            case.outcome = "failed"
        elif skipped is not None:
            message = skipped.get("message", "")
            if CTEST_SKIP_MESSAGES.match(message):
                case.outcome = "skipped"
                case.reason = skip_reason(out, message)
                m = KERNEL_FEATURE.search(out)
                case.kernel_feature = m.group(1) if m else None
            else:
                case.outcome = "failed"  # e.g. "Unable to find executable"
                case.reason = f"not run: {message or out.strip()}"
        elif tc.get("status") == "disabled":
            case.outcome = "skipped"
            case.reason = "DISABLED in CMake"
        cases.append(case)
    return cases


def summarize(build_dirs: list[str], strict: bool, required: list[str]) -> Summary:
    summary = Summary()
    for build in build_dirs:
        junit = os.path.join(build, "ctest-results.xml")
        tests = os.path.join(build, "ctest-tests.json")
        try:
            summary.cases += read_cases(junit, read_labels(tests))
        except (OSError, ET.ParseError, ValueError, KeyError) as e:
            summary.problems.append(f"no usable report in {build} ({e})")
    for case in summary.cases:
        privileged = [label for label in case.labels if label in PRIVILEGED_LABELS]
        if strict and case.outcome == "skipped" and privileged and not case.kernel_feature:
            summary.problems.append(f"{case.name} ({','.join(privileged)}) skipped as root: "
                                    f"{case.reason}")
    for label in required:
        if not any(label in c.labels for c in summary.cases):
            summary.problems.append(f"label {label!r} registered no test")
    return summary


def closing_line(summary: Summary) -> str:
    line = (f"keepvip: {summary.count('passed')} passed, {summary.count('failed')} failed, "
            f"{summary.count('skipped')} skipped")
    features = sorted({f"{c.kernel_feature} ({c.name})" for c in summary.cases if c.kernel_feature})
    if features:
        line += "; kernel features missing: " + ", ".join(features)
    if summary.problems:
        line += f"; FAILED: {len(summary.problems)} rule(s) broken (listed above)"
    return line


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true",
                        help="privileged suites may skip only for a named missing kernel feature")
    parser.add_argument("--require-label", action="append", default=[], metavar="LABEL")
    parser.add_argument("build_dirs", nargs="+", metavar="BUILD_DIR")
    args = parser.parse_args(argv)

    summary = summarize(args.build_dirs, args.strict, args.require_label)
    for case in summary.cases:
        if case.outcome == "skipped":
            print(f"skipped: {case.name}: {case.reason}")
        elif case.outcome == "failed" and case.reason:
            print(f"failed: {case.name}: {case.reason}")
    for problem in summary.problems:
        print(f"junit_summary: {problem}")
    print(closing_line(summary))
    return 1 if summary.count("failed") or summary.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
