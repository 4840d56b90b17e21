#!/bin/sh
# without_keepalived.sh CMD...: runs CMD with a PATH on which keepalived cannot
# be found (every other program of PATH is still there), to show that the
# keepvip-only themes run, and do not skip, on a machine without keepalived.
set -eu
hidden=$(mktemp -d "${TMPDIR:-/tmp}/kv-nokeepalived.XXXXXX")
trap 'rm -rf "$hidden"' EXIT
# Link every program of PATH into one directory, the first PATH entry last so
# that it wins, as it does in a PATH lookup.
dirs=
IFS=:
for dir in $PATH; do dirs="$dir:$dirs"; done
for dir in $dirs; do
  [ -d "$dir" ] && ln -sf -t "$hidden" "$dir"/* 2>/dev/null || true
done
unset IFS
rm -f "$hidden/keepalived"
if PATH=$hidden command -v keepalived >/dev/null 2>&1; then
  echo "without_keepalived.sh: keepalived is still on PATH" >&2
  exit 1
fi
PATH=$hidden "$@"
