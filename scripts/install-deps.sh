#!/usr/bin/env bash
# Installs everything keepvip needs to build, test, benchmark and package on
# Debian 12 (apt) or the RHEL 9 family (dnf). Safe to run again: packages
# already present are left alone.
set -euo pipefail

DEBIAN_PACKAGES=(
  # build
  build-essential cmake pkg-config clang llvm libbpf-dev bpftool libelf-dev
  zlib1g-dev libsystemd-dev libcxxopts-dev libgtest-dev libgmock-dev libcurl4-openssl-dev
  linux-libc-dev libclang-rt-14-dev clang-format libssl-dev libnftables-dev
  # run and test: the interop peer, a user systemd manager, the lab tools
  keepalived systemd dbus dbus-user-session iproute2 nftables tshark
  busybox procps psmisc util-linux iputils-ping arping python3 hyperfine ethtool
  python3-aiosmtpd
  # packaging
  rpm rpmlint man-db
)

RHEL_PACKAGES=(
  gcc-c++ cmake pkgconf-pkg-config clang llvm libbpf-devel bpftool
  elfutils-libelf-devel zlib-devel systemd-devel cxxopts-devel gtest-devel libcurl-devel
  gmock-devel openssl-devel nftables-devel kernel-headers keepalived systemd dbus iproute nftables
  wireshark-cli busybox procps-ng psmisc util-linux iputils python3 python3-pip ethtool
  rpm-build rpmlint man-db
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (it installs packages)" >&2
  exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Packages like keepalived try to start their service on install; the lab
    # runs its own instances, so keep the package scripts from starting any.
    policy=/usr/sbin/policy-rc.d
    created_policy=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
    fi
    trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
elif command -v dnf >/dev/null 2>&1; then
  dnf install -y epel-release || true
  # nftables-devel (libnftables' header) is in CodeReady Builder.
  dnf config-manager --set-enabled crb 2>/dev/null || true
  dnf install -y "${RHEL_PACKAGES[@]}"
  # The lab's SMTP server (tests/lab/keepvip_lab/smtp_sink.py): EPEL's
  # package where it exists, else from PyPI.
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    dnf install -y python3-aiosmtpd || python3 -m pip install aiosmtpd
  fi
else
  echo "install-deps: neither apt-get nor dnf found; install by hand: ${DEBIAN_PACKAGES[*]}" >&2
  exit 1
fi
