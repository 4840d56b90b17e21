#!/usr/bin/env bash
# The README's first command: a narrated namespace lab with two keepvip nodes
# and one keepalived node sharing VIP 192.0.2.100 — election, httpd.service
# failing and coming back (track_unit), failover, failback, and the keepalived
# walkthrough's split-brain experiment.
#   sudo ./scripts/demo.sh            non-interactive, ~2 s between steps
#   sudo ./scripts/demo.sh --step     wait for Enter between steps
#   options: --pause SECONDS, --no-bpf, --no-units, --no-install;
#            KEEPVIPD=PATH for another build
# Installs dependencies, builds keepvipd into build/ when it is missing, and
# removes every namespace and process it started, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

install=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  echo "demo.sh: run as root (sudo ./scripts/demo.sh): the lab creates network namespaces" >&2
  exit 1
fi

if [ "$install" = 1 ]; then
  ./scripts/install-deps.sh
fi

# $KEEPVIPD picks another build (keepvipctl is looked up beside it, in dbus/).
if [ -z "${KEEPVIPD:-}" ]; then
  if [ ! -x build/agent/keepvipd ] || [ ! -x build/dbus/keepvipctl ]; then
    echo "demo.sh: building keepvipd and keepvipctl into build/"
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build -j"$(nproc)" --target keepvipd keepvipctl
  fi
  export KEEPVIPD="$PWD/build/agent/keepvipd"
fi

# The lab library: the keepvip_lab package in tests/lab, imported from
# PYTHONPATH. It cleans up on exit, SIGINT and SIGTERM.
export PYTHONPATH="$PWD/tests/lab${PYTHONPATH:+:$PYTHONPATH}"
exec python3 tests/lab/demo.py "${args[@]}"
