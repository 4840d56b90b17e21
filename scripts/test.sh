#!/usr/bin/env bash
# Builds keepvip and runs every test suite: the README's test command.
#   sudo ./scripts/test.sh            everything (unit, bpf, integration, fuzz)
#   sudo ./scripts/test.sh -L unit    only one CTest label (extra args go to ctest)
# Root is needed for the privileged suites (bpf, netns, dbus, integration,
# packaging); without it they skip. As root they must run: a skip there fails
# the run unless the test names a missing kernel feature with a line
# "SKIP(kernel-feature: NAME)", and a full run fails if one of those labels
# registered no test (scripts/junit_summary.py).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  ./scripts/install-deps.sh
else
  echo "test.sh: not root: dependencies not installed, privileged suites will skip" >&2
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

# The fuzzers need clang's libFuzzer, so they live in a build of their own;
# their bounded runs are registered as CTest tests (label "fuzz") there.
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEEPVIP_FUZZ=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build-fuzz -j"$jobs" --target keepvip_fuzzers

status=0
summary_args=()
if [ "$(id -u)" -eq 0 ]; then
  summary_args+=(--strict)
fi
if [ $# -eq 0 ]; then
  for label in unit bpf netns dbus integration packaging fuzz; do
    summary_args+=(--require-label "$label")
  done
fi
# A report left by an earlier run must not stand in for this one.
rm -f build/ctest-results.xml build-fuzz/ctest-results.xml
# The labels of every test, for the summary.
ctest --test-dir build --show-only=json-v1 >build/ctest-tests.json
# Unit, BPF and netns tests run in parallel; the namespace labs carry
# RUN_SERIAL so their timers are not skewed by each other.
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900 \
  --output-junit ctest-results.xml "$@" || status=$?
results=(build)
if [ $# -eq 0 ]; then
  ctest --test-dir build-fuzz --show-only=json-v1 >build-fuzz/ctest-tests.json
  ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -L fuzz \
    --output-junit ctest-results.xml || status=$?
  results+=(build-fuzz)
fi

# One closing line for both runs, so the total is read in one place.
python3 scripts/junit_summary.py "${summary_args[@]}" "${results[@]}" || status=$?
exit $status
