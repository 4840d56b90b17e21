#!/usr/bin/env bash
# Failover benchmark: a keepvip pair and a keepalived pair in one namespace lab,
# graceful stop and SIGKILL of the master, medians beside the protocol bound.
#   sudo bench/failover.sh [--rounds N] [--v3-interval 0.1] [--max-seconds S]
# Uses $KEEPVIPD, else build/agent/keepvipd. Cleans up its namespaces on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "failover.sh: run as root (it creates network namespaces)" >&2
  exit 77
fi
# The lab library: the keepvip_lab package in tests/lab, imported from PYTHONPATH.
export PYTHONPATH="$PWD/tests/lab${PYTHONPATH:+:$PYTHONPATH}"
exec python3 bench/failover.py "$@"
