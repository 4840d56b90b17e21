#!/usr/bin/env python3
"""Adds up CTest JUnit reports and prints one closing line:
   "keepvip: N passed, N failed, N skipped"
Exits 1 if any test failed or a report is missing."""
import sys
import xml.etree.ElementTree as ET


def count(path):
    passed = failed = skipped = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        status = case.get("status", "")
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None or status in ("notrun", "disabled"):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main(paths):
    totals = [0, 0, 0]
    missing = False
    for path in paths:
        try:
            for i, n in enumerate(count(path)):
                totals[i] += n
        except (OSError, ET.ParseError) as e:
            print(f"junit_summary: {path}: {e}", file=sys.stderr)
            missing = True
    passed, failed, skipped = totals
    print(f"keepvip: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
