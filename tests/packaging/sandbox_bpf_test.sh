#!/usr/bin/env bash
# python3 -m keepvip_lab.user_manager -- sandbox_bpf_test.sh SRCDIR WORKDIR
# Proves that keepvipd.service's sandbox still lets BPF load and attach: a
# real systemd manager starts a oneshot unit carrying every sandbox line of
# units/keepvipd.service, whose command loads an XDP program with a map and
# attaches it to the namespace's loopback through libbpf, as the guard does
# (no pinning, netlink attach). Control: the same unit with bpf(2) filtered
# out must fail, so the test cannot pass by not sandboxing. The lab library's
# user_manager runs the manager (root, its own network and mount namespaces
# and cgroups; CTest sets PYTHONPATH) and this script inside them, and removes
# all of it when the script ends.
# WORKDIR holds the BPF object and its loader (/var/lib when WORKDIR is in a
# place the sandbox hides). Root only; exit 77 (skip) otherwise (user_manager
# says why).
set -euo pipefail

usage="usage: python3 -m keepvip_lab.user_manager -- $0 SRCDIR WORKDIR"
src=$(cd "${1:?$usage}" && pwd)
workroot=${2:?$usage}

[ -n "${KEEPVIP_USER_MANAGER:-}" ] || { echo "$usage" >&2; exit 2; }
for tool in clang cc ip; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not found"; exit 77; }
done

mkdir -p "$workroot"
workroot=$(cd "$workroot" && pwd)
# The sandbox hides these (ProtectHome=, PrivateTmp=), and the manager gets
# its own /run: keep the program somewhere the unit can read it.
case $workroot/ in
  /home/* | /root/* | /tmp/* | /var/tmp/* | /run/*) workroot=/var/lib ;;
esac
work=$(mktemp -d "$workroot/kvpkg-sandbox.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the program: XDP with an array map, built for the BPF target ----------
cat >"$work/xdp.c" <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* Packets seen: makes the loader create a map, as the guard's loader does. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} seen SEC(".maps");
SEC("xdp") int pass(struct xdp_md *ctx) {
  __u32 key = 0;
  __u64 *count = bpf_map_lookup_elem(&seen, &key);
  if (count) __sync_fetch_and_add(count, 1);
  return XDP_PASS;
}
char LICENSE[] SEC("license") = "GPL";
C
# The loader does what the guard does with libbpf: open, load (maps and
# program, no pinning), attach to an interface over netlink.
cat >"$work/loader.c" <<'C'
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
  if (!obj) { perror("open"); return 1; }
  int err = bpf_object__load(obj);
  if (err) { fprintf(stderr, "load: %d\n", err); return 1; }
  struct bpf_program *prog = bpf_object__find_program_by_name(obj, "pass");
  unsigned ifindex = if_nametoindex(argv[2]);
  if (!prog || !ifindex) { fprintf(stderr, "no program or interface\n"); return 1; }
  err = bpf_xdp_attach((int)ifindex, bpf_program__fd(prog), XDP_FLAGS_SKB_MODE, NULL);
  if (err) { fprintf(stderr, "attach: %d\n", err); return 1; }
  printf("loaded and attached to %s\n", argv[2]);
  return 0;
}
C
multiarch=$(gcc -dumpmachine 2>/dev/null || true)
clang -O2 -g -target bpf ${multiarch:+-I/usr/include/$multiarch} -c "$work/xdp.c" -o "$work/xdp.o" &&
  cc -O2 "$work/loader.c" -o "$work/loader" -lbpf ||
  { echo "SKIP: cannot build the BPF object or its libbpf loader here"; exit 77; }

# --- the units ----------------------------------------------------------------
# Every line from "# --- Sandbox" to [Install], and the memlock limit.
sandbox=$(sed -n '/^# --- Sandbox/,/^\[Install\]/p' "$src/units/keepvipd.service" | grep -E '^[A-Za-z]+=')
sandbox+=$'\n'$(grep -E '^LimitMEMLOCK=' "$src/units/keepvipd.service")
[ "$(grep -c 'SystemCallFilter=' <<<"$sandbox")" -ge 1 ] || { echo "FAIL: no sandbox found in keepvipd.service"; exit 1; }
write_unit() { # write_unit NAME EXTRA-LINES
  cat >"$KEEPVIP_UNIT_DIR/$1" <<UNIT
[Service]
Type=oneshot
ExecStart=$work/loader $work/xdp.o lo
StandardOutput=append:$work/$1.log
StandardError=append:$work/$1.log
$sandbox
$2
UNIT
}
write_unit kvpkg-bpf.service ""
write_unit kvpkg-bpf-denied.service "SystemCallFilter=~bpf"
systemctl --user daemon-reload

xdp_attached() { ip link show dev lo | grep -q 'prog/xdp'; }

fail=0
if systemctl --user start kvpkg-bpf.service && xdp_attached; then
  echo "ok   XDP program and map loaded and attached under keepvipd.service's sandbox"
  ip link show dev lo | sed 's/^/     /'
else
  echo "FAIL XDP did not load under keepvipd.service's sandbox"
  systemctl --user status kvpkg-bpf.service --no-pager 2>&1 | sed 's/^/     /' || true
  sed 's/^/     loader: /' "$work/kvpkg-bpf.service.log" 2>/dev/null || true
  fail=1
fi
ip link set dev lo xdpgeneric off 2>/dev/null || true

# The control must fail in the loader itself, not in systemd's set-up of the sandbox
# (exit statuses 200..243, e.g. 226/NAMESPACE).
systemctl --user start kvpkg-bpf-denied.service 2>/dev/null || true
status=$(systemctl --user show -p ExecMainStatus --value kvpkg-bpf-denied.service)
if [ "${status:-0}" -gt 0 ] && { [ "$status" -lt 200 ] || [ "$status" -gt 243 ]; } && ! xdp_attached; then
  echo "ok   control: with bpf(2) filtered out the same unit runs but cannot load (loader exit status $status)"
else
  echo "FAIL control: with bpf(2) filtered out: exit status ${status:-?}, XDP attached: $(xdp_attached && echo yes || echo no)"
  fail=1
fi
exit $fail
