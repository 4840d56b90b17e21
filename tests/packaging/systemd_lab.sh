# shellcheck shell=bash
# systemd_lab.sh - sourced by the packaging tests that need a real systemd
# manager (bash). A user manager run as root in its own network namespace,
# mount namespace and cgroup (the lab recipe), so units get the same
# sandboxing a system manager applies, without touching the host.
#
#   lab_start NAME WORKDIR   netns NAME, manager; sets LAB_MANAGER (its pid)
#   in_manager CMD...        run CMD inside the manager's namespaces
#   lab_install_unit FILE    copy a unit file in and daemon-reload
#   lab_cleanup              stop everything lab_start made (idempotent)

LAB_NAME=
LAB_MANAGER=
LAB_CGROUPS=()

lab_systemd_binary() {
  local candidate
  for candidate in /lib/systemd/systemd /usr/lib/systemd/systemd; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

in_manager() {
  nsenter -t "$LAB_MANAGER" -m -n env XDG_RUNTIME_DIR=/run/user/0 \
    DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/0/bus "$@"
}

lab_start() {
  local name=$1 work=$2 systemd_bin hierarchy state
  systemd_bin=$(lab_systemd_binary) || { echo "lab: no systemd binary" >&2; return 1; }
  LAB_NAME=$name
  ip netns add "$name"
  cat >"$work/manager.sh" <<SH
#!/bin/sh
set -e
mount --make-rprivate /
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/system /run/user/0/systemd/user
chmod 700 /run/user/0
export XDG_RUNTIME_DIR=/run/user/0
exec $systemd_bin --user
SH
  chmod 755 "$work/manager.sh"
  (
    # Its own cgroup, so this manager's tree does not mix with others'.
    for hierarchy in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
      if [ -w "$hierarchy" ] && [ -f "$hierarchy/cgroup.procs" ]; then
        mkdir -p "$hierarchy/$name" && echo "$BASHPID" >"$hierarchy/$name/cgroup.procs" || true
      fi
    done
    exec unshare -m nsenter --net="/run/netns/$name" "$work/manager.sh"
  ) >"$work/manager.log" 2>&1 &
  LAB_MANAGER=$!
  for hierarchy in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
    LAB_CGROUPS+=("$hierarchy/$name")
  done
  for _ in $(seq 100); do
    state=$(in_manager systemctl --user is-system-running 2>/dev/null || true)
    case $state in running | degraded) break ;; esac
    kill -0 "$LAB_MANAGER" 2>/dev/null || { cat "$work/manager.log" >&2; echo "lab: systemd --user died" >&2; return 1; }
    sleep 0.1
  done
  # ProtectHome=, ProtectKernelTunables= and ProtectKernelLogs= mount the
  # nodes in /run/systemd/inaccessible over what they hide; PID 1 creates
  # them at boot, a user manager only in its own runtime directory.
  in_manager sh -c 'mkdir -p /run/systemd/inaccessible &&
    cp -a /run/user/0/systemd/inaccessible/. /run/systemd/inaccessible/'
}

lab_install_unit() {
  in_manager tee "/run/user/0/systemd/user/$(basename "$1")" <"$1" >/dev/null
  in_manager systemctl --user daemon-reload
}

lab_cleanup() {
  local cg
  if [ -n "$LAB_MANAGER" ]; then
    kill "$LAB_MANAGER" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$LAB_MANAGER" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$LAB_MANAGER" 2>/dev/null || true
    LAB_MANAGER=
  fi
  [ -n "$LAB_NAME" ] && ip netns del "$LAB_NAME" 2>/dev/null || true
  for cg in "${LAB_CGROUPS[@]}"; do
    # Processes the manager's units left behind go with it.
    if [ -f "$cg/cgroup.procs" ]; then
      # shellcheck disable=SC2038 # cgroup.procs holds pids, one per line
      find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    fi
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  LAB_CGROUPS=()
}
