#!/usr/bin/env bash
# Unit-failure benchmark: httpd.service SIGKILLed on the master, time until the
# VIP is up on the backup; keepalived with the seed's 1-second check script vs
# keepvip track_unit (VRRPv2 1 s, VRRPv3 0.1 s), one namespace lab, systemd
# user managers per host.
#   sudo bench/unit-failover.sh [--rounds N] [--max-seconds S] [--keepvip-weight W]
# Uses $KEEPVIPD, else build/agent/keepvipd. Cleans up its namespaces on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "unit-failover.sh: run as root (it creates network namespaces and user managers)" >&2
  exit 77
fi
# The lab library: the keepvip_lab package in tests/lab, imported from PYTHONPATH.
export PYTHONPATH="$PWD/tests/lab${PYTHONPATH:+:$PYTHONPATH}"
exec python3 bench/unit_failover.py "$@"
