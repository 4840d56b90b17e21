#!/usr/bin/env bash
# check-abi.sh ELF...
# Prints the glibc / libstdc++ symbol versions and the shared libraries each
# binary needs, and fails if it would not run on the RHEL 9 family:
#   - a GLIBC_ version above RHEL 9's glibc 2.34;
#   - any GLIBCXX_/CXXABI_ version or libstdc++.so: libstdc++ must be linked
#     statically, because RHEL 9's (GCC 11) is older than the build host's.
set -euo pipefail

readonly MAX_GLIBC=2.34

if [ $# -eq 0 ]; then
  echo "usage: $0 ELF..." >&2
  exit 2
fi

# version_le A B: true when dotted version A <= B.
version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }

status=0
for elf in "$@"; do
  if [ ! -f "$elf" ]; then
    echo "$elf: FAIL: no such file" >&2
    status=1
    continue
  fi
  needed=$(objdump -p "$elf" | awk '$1 == "NEEDED" { print $2 }' | tr '\n' ' ')
  versions=$(objdump -T "$elf" | grep -oE '\((GLIBC|GLIBCXX|CXXABI)_[0-9.]+\)' | tr -d '()' | sort -uV)
  glibc=$(grep '^GLIBC_' <<<"$versions" | sort -V | tail -n1 || true)
  cxx=$(grep -E '^(GLIBCXX|CXXABI)_' <<<"$versions" | tr '\n' ' ' || true)
  # Informational: RHEL 9.2+ ships libbpf 1.x and systemd 252.
  others=$(objdump -T "$elf" | grep -oE '\((LIBBPF|LIBSYSTEMD|GCC)_[0-9.]+\)' | tr -d '()' | sort -uV | tr '\n' ' ')
  printf '%s\n  needs:  %s\n  glibc:  %s(highest %s, RHEL 9 has %s)\n  libstdc++: %s\n  other:  %s\n' \
    "$elf" "$needed" "$(grep '^GLIBC_' <<<"$versions" | tr '\n' ' ')" "${glibc:-none}" \
    "$MAX_GLIBC" "${cxx:-none (linked statically)}" "${others:-none}"
  if [ -n "$glibc" ] && ! version_le "${glibc#GLIBC_}" "$MAX_GLIBC"; then
    echo "  FAIL: needs $glibc, newer than RHEL 9's glibc $MAX_GLIBC" >&2
    objdump -T "$elf" | grep -F "($glibc)" | sed 's/^/    /' >&2
    status=1
  fi
  if [ -n "$cxx" ] || grep -q 'libstdc++' <<<"$needed"; then
    echo "  FAIL: links libstdc++ dynamically; RHEL 9's is older than the build host's" >&2
    status=1
  fi
done
exit $status
