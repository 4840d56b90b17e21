#!/usr/bin/env bash
# Chaos soak: keepvip and keepalived nodes under a seeded random fault schedule
# (bench/chaos.py), invariants checked all along; prints the seed to replay.
#   sudo bench/chaos.sh                         30 minutes, kv,kv,ka, a random seed
#   sudo bench/chaos.sh --seed 7 --duration 120 the short variant CTest runs
# Uses $KEEPVIPD, else build/agent/keepvipd. Cleans up its namespaces on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: chaos.sh needs root (network namespaces, BPF, systemd user managers)" >&2
  exit 77
fi
# The lab library: the keepvip_lab package in tests/lab, imported from PYTHONPATH.
export PYTHONPATH="$PWD/tests/lab${PYTHONPATH:+:$PYTHONPATH}"
exec python3 bench/chaos.py "$@"
