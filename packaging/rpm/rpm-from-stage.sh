#!/usr/bin/env bash
# rpm-from-stage.sh --version V --release N STAGE SRCDIR OUTDIR
#
# The rpmbuild half of build-rpm.sh: packages an installed tree (STAGE,
# from "DESTDIR=STAGE cmake --install BUILD --strip" with prefix /usr) plus
# the sample config, man pages and license from SRCDIR with keepvip.spec,
# writes the RPM to OUTDIR and prints its path on the last line. Fails if a
# scriptlet still holds an unexpanded %systemd macro.
set -euo pipefail

usage() { echo "usage: $0 --version V --release N STAGE SRCDIR OUTDIR" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
version=
release=
while [ $# -gt 0 ]; do
  case $1 in
    --version) version=${2:?}; shift 2 ;;
    --release) release=${2:?}; shift 2 ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] && [ -n "$version" ] && [ -n "$release" ] || usage
stage=$(cd "$1" && pwd)
srcdir=$(cd "$2" && pwd)
mkdir -p "$3"
outdir=$(cd "$3" && pwd)

# Debian's rpm has neither the systemd macros nor %dist; a RHEL host has both.
load=()
if [ -z "$(rpm --eval '%{?systemd_post:defined}')" ]; then
  echo "rpm-from-stage: no systemd RPM macros on this host, loading macros.fallback" >&2
  load=(--load "$here/macros.fallback")
fi

topdir=$(mktemp -d "${TMPDIR:-/tmp}/keepvip-rpmbuild.XXXXXX")
trap 'rm -rf "$topdir"' EXIT
log=$topdir/rpmbuild.log
if ! rpmbuild -bb "${load[@]}" \
  --define "_topdir $topdir" \
  --define "_rpmdir $outdir" \
  --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
  --define "keepvip_stage $stage" \
  --define "keepvip_srcdir $srcdir" \
  --define "keepvip_version $version" \
  --define "keepvip_release $release" \
  "$here/keepvip.spec" >"$log" 2>&1; then
  cat "$log" >&2
  echo "rpm-from-stage: rpmbuild failed" >&2
  exit 1
fi

rpmfile=$(sed -n 's/^Wrote: //p' "$log" | tail -n1)
if [ ! -f "$rpmfile" ]; then
  cat "$log" >&2
  echo "rpm-from-stage: rpmbuild wrote no package" >&2
  exit 1
fi

# An undefined macro stays verbatim in a scriptlet and would run as a shell
# command on the target: refuse such a package.
if rpm -qp --scripts "$rpmfile" | grep -n '%systemd' >&2; then
  echo "rpm-from-stage: unexpanded %systemd macro in the scriptlets of $rpmfile" >&2
  rm -f "$rpmfile"
  exit 1
fi
echo "$rpmfile"
