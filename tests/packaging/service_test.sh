#!/usr/bin/env bash
# python3 -m keepvip_lab.user_manager -- service_test.sh SRCDIR WORKDIR KEEPVIPD
# Runs the shipped units/keepvipd.service - every line as shipped, only the
# paths of the binary, the config and the runtime directory pointed at the
# build - under a real systemd manager and checks what the unit promises. The
# lab library's user_manager starts the manager (root, its own network and
# mount namespaces and cgroups; CTest sets PYTHONPATH) and runs this script
# inside them, so `ip` and `systemctl --user` here reach the test's namespace
# and manager; it removes all of it when the script ends. The checks:
#   - Type=notify: "systemctl start" returns once keepvipd is READY, with a
#     STATUS= line; the BPF guard attaches and the instance takes the VIP,
#     all inside the sandbox (CAP_BPF without CAP_SYS_ADMIN, bpf(2) allowed);
#   - a root notify script runs with CAP_NET_ADMIN and CAP_NET_RAW only, its
#     bounding set cut to them (CAP_SETPCAP is in the unit for that);
#   - the watchdog is served: still running, never restarted, after twice
#     WatchdogSec;
#   - "systemctl stop" releases the VIP and detaches the guard;
#   - SIGKILL: ExecStopPost=keepvipd --release removes the VIP before
#     Restart=on-failure brings the agent back as MASTER;
#   - a crash loop (SIGKILL after every start) exhausts the start limit, and
#     OnFailure= runs keepvipd-failure.service, which says so.
# Root only; exit 77 (skip) otherwise (user_manager says why) or without the binary.
set -euo pipefail

usage="usage: python3 -m keepvip_lab.user_manager -- $0 SRCDIR WORKDIR KEEPVIPD"
src=$(cd "${1:?$usage}" && pwd)
workroot=${2:?$usage}
keepvipd=${3:?$usage}

