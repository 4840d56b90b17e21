#!/bin/bash
# Re-captures the known-answer vectors of keepalived_vectors.h from a real
# keepalived (run as root; needs keepalived, tshark/dumpcap, iproute2). For each
# flavour (v2 with PASS auth, v3 over IPv4, v3 over IPv6) it starts
# keepalived in a private network namespace on one end of a veth pair,
# captures a few adverts on the other end, stops keepalived with SIGTERM (the
# priority-0 advert) and prints each distinct VRRP message in hex.
# Everything it creates is removed on exit, even on failure.
set -euo pipefail

NS=kvcore-capture
WORK=$(mktemp -d)
KEEPALIVED_PID=

cleanup() {
  if [ -n "$KEEPALIVED_PID" ]; then kill "$KEEPALIVED_PID" 2>/dev/null || true; fi
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

write_configs() {
  cat >"$WORK/v2.conf" <<'CONF'
vrrp_instance VI_V2 {
  state MASTER
  interface kvc0
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass 1111
  }
  virtual_ipaddress {
    192.0.2.100/24
    192.0.2.101/24
  }
}
CONF
  cat >"$WORK/v3v4.conf" <<'CONF'
global_defs {
  vrrp_version 3
}
vrrp_instance VI_V3 {
  state MASTER
  interface kvc0
  virtual_router_id 52
  priority 120
  advert_int 0.5
  virtual_ipaddress {
    192.0.2.110/24
  }
}
CONF
  cat >"$WORK/v3v6.conf" <<'CONF'
global_defs {
  vrrp_version 3
}
vrrp_instance VI_V6 {
  state MASTER
  interface kvc0
  virtual_router_id 53
  priority 200
  advert_int 1
  virtual_ipaddress {
    2001:db8::100/64
    2001:db8::101/64
  }
}
CONF
}

capture() {
  local name=$1
  ip netns add "$NS"
  ip -n "$NS" link add kvc0 type veth peer name kvc1
  ip -n "$NS" link set lo up
  ip -n "$NS" addr add 192.0.2.2/24 dev kvc0
  ip -n "$NS" addr add 2001:db8::2/64 dev kvc0 nodad
  ip -n "$NS" link set kvc0 up
  ip -n "$NS" link set kvc1 up
  sleep 2  # link-local address ready
  ip netns exec "$NS" timeout 25 dumpcap -q -i kvc1 -a duration:20 \
    -f "ip proto 112 or ip6 proto 112" -w "$WORK/$name.pcap" 2>/dev/null &
  local capture_pid=$!
  # dumpcap writes the file header once it is capturing.
  for _ in $(seq 50); do
    if [ -s "$WORK/$name.pcap" ]; then break; fi
    sleep 0.2
  done
  ip netns exec "$NS" keepalived -n -l -D -f "$WORK/$name.conf" -p "$WORK/$name.pid" \
    -r "$WORK/$name.vrrp.pid" --vrrp >"$WORK/$name.log" 2>&1 &
  KEEPALIVED_PID=$!
  sleep 7  # master after its master down interval, then a few adverts
  kill -TERM "$KEEPALIVED_PID"
  wait "$KEEPALIVED_PID" 2>/dev/null || true
  KEEPALIVED_PID=
  kill -INT "$capture_pid" 2>/dev/null || true
  wait "$capture_pid" 2>/dev/null || true
  ip netns del "$NS"
  echo "== $name: seconds, source, priority of each advert"
  tshark -r "$WORK/$name.pcap" -T fields -e frame.time_relative -e ip.src -e ipv6.src \
    -e vrrp.prio 2>/dev/null
  echo "-- first advert (Ethernet frame)"
  tshark -r "$WORK/$name.pcap" -x -c 1 2>/dev/null
  echo "-- priority-0 advert sent on SIGTERM"
  tshark -r "$WORK/$name.pcap" -x -Y "vrrp.prio == 0" 2>/dev/null
}

write_configs
for flavour in v2 v3v4 v3v6; do capture "$flavour"; done
