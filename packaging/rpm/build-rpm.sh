#!/usr/bin/env bash
# build-rpm.sh OUTDIR [--release N] [--build-dir DIR]
#
# Builds the keepvip binary RPM for the RHEL 9 family on this host (Debian 12
# or RHEL 9) and writes it to OUTDIR:
#   1. configures and builds keepvip in its own build dir (default
#      build-rpm/ at the top of the source tree; reused by later runs),
#   2. installs it stripped into a staging tree (prefix /usr),
#   3. checks the binaries against RHEL 9's glibc (check-abi.sh),
#   4. runs rpmbuild on keepvip.spec, which packages the staging tree,
#   5. fails if a scriptlet still holds an unexpanded %systemd macro.
set -euo pipefail

usage() { echo "usage: $0 OUTDIR [--release N] [--build-dir DIR]" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

[ $# -ge 1 ] || usage
outdir=$1
shift
release=1
builddir=$src/build-rpm
while [ $# -gt 0 ]; do
  case $1 in
    --release) release=${2:?}; shift 2 ;;
    --build-dir) builddir=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done

for tool in cmake rpmbuild rpm objdump; do
  command -v "$tool" >/dev/null || { echo "build-rpm: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

version=$(sed -nE 's/^project\(keepvip VERSION ([0-9.]+).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || { echo "build-rpm: no project(keepvip VERSION ...) in CMakeLists.txt" >&2; exit 1; }

# Linking for RHEL 9 (glibc 2.34, GCC 11's libstdc++):
# - libstdc++ statically: the host's is newer than RHEL 9's.
# - libgcc_s dynamically (no -static-libgcc): the host's static unwinder
#   calls _dl_find_object, which needs glibc 2.35.
# - sections garbage-collected: static libstdc++ drags in std::random_device,
#   which calls arc4random (glibc 2.36) although keepvip never uses it.
# - the hardening flags RHEL's own builds use.
cxxflags="-ffunction-sections -fdata-sections -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fPIE"
ldflags="-static-libstdc++ -Wl,--gc-sections -Wl,--as-needed -Wl,-z,relro -Wl,-z,now -pie"

echo "build-rpm: building keepvip $version in $builddir"
cmake -S "$src" -B "$builddir" \
  -DCMAKE_BUILD_TYPE=Release \
  -DKEEPVIP_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_INSTALL_SYSCONFDIR=/etc \
  -DKEEPVIP_SYSTEMD_UNITDIR=/usr/lib/systemd/system \
  -DKEEPVIP_MODULES_LOAD_DIR=/usr/lib/modules-load.d \
  -DCMAKE_CXX_FLAGS="$cxxflags" \
  -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >/dev/null
cmake --build "$builddir" --parallel "$(nproc)"

work=$(mktemp -d "${TMPDIR:-/tmp}/keepvip-rpm.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
DESTDIR=$stage cmake --install "$builddir" --strip >/dev/null

echo "build-rpm: symbol versions the binaries require"
"$here/check-abi.sh" "$stage/usr/sbin/keepvipd" "$stage/usr/bin/keepvipctl"

# Debian's rpm has neither the systemd macros nor %dist; a RHEL host has both.
load=()
if [ -z "$(rpm --eval '%{?systemd_post:defined}')" ]; then
  echo "build-rpm: no systemd RPM macros on this host, loading macros.fallback"
  load=(--load "$here/macros.fallback")
fi

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
rpmbuild -bb "${load[@]}" \
  --define "_topdir $work/rpmbuild" \
  --define "_rpmdir $outdir" \
  --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
  --define "keepvip_stage $stage" \
  --define "keepvip_srcdir $src" \
  --define "keepvip_version $version" \
  --define "keepvip_release $release" \
  "$here/keepvip.spec" >"$work/rpmbuild.log" 2>&1 || {
    cat "$work/rpmbuild.log" >&2
    echo "build-rpm: rpmbuild failed" >&2
    exit 1
  }

rpmfile=$(sed -n 's/^Wrote: //p' "$work/rpmbuild.log" | tail -n1)
[ -f "$rpmfile" ] || { cat "$work/rpmbuild.log" >&2; echo "build-rpm: rpmbuild wrote no package" >&2; exit 1; }

# An undefined macro is left verbatim in the scriptlet and would run as a
# shell command on the target: refuse such a package.
if rpm -qp --scripts "$rpmfile" | grep -n '%systemd'; then
  echo "build-rpm: unexpanded %systemd macro in the scriptlets of $rpmfile" >&2
  rm -f "$rpmfile"
  exit 1
fi

echo "build-rpm: wrote $rpmfile"