[ -n "${KEEPVIP_USER_MANAGER:-}" ] || { echo "$usage" >&2; exit 2; }
[ -x "$keepvipd" ] || { echo "SKIP: $keepvipd not built"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: ip not found"; exit 77; }

mkdir -p "$workroot"
workroot=$(cd "$workroot" && pwd)
# The sandbox hides these (ProtectHome=, PrivateTmp=), and the manager gets
# its own /run: keep the files somewhere the unit can read them.
case $workroot/ in
  /home/* | /root/* | /tmp/* | /var/tmp/* | /run/*) workroot=/var/lib ;;
esac
work=$(mktemp -d "$workroot/kvpkg-service.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

readonly VIP=192.0.2.250
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
vip_present() { ip -o addr show dev kvpkg0 | grep -q " $VIP/"; }
vip_absent() { ! vip_present; }
guard_attached() { ip link show dev kvpkg0 | grep -q 'prog/xdp'; }
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
# wait_for SECONDS COMMAND...: poll every 20 ms. Microsecond deadline: bash's
# $SECONDS ticks in whole seconds, so "1 s" could end after a few ms.
wait_for() {
  local deadline=$(($(now_us) + $1 * 1000000))
  shift
  until "$@"; do
    [ "$(now_us)" -lt "$deadline" ] || return 1
    sleep 0.02
  done
}
prop() { systemctl --user show -p "$1" --value keepvipd.service; }
restarted() { [ "$(prop NRestarts)" -ge 1 ]; }
active() { [ "$(prop ActiveState)" = active ]; }
not_active() { ! active; }
failed() { [ "$(prop ActiveState)" = failed ]; }
# A unit file into the manager's unit directory, then daemon-reload.
install_unit() {
  cp "$1" "$KEEPVIP_UNIT_DIR/"
  systemctl --user daemon-reload
}
show_unit() {
  systemctl --user status keepvipd.service --no-pager 2>&1 | sed 's/^/     /' || true
  sed 's/^/     keepvipd: /' "$work/keepvipd.log" 2>/dev/null | tail -n 20 || true
}

ip link add kvpkg0 type veth peer name kvpkg1
ip link set kvpkg0 up
ip link set kvpkg1 up
ip addr add 192.0.2.21/24 dev kvpkg0

# Alone on the link, VRRPv3 at 100 ms: MASTER after ~0.3 s.
cat >"$work/keepvip.conf" <<CONF
vrrp_instance VI_1 {
    state BACKUP
    interface kvpkg0
    virtual_router_id 51
    priority 150
    version 3
    advert_int 0.1
    virtual_ipaddress {
        $VIP/24
    }
    notify_master "$work/caps.sh $work/run/caps"
}
CONF
mkdir -p "$work/run"
# Reads its own capability sets with a shell builtin: no other process in between.
cat >"$work/caps.sh" <<'SCRIPT'
#!/bin/sh
while IFS= read -r line; do case "$line" in Cap*) echo "$line";; esac; done </proc/$$/status >"$1"
SCRIPT
chmod 0755 "$work/caps.sh"
# The build tree may itself sit where the sandbox hides things (a clone under
# /tmp): run a copy of the binary from the work directory.
install -m 0755 "$keepvipd" "$work/keepvipd"
sed -e "s|/usr/sbin/keepvipd|$work/keepvipd|g" \
    -e "s|/etc/keepvip/keepvip.conf|$work/keepvip.conf|g" \
    -e "s|--runtime-dir /run/keepvip|--runtime-dir $work/run|g" \
    "$src/units/keepvipd.service" >"$work/keepvipd.service"
# Differences a user manager forces, nothing the sandbox is about:
# - the unit's output goes to a file (there is no journald here);
# - the runtime directory given on the command line must be writable;
# - a user manager's notification socket lives under /run/user/0, which
#   ProtectHome=yes makes inaccessible (a system manager's
#   /run/systemd/notify is not under it): home stays hidden with
#   ProtectHome=tmpfs, and the socket is bound into the empty /run/user.
cat >>"$work/keepvipd.service" <<UNIT

[Service]
StandardOutput=append:$work/keepvipd.log
StandardError=append:$work/keepvipd.log
ReadWritePaths=$work/run
ProtectHome=tmpfs
BindPaths=/run/user/0/systemd/notify
UNIT
install_unit "$work/keepvipd.service"

# --- start: READY, guard, VIP --------------------------------------------------
if timeout 60 systemctl --user start keepvipd.service && [ "$(prop ActiveState)" = active ]; then
  ok "systemctl start returned with keepvipd active (Type=notify, READY=1)"
else
  bad "keepvipd.service did not start"
  show_unit
  exit 1
fi
status_text=$(prop StatusText)
if [ -n "$status_text" ]; then ok "STATUS= says: $status_text"; else bad "no STATUS= line"; fi
if guard_attached; then ok "BPF guard attached to kvpkg0 inside the sandbox"; else bad "no XDP program on kvpkg0"; show_unit; fi
if wait_for 5 vip_present; then ok "VI_1 became MASTER and holds $VIP"; else bad "$VIP never appeared"; show_unit; fi
expected_caps="CapInh: 0000000000000000
CapPrm: 0000000000003000
CapEff: 0000000000003000
CapBnd: 0000000000003000
CapAmb: 0000000000000000"
if wait_for 5 test -s "$work/run/caps" &&
  [ "$(awk '{print $1, $2}' "$work/run/caps")" = "$expected_caps" ]; then
  ok "the root notify script kept CAP_NET_ADMIN and CAP_NET_RAW only"
else
  bad "notify script capabilities: $(tr '\n' ' ' <"$work/run/caps" 2>/dev/null)"
  show_unit
fi

# --- watchdog ------------------------------------------------------------------
watchdog_usec=$(prop WatchdogUSec)
# In the background: a signal's trap runs at once, not after the sleep.
sleep 11 &
wait $!
if [ "$(prop ActiveState)" = active ] && [ "$(prop NRestarts)" = 0 ]; then
  ok "still active and never restarted 11 s later (WatchdogUSec=$watchdog_usec)"
else
  bad "watchdog: state $(prop ActiveState), restarts $(prop NRestarts)"
  show_unit
fi

# --- clean stop ------------------------------------------------------------------
systemctl --user stop keepvipd.service
if ! vip_present && ! guard_attached; then
  ok "systemctl stop released $VIP and detached the guard"
else
  bad "after stop: VIP present: $(vip_present && echo yes || echo no), guard: $(guard_attached && echo yes || echo no)"
fi

# --- crash hand-over ---------------------------------------------------------
systemctl --user start keepvipd.service
wait_for 5 vip_present || bad "$VIP did not come back after restart"
systemctl --user kill --signal=SIGKILL keepvipd.service
# RestartSec=1s: the address must be gone before the agent comes back.
if wait_for 1 vip_absent; then
  ok "after SIGKILL, ExecStopPost=keepvipd --release removed $VIP"
else
  bad "after SIGKILL $VIP stayed on the interface"
  show_unit
fi
if wait_for 10 restarted && wait_for 10 vip_present; then
  ok "Restart=on-failure brought keepvipd back as MASTER (restarts: $(prop NRestarts))"
else
  bad "keepvipd did not come back after SIGKILL"
  show_unit
fi
# --- crash loop: systemd gives up, and says so --------------------------------
# The shipped alert unit; its message goes to a file (no journald here).
cat "$src/units/keepvipd-failure.service" - >"$work/keepvipd-failure.service" <<UNIT

[Service]
StandardOutput=append:$work/failure.log
UNIT
install_unit "$work/keepvipd-failure.service"
systemctl --user reset-failed keepvipd.service || true  # count from zero
kills=0
while [ "$(prop ActiveState)" != failed ] && [ $kills -lt 8 ]; do
  wait_for 10 active || break
  systemctl --user kill --signal=SIGKILL keepvipd.service
  kills=$((kills + 1))
  wait_for 5 not_active || true
done
# systemd 252 leaves Result=signal (the last crash) when the start limit
# refuses the restart; "failed" instead of "activating (auto-restart)" is
# what says it gave up.
if wait_for 10 failed && [ $kills -ge "$(prop StartLimitBurst)" ]; then
  ok "after $kills crashes systemd gave up (failed, StartLimitBurst=$(prop StartLimitBurst))"
else
  bad "systemd did not give up after $kills crashes: $(prop ActiveState) $(prop Result)"
  show_unit
fi
if wait_for 10 grep -q "stopped restarting it" "$work/failure.log"; then
  ok "OnFailure= ran keepvipd-failure.service: $(cut -c1-80 "$work/failure.log")..."
else
  bad "keepvipd-failure.service did not run (OnFailure=)"
  systemctl --user status keepvipd-failure.service --no-pager 2>&1 | sed 's/^/     /' || true
fi
if ! vip_present; then ok "the last crash's ExecStopPost released $VIP"; else bad "$VIP left behind"; fi
systemctl --user reset-failed keepvipd.service || true
systemctl --user stop keepvipd.service || true
exit $fail
