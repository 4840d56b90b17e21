#!/usr/bin/env bash
# Builds keepvip and runs every test suite: the README's test command.
#   sudo ./scripts/test.sh            everything (unit, bpf, integration, fuzz)
#   sudo ./scripts/test.sh -L unit    only one CTest label (extra args go to ctest)
# Root is needed for the BPF and namespace suites; without it they skip.
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
# Unit, BPF and netns tests run in parallel; the namespace labs carry
# RUN_SERIAL so their timers are not skewed by each other.
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900 \
  --output-junit ctest-results.xml "$@" || status=$?
results=(build/ctest-results.xml)
if [ $# -eq 0 ]; then
  ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -L fuzz \
    --output-junit ctest-results.xml || status=$?
  results+=(build-fuzz/ctest-results.xml)
fi

# One closing line for both runs, so the total is read in one place.
python3 scripts/junit_summary.py "${results[@]}" || status=$?
exit $status
