#!/usr/bin/env bash
# Runs COMMAND against a real systemd user manager started just for it, in
# private mount and network namespaces, with a busybox httpd.service unit.
#   user_manager.sh COMMAND [ARGS...]
# Needs root (namespaces, cgroups); exits 77 (CTest "skipped") otherwise.
# Everything it creates (namespace, cgroups, processes) is removed on exit.
set -euo pipefail

skip() { echo "SKIP: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root"
[ -x /lib/systemd/systemd ] || skip "no /lib/systemd/systemd"
command -v busybox >/dev/null || skip "busybox not installed"
[ -e /usr/lib/systemd/user/dbus.socket ] || skip "dbus-user-session not installed"

name="kvbus-units-$$"
cg_v1=/sys/fs/cgroup/systemd/$name
cg_v2=/sys/fs/cgroup/unified/$name
inner=$(mktemp /tmp/kvbus-manager.XXXXXX)
manager_pid=""

cleanup() {
  set +e
  if [ -n "$manager_pid" ]; then
    kill -TERM "$manager_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$manager_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  # Whatever is left in our cgroups (httpd, dbus-daemon) goes too.
  for cg in "$cg_v2" "$cg_v1"; do
    [ -d "$cg" ] || continue
    find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null
  done
  sleep 0.2
  for cg in "$cg_v2" "$cg_v1"; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  ip netns del "$name" 2>/dev/null
  rm -f "$inner"
}
trap cleanup EXIT INT TERM

ip netns add "$name"
ip -n "$name" link set lo up
mkdir -p "$cg_v1" "$cg_v2"

# The manager's own tree: /run is a private tmpfs, so its bus and unit
# directory exist only for this run.
cat >"$inner" <<'INNER'
#!/bin/sh
mount --make-rprivate /
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/system /run/user/0/systemd/user
chmod 700 /run/user/0
cat >/run/user/0/systemd/user/httpd.service <<UNIT
[Unit]
Description=test web server (busybox httpd)
[Service]
ExecStart=/bin/busybox httpd -f -p 127.0.0.1:8080 -h /run/user/0
UNIT
export XDG_RUNTIME_DIR=/run/user/0
exec /lib/systemd/systemd --user
INNER
chmod +x "$inner"

(
  echo "$BASHPID" >"$cg_v1/cgroup.procs"
  echo "$BASHPID" >"$cg_v2/cgroup.procs"
  exec unshare -m nsenter --net="/run/netns/$name" "$inner"
) >/dev/null 2>&1 &
manager_pid=$!

in_manager() {
  nsenter -t "$manager_pid" -m -n env XDG_RUNTIME_DIR=/run/user/0 \
    DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/0/bus "$@"
}

ready=""
for _ in $(seq 100); do
  state=$(in_manager systemctl --user is-system-running 2>/dev/null || true)
  if [ "$state" = running ] || [ "$state" = degraded ]; then
    if in_manager test -S /run/user/0/bus; then ready=1; break; fi
  fi
  sleep 0.2
done
[ -n "$ready" ] || { echo "user manager did not come up (state: ${state:-none})" >&2; exit 1; }

in_manager env KEEPVIP_USER_MANAGER=1 KEEPVIP_UNIT_DIR=/run/user/0/systemd/user "$@"
