#!/usr/bin/env bash
# Installs BIND 9.18 (the last release with TKEY Diffie-Hellman; 9.20 removed it) into a private
# prefix for the TKEY interop test, without touching the system's packages: the Debian packages
# bind9, bind9-libs and bind9-utils of one 9.18 version are fetched with `apt-get download` and
# unpacked with `dpkg-deb -x`. Run named as
#   LD_LIBRARY_PATH=PREFIX/usr/lib/x86_64-linux-gnu PREFIX/usr/sbin/named ...
# Idempotent: does nothing when PREFIX already holds a working named 9.18. Prints PREFIX.
#
#   VXDNS_BIND918          the prefix (default /opt/vxdns/bind918)
#   VXDNS_BIND918_VERSION  the Debian version (default: the newest 1:9.18.* apt knows)
set -euo pipefail

prefix="${VXDNS_BIND918:-/opt/vxdns/bind918}"
packages=(bind9 bind9-libs bind9-utils)

fail() {
  echo "install-bind918: $*" >&2
  exit 1
}

libdir() {
  local d
  for d in "$1"/usr/lib/*-linux-gnu; do
    [ -d "$d" ] && { echo "$d"; return; }
  done
  echo "$1/usr/lib"
}

# Prints the version of the named under $1 when it runs and is 9.18, else fails.
check() {
  local root="$1" out
  [ -x "$root/usr/sbin/named" ] && [ -x "$root/usr/bin/dnssec-keygen" ] || return 1
  out="$(LD_LIBRARY_PATH="$(libdir "$root")" "$root/usr/sbin/named" -v 2>&1)" || return 1
  case "$out" in
    "BIND 9.18."*) echo "$out" ;;
    *) return 1 ;;
  esac
}

if check "$prefix" >/dev/null; then
  echo "$prefix"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
  || fail "apt-get and dpkg-deb are needed (Debian or Ubuntu)"

newest_918() {
  apt-cache madison bind9 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' \
    | grep -E '^(1:)?9\.18\.' | sort -V -r | head -n 1 || true
}

version="${VXDNS_BIND918_VERSION:-}"
if [ -z "$version" ]; then
  version="$(newest_918)"
  if [ -z "$version" ] && [ "$(id -u)" = 0 ]; then
    # Only refreshes apt's package lists; installs nothing.
    apt-get update -qq >/dev/null 2>&1 || true
    version="$(newest_918)"
  fi
  [ -n "$version" ] || fail "apt knows no bind9 9.18 version (Debian bookworm or bookworm-security lists needed; try apt-get update)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bind918.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/debs" "$work/root"
specs=()
for p in "${packages[@]}"; do specs+=("$p=$version"); done
# apt-get download as root warns that the _apt user cannot write here; harmless.
if ! (cd "$work/debs" && apt-get download -q "${specs[@]}") >"$work/download.log" 2>&1; then
  cat "$work/download.log" >&2
  fail "cannot download ${specs[*]} from the Debian archive (network? apt lists?)"
fi
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$work/root" || fail "cannot unpack $deb"
done

# Runtime libraries (libuv, OpenSSL...) come from the system; say which are missing.
missing="$(LD_LIBRARY_PATH="$(libdir "$work/root")" ldd "$work/root/usr/sbin/named" "$work/root/usr/bin/dnssec-keygen" 2>/dev/null \
  | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')"
[ -z "$missing" ] || fail "named 9.18 needs shared libraries the system lacks: $missing(install bind9's dependencies, e.g. apt-get install libuv1 libssl3 libjson-c5 liblmdb0 libmaxminddb0 libnghttp2-14 libxml2 libfstrm0 libprotobuf-c1 libgssapi-krb5-2)"
check "$work/root" >/dev/null || fail "the unpacked named does not run as BIND 9.18: $(LD_LIBRARY_PATH="$(libdir "$work/root")" "$work/root/usr/sbin/named" -v 2>&1 | head -n 3)"

mkdir -p "$(dirname "$prefix")"
rm -rf "$prefix.new"
mv "$work/root" "$prefix.new"
echo "$version" >"$prefix.new/.vxdns-bind918-version"
rm -rf "$prefix"
mv "$prefix.new" "$prefix"
check "$prefix" >/dev/null || fail "installed into $prefix but named does not run"
echo "$prefix"
