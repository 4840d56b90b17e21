#!/usr/bin/env bash
# rpm_test.sh SRCDIR BUILDDIR
# Builds the RPM the way a release does (packaging/rpm/build-rpm.sh, build
# tree BUILDDIR) and checks what an admin gets from it:
#   rpmlint clean (with packaging/rpm/rpmlintrc); file list, config files,
#   scriptlets and requirements from "rpm -qp"; an install into a scratch
#   --root with the right modes and %config(noreplace) flags; an upgrade to a
#   release whose sample config changed keeps the admin's edited config and
#   writes .rpmnew; "systemd-analyze verify" on every unit against the
#   installed binaries and man pages.
# Root is needed (rpm installs files owned by root). Exit 77 (skip) without
# root or without rpmbuild/rpmlint.
set -euo pipefail

src=$(cd "${1:?usage: $0 SRCDIR BUILDDIR}" && pwd)
builddir=${2:?usage: $0 SRCDIR BUILDDIR}

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to install into a scratch rpm --root"; exit 77; }
for tool in rpmbuild rpmlint rpm systemd-analyze; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not found"; exit 77; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kvpkg-rpm.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
expect() { # expect DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then ok "$what"; else bad "$what"; fi
}

# --- build release 1 (full build) and release 2 (changed sample config) ----
# The compiler's chatter goes to a log, shown only when the build fails.
if ! "$src/packaging/rpm/build-rpm.sh" "$work/r1" --release 1 --build-dir "$builddir" >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log"
  echo "FAIL packaging/rpm/build-rpm.sh"
  exit 1
fi
sed -n '/^build-rpm: symbol versions/,$p' "$work/build.log"
rpm1=$(ls "$work"/r1/keepvip-*.rpm)

# Release 2 ships a revised sample config, so that an upgrade has to choose
# between the admin's edit and the new default. Same binaries, staged again.
version=$(rpm -qp --qf '%{VERSION}' "$rpm1")
mkdir -p "$work/src2/packaging" "$work/src2/docs"
cp "$src/LICENSE" "$work/src2/"
cp -r "$src/docs/man" "$work/src2/docs/"
{ cat "$src/packaging/keepvip.conf"; echo "! revised sample (release 2)"; } >"$work/src2/packaging/keepvip.conf"
DESTDIR=$work/stage2 cmake --install "$builddir" --strip >/dev/null
rpm2=$("$src/packaging/rpm/rpm-from-stage.sh" --version "$version" --release 2 \
  "$work/stage2" "$work/src2" "$work/r2" | tail -n1)
echo "built: $(basename "$rpm1") $(basename "$rpm2")"

# --- rpmlint -------------------------------------------------------------------
lint=$(rpmlint -r "$src/packaging/rpm/rpmlintrc" "$rpm1" 2>&1 || true)
echo "$lint" | grep -E '^keepvip|checked' || true
expect "rpmlint reports no errors" grep -qE ' 0 errors' <<<"$lint"

# --- rpm -qp -----------------------------------------------------------------
files=$(rpm -qp -l "$rpm1")
for path in \
  /usr/sbin/keepvipd /usr/bin/keepvipctl \
  /usr/lib/systemd/system/keepvipd.service /usr/lib/systemd/system/keepvip-fault@.service \
  /usr/lib/systemd/system/keepvipd-failure.service \
  /usr/share/dbus-1/system.d/org.keepvip1.conf \
  /usr/share/dbus-1/interfaces/org.keepvip1.Manager.xml \
  /usr/share/dbus-1/interfaces/org.keepvip1.Instance.xml \
  /etc/keepvip/keepvip.conf /usr/lib/modules-load.d/keepvip.conf \
  /usr/share/man/man8/keepvipd.8.gz /usr/share/man/man1/keepvipctl.1.gz \
  /usr/share/man/man5/keepvip.conf.5.gz /usr/share/licenses/keepvip/LICENSE; do
  expect "rpm -ql lists $path" grep -qxF "$path" <<<"$files"
done
unexpected=$(grep -vE '^/usr/lib/\.build-id(/|$)' <<<"$files" |
  grep -vE '^/(usr/(s?bin|lib/systemd/system|lib/modules-load\.d|share/(dbus-1|man|licenses))|etc/keepvip)(/|$)' || true)
expect "rpm -ql lists nothing outside the expected directories${unexpected:+: $unexpected}" test -z "$unexpected"

expect "rpm -qc lists exactly /etc/keepvip/keepvip.conf" test "$(rpm -qp -c "$rpm1")" = /etc/keepvip/keepvip.conf
expect "license tag is GPL-2.0-or-later" test "$(rpm -qp --qf '%{LICENSE}' "$rpm1")" = GPL-2.0-or-later
expect "release carries the dist tag" grep -qE '\.el9$' <<<"$(rpm -qp --qf '%{RELEASE}' "$rpm1")"

