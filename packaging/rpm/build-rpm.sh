#!/usr/bin/env bash
# build-rpm.sh OUTDIR [--release N] [--build-dir DIR]
#
# Builds the keepvip binary RPM for the RHEL 9 family on this host (Debian 12
# or RHEL 9) and writes it to OUTDIR:
#   1. configures and builds keepvip in its own build dir (default
#      build-rpm/ at the top of the source tree; reused by later runs),
#   2. installs it stripped into a staging tree (prefix /usr),
#   3. checks the binaries against RHEL 9's glibc (check-abi.sh),
#   4. packages the staging tree with keepvip.spec (rpm-from-stage.sh, which
#      also fails if a scriptlet holds an unexpanded %systemd macro).
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

stage=$(mktemp -d "${TMPDIR:-/tmp}/keepvip-stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
DESTDIR=$stage cmake --install "$builddir" --strip >/dev/null

echo "build-rpm: symbol versions the binaries require"
"$here/check-abi.sh" "$stage/usr/sbin/keepvipd" "$stage/usr/bin/keepvipctl"

rpmfile=$("$here/rpm-from-stage.sh" --version "$version" --release "$release" "$stage" "$src" "$outdir" | tail -n1)
echo "build-rpm: wrote $rpmfile"
