#!/usr/bin/env python3
"""scripts/junit_summary.py against what CTest really writes: a throw-away
project whose tests pass, fail, skip (exit code 77, GTEST_SKIP's marker,
a named missing kernel feature), are disabled or were never built, run
through the same ctest options as scripts/test.sh."""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SUMMARY = os.path.join(HERE, "..", "..", "..", "scripts", "junit_summary.py")
CMAKE = os.environ.get("CMAKE_COMMAND", "cmake")
CTEST = os.environ.get("CTEST_COMMAND", "ctest")

# name -> (shell command, labels, extra properties)
TESTS = {
    "unit.ok": ("echo fine", "unit", ""),
    "unit.skips": ("echo 'SKIP: no dbus-daemon'; exit 77", "unit", "SKIP_RETURN_CODE 77"),
    "bpf.gtest_skip": ("printf 'x.cpp:53: Skipped\\nneeds root\\n[  SKIPPED ] T.t\\n'", "bpf",
                       "SKIP_REGULAR_EXPRESSION \"\\\\[  SKIPPED \\\\]\""),
    "netns.kernel": ("echo 'SKIP(kernel-feature: ipv6): IPv6 is disabled'; exit 77", "netns",
                     "SKIP_RETURN_CODE 77"),
    "integration.ok": ("true", "integration", ""),
    "packaging.ok": ("true", "packaging", ""),
    "dbus.ok": ("true", "dbus", ""),
}


def project(tests: dict, extra: str = "") -> str:
    lines = ["cmake_minimum_required(VERSION 3.20)", "project(p NONE)", "enable_testing()"]
    for name, (cmd, labels, props) in tests.items():
        lines.append(f'add_test(NAME {name} COMMAND sh -c "{cmd}")')
        lines.append(f"set_tests_properties({name} PROPERTIES LABELS {labels} {props})")
    return "\n".join(lines) + "\n" + extra


class JunitSummary(unittest.TestCase):
    def build(self, tests: dict, extra: str = "") -> str:
        root = tempfile.mkdtemp(prefix="kv-junit-")
        self.addCleanup(subprocess.run, ["rm", "-rf", root])
        with open(os.path.join(root, "CMakeLists.txt"), "w") as f:
            f.write(project(tests, extra))
        build = os.path.join(root, "build")
        subprocess.run([CMAKE, "-S", root, "-B", build], check=True, capture_output=True)
        subprocess.run([CTEST, "--test-dir", build, "--output-junit", "ctest-results.xml"],
                       capture_output=True)
        with open(os.path.join(build, "ctest-tests.json"), "w") as f:
            subprocess.run([CTEST, "--test-dir", build, "--show-only=json-v1"], stdout=f, check=True)
        return build

    def summary(self, *args: str) -> tuple[int, str]:
        proc = subprocess.run([sys.executable, SUMMARY, *args], capture_output=True, text=True)
        return proc.returncode, proc.stdout + proc.stderr

    def closing(self, output: str) -> str:
        return [line for line in output.splitlines() if line.startswith("keepvip: ")][-1]

    def test_privileged_skip_fails_only_when_strict(self):
        build = self.build(TESTS)
        code, out = self.summary(build)
        self.assertEqual(code, 0, out)
        self.assertEqual(self.closing(out),
                         "keepvip: 4 passed, 0 failed, 3 skipped; "
                         "kernel features missing: ipv6 (netns.kernel)")
        code, out = self.summary("--strict", build)
        self.assertEqual(code, 1, out)
        self.assertIn("bpf.gtest_skip (bpf) skipped as root: needs root", out)
        self.assertIn("FAILED: 1 rule(s) broken", self.closing(out))
        self.assertNotIn("unit.skips (", out, "unit tests may skip")
        self.assertNotIn("netns.kernel (", out, "a named kernel feature may skip")

    def test_every_skip_is_listed_with_its_reason(self):
        _, out = self.summary(self.build(TESTS))
        self.assertIn("skipped: unit.skips: SKIP: no dbus-daemon", out)
        self.assertIn("skipped: bpf.gtest_skip: needs root", out)
        self.assertIn("skipped: netns.kernel: SKIP(kernel-feature: ipv6): IPv6 is disabled", out)

    def test_strict_run_without_skips_passes(self):
        tests = {k: v for k, v in TESTS.items() if k != "bpf.gtest_skip"}
        code, out = self.summary("--strict", *[f"--require-label={l}" for l in
                                               ("netns", "dbus", "integration", "packaging")],
                                 self.build(tests))
        self.assertEqual(code, 0, out)

    def test_a_label_without_tests_fails(self):
        code, out = self.summary("--require-label", "bpf", "--require-label", "integration",
                                 self.build({"unit.ok": TESTS["unit.ok"]}))
        self.assertEqual(code, 1, out)
        self.assertIn("label 'bpf' registered no test", out)
        self.assertIn("label 'integration' registered no test", out)

    def test_unbuilt_executable_is_a_failure_not_a_skip(self):
        extra = ("add_test(NAME bpf.not_built COMMAND /nonexistent/guard_bpf_test)\n"
                 "set_tests_properties(bpf.not_built PROPERTIES LABELS bpf)\n")
        code, out = self.summary(self.build({"unit.ok": TESTS["unit.ok"]}, extra))
        self.assertEqual(code, 1, out)
        self.assertEqual(self.closing(out), "keepvip: 1 passed, 1 failed, 0 skipped")

    def test_disabled_privileged_test_fails_when_strict(self):
        extra = ("add_test(NAME integration.off COMMAND true)\n"
                 "set_tests_properties(integration.off PROPERTIES LABELS integration DISABLED TRUE)\n")
        build = self.build({"unit.ok": TESTS["unit.ok"]}, extra)
        self.assertEqual(self.summary(build)[0], 0)
        code, out = self.summary("--strict", build)
        self.assertEqual(code, 1, out)
        self.assertIn("integration.off (integration) skipped as root: DISABLED", out)

    def test_missing_report_fails(self):
        build = self.build({"unit.ok": TESTS["unit.ok"]})
        os.remove(os.path.join(build, "ctest-results.xml"))
        code, out = self.summary(build)
        self.assertEqual(code, 1, out)
        self.assertIn("no usable report", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
