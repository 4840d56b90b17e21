#!/usr/bin/env bash
# Flood benchmark: a third host floods wrong-password and TTL-64 VRRP adverts
# at a keepvip pair (BPF guard on) and a keepalived pair in one namespace lab;
# prints packets sent, CPU seconds of each agent and whether a VIP moved.
#   sudo bench/flood.sh [--seconds 10] [--modes wrong-password,ttl64]
# Uses $KEEPVIPD, else build/agent/keepvipd. Cleans up its namespaces on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "flood.sh: run as root (it creates network namespaces and loads BPF)" >&2
  exit 77
fi
# The lab library: the keepvip_lab package in tests/lab, imported from PYTHONPATH.
export PYTHONPATH="$PWD/tests/lab${PYTHONPATH:+:$PYTHONPATH}"
exec python3 bench/flood.py "$@"