scripts=$(rpm -qp --scripts "$rpm1")
expect "scriptlets hold no unexpanded %systemd macro" bash -c '! grep -q "%systemd" <<<"$1"' _ "$scripts"
for action in install-system-units remove-system-units mark-restart-system-units; do
  expect "scriptlets run systemd-update-helper $action keepvipd.service" \
    grep -q "systemd-update-helper $action keepvipd.service" <<<"$scripts"
done
postinstall=$(sed -n '/^postinstall scriptlet/,/^[a-z]* scriptlet/p' <<<"$scripts")
expect "postinstall loads the tc modules now (the sandbox cannot, modules-load.d waits for a boot)" \
  grep -q "systemd-modules-load /usr/lib/modules-load.d/keepvip.conf" <<<"$postinstall"

requires=$(rpm -qp --requires "$rpm1")
echo "requires: $(tr '\n' ' ' <<<"$requires")"
expect "requires systemd for the scriptlets" grep -qE '^systemd$' <<<"$requires"
expect "requires dbus for the policy" grep -qE '^dbus$' <<<"$requires"
expect "requires libbpf.so.1 and libsystemd.so.0" bash -c 'grep -q "^libbpf.so.1" <<<"$1" && grep -q "^libsystemd.so.0" <<<"$1"' _ "$requires"
expect "requires libcurl.so.4 for mail alerts" grep -q "^libcurl.so.4()" <<<"$requires"
expect "no Debian-only libcurl symbol version (RHEL's libcurl has none)" bash -c '! grep -q "CURL_OPENSSL" <<<"$1"' _ "$requires"
expect "requires libcrypto.so.3 (OpenSSL 3: auth_type AH's HMAC-MD5)" grep -q "^libcrypto.so.3" <<<"$requires"
expect "requires nftables and libnftables.so.1 (accept mode's drop tables)" bash -c 'grep -qE "^nftables$" <<<"$1" && grep -q "^libnftables.so.1" <<<"$1"' _ "$requires"
expect "does not require libstdc++ (linked statically)" bash -c '! grep -q "libstdc++" <<<"$1"' _ "$requires"
too_new=$(grep -oE 'GLIBC_[0-9.]+' <<<"$requires" | sort -uV |
  awk -F_ '{ split($2, v, "."); if (v[1] > 2 || (v[1] == 2 && v[2] > 34)) print }')
expect "needs no glibc newer than RHEL 9's 2.34${too_new:+ (needs $too_new)}" test -z "$too_new"

# --- install into a scratch root ----------------------------------------------
root=$work/root
rpm --root "$root" --initdb
# --nodeps: the root holds no other package; --noscripts: it has no /bin/sh
# nor systemd (the scriptlets were checked above).
rpm --root "$root" -i --nodeps --noscripts "$rpm1" 2>&1 | grep -v 'should not be used directly\|know what you are doing' || true
expect "rpm -V finds the installed files intact" rpm --root "$root" -V --nodeps keepvip

mode() { stat -c '%a %U:%G' "$root$1"; }
expect "keepvipd installed 755 root:root" test "$(mode /usr/sbin/keepvipd)" = "755 root:root"
expect "keepvipctl installed 755 root:root" test "$(mode /usr/bin/keepvipctl)" = "755 root:root"
expect "keepvip.conf installed 640 root:root (it holds auth_pass)" test "$(mode /etc/keepvip/keepvip.conf)" = "640 root:root"
expect "installed keepvip.conf is the sample" cmp -s "$root/etc/keepvip/keepvip.conf" "$src/packaging/keepvip.conf"
flags=$(rpm --root "$root" -q --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' keepvip)
expect "keepvip.conf is %config(noreplace)" grep -qxE '/etc/keepvip/keepvip.conf cn' <<<"$flags"

# --- every unit verified against the installed files -------------------------
# The scratch root gets the host's units for the dependencies keepvip's name.
for hostdir in /lib/systemd/system /usr/lib/systemd/system; do
  [ -d "$hostdir" ] && cp -rn "$hostdir/." "$root/usr/lib/systemd/system/" 2>/dev/null || true
done
for unit in keepvipd.service keepvip-fault@httpd.service.service; do
  if out=$(MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" "/usr/lib/systemd/system/$unit" 2>&1) &&
    [ -z "$out" ]; then
    ok "systemd-analyze verify $unit (installed)"
  else
    echo "$out"
    bad "systemd-analyze verify $unit (installed)"
  fi
done

# --- upgrade keeps the admin's config ----------------------------------------
echo "! edited by the admin" >>"$root/etc/keepvip/keepvip.conf"
edited=$(cat "$root/etc/keepvip/keepvip.conf")
rpm --root "$root" -U --nodeps --noscripts "$rpm2" 2>&1 | grep -v 'should not be used directly\|know what you are doing' || true
expect "upgrade installed release 2" grep -q -- '-2\.el9' <<<"$(rpm --root "$root" -q keepvip)"
expect "upgrade kept the edited keepvip.conf" test "$(cat "$root/etc/keepvip/keepvip.conf")" = "$edited"
expect "upgrade wrote the new sample as keepvip.conf.rpmnew" cmp -s "$root/etc/keepvip/keepvip.conf.rpmnew" "$work/src2/packaging/keepvip.conf"

exit $fail
