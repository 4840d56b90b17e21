#!/usr/bin/env bash
# units_test.sh SRCDIR
# Checks the shipped systemd units without installing anything:
#   - "systemd-analyze verify" on each unit, inside a scratch root that holds
#     the host's units, ours, the man pages they name, and placeholder
#     executables at the packaged paths (the RPM test verifies them again
#     against the real binaries);
#   - "systemd-analyze security --offline=true": keepvipd.service must score
#     3.5 or lower; the scores are printed beside keepalived's own unit.
# Needs no privileges. Exit 77 (skip) when systemd-analyze is missing.
set -euo pipefail
shopt -s nullglob

readonly MAX_EXPOSURE=3.5
src=${1:?usage: $0 SRCDIR}
units=$src/units

command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze not found"; exit 77; }

root=$(mktemp -d "${TMPDIR:-/tmp}/kvpkg-units.XXXXXX")
trap 'rm -rf "$root"' EXIT

fail=0
check() { # check DESCRIPTION COMMAND...: run, report, remember failures
  local what=$1
  shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

# --- scratch root for systemd-analyze verify -------------------------------
unitdir=$root/usr/lib/systemd/system
mkdir -p "$unitdir" "$root/usr/sbin" "$root/usr/bin" "$root/etc/keepvip"
for hostdir in /lib/systemd/system /usr/lib/systemd/system; do
  [ -d "$hostdir" ] && cp -rn "$hostdir/." "$unitdir/" 2>/dev/null || true
done
cp "$units"/*.service "$unitdir/"
for exe in /usr/sbin/keepvipd /usr/bin/keepvipctl /usr/bin/echo; do
  printf '#!/bin/sh\nexit 0\n' >"$root$exe"
  chmod 755 "$root$exe"
done
for page in "$src"/docs/man/*.[0-9]; do
  section=${page##*.}
  mkdir -p "$root/usr/share/man/man$section"
  cp "$page" "$root/usr/share/man/man$section/"
done

verify() { # verify UNIT: systemd-analyze verify inside the scratch root
  local out
  out=$(MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" "/usr/lib/systemd/system/$1" 2>&1) || {
    echo "$out"
    return 1
  }
  # verify exits 0 on some warnings; a unit file we ship must not have any.
  if [ -n "$out" ]; then echo "$out"; return 1; fi
}
for unit in "$units"/*.service; do
  name=$(basename "$unit")
  # A template is verified through an instance, as OnFailure= would start it.
  case $name in *@.service) name=${name%@.service}@httpd.service.service ;; esac
  check "systemd-analyze verify $name" verify "$name"
done

# --- security exposure ------------------------------------------------------
exposure() { # exposure UNITFILE -> prints the overall exposure number
  systemd-analyze security --offline=true "$1" 2>/dev/null |
    sed -nE 's/^.*Overall exposure level for [^:]*: ([0-9.]+).*$/\1/p'
}
keepalived_unit=
for candidate in /lib/systemd/system/keepalived.service /usr/lib/systemd/system/keepalived.service; do
  [ -f "$candidate" ] && { keepalived_unit=$candidate; break; }
done

echo
printf '%-32s %s\n' "unit" "systemd-analyze security exposure (0 = safest, 10 = unsafe)"
for unit in "$units"/*.service; do
  score=$(exposure "$unit")
  printf '%-32s %s\n' "$(basename "$unit")" "${score:-?}"
  if [ "$(basename "$unit")" = keepvipd.service ]; then
    keepvipd_score=$score
  fi
done
if [ -n "$keepalived_unit" ]; then
  printf '%-32s %s   (%s, for comparison)\n' "keepalived.service" "$(exposure "$keepalived_unit")" "$keepalived_unit"
else
  printf '%-32s %s\n' "keepalived.service" "n/a (keepalived not installed)"
fi
echo

at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 <= b + 0) }'; }
check "keepvipd.service exposure ${keepvipd_score:-?} <= $MAX_EXPOSURE" at_most "${keepvipd_score:-}" "$MAX_EXPOSURE"

# The sandbox must still let the guard load: bpf(2) allowed, CAP_BPF kept.
grep_unit() { grep -Eq "$1" "$units/keepvipd.service"; }
check "keepvipd.service allows bpf(2) in SystemCallFilter" grep_unit '^SystemCallFilter=.*[[:space:]]bpf([[:space:]]|$)'
check "keepvipd.service keeps CAP_BPF and CAP_NET_ADMIN" bash -c "grep -Eq '^CapabilityBoundingSet=.*CAP_BPF' '$units/keepvipd.service' && grep -Eq '^CapabilityBoundingSet=.*CAP_NET_ADMIN' '$units/keepvipd.service'"
check "keepvipd.service gives up loudly: OnFailure=keepvipd-failure.service, which logs at crit" bash -c "grep -qx 'OnFailure=keepvipd-failure.service' '$units/keepvipd.service' && grep -qx 'SyslogLevel=crit' '$units/keepvipd-failure.service'"
check "keepvipd.service counts crashes over a minute (StartLimitIntervalSec=60s)" grep -qx 'StartLimitIntervalSec=60s' "$units/keepvipd.service"
check "keepvipd.service is Type=notify with a watchdog" bash -c "grep -q '^Type=notify$' '$units/keepvipd.service' && grep -q '^WatchdogSec=' '$units/keepvipd.service'"

exit $fail
