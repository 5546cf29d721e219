#!/usr/bin/env bash
# Installs one BIND series into a private prefix, without touching the system's packages: the
# Debian packages of one version are fetched with `apt-get download` and unpacked with
# `dpkg-deb -x`. Run the programs as
#   LD_LIBRARY_PATH=PREFIX/usr/lib/x86_64-linux-gnu PREFIX/usr/sbin/named ...
#
#   .ci/install-bind.sh 9.18   bind9, bind9-libs, bind9-utils 9.18 (the last release with TKEY
#                              Diffie-Hellman; 9.20 removed it), for the TKEY interop test
#   .ci/install-bind.sh 9.20   the same plus bind9-dnsutils (dig with +tls, +https, +proxy,
#                              +proxy-plain) from bookworm-backports, for the TLS/PROXY interop
#                              tests and bench/tls.sh
#
# Shared libraries the unpacked programs need and the system lacks (9.20 needs liburcu8, say) are
# fetched the same way, from the packages' Depends, into the same prefix. When apt knows no 9.20,
# bookworm-backports is read with a private apt state in a temporary folder (the system's sources
# and lists are left alone). Idempotent: does nothing when PREFIX already holds working programs
# of the series. Prints PREFIX.
#
#   VXDNS_BIND918, VXDNS_BIND920                  the prefix (default /opt/vxdns/bind918, bind920)
#   VXDNS_BIND918_VERSION, VXDNS_BIND920_VERSION  the Debian version (default: the newest apt knows)
#   VXDNS_DEBIAN_MIRROR                           for the private backports lookup (deb.debian.org)
set -euo pipefail

series="${1:-}"
case "$series" in
  9.18) packages=(bind9 bind9-libs bind9-utils) ;;
  9.20) packages=(bind9 bind9-libs bind9-utils bind9-dnsutils) ;;
  *) echo "usage: $0 9.18|9.20" >&2; exit 2 ;;
esac
tag="${series//./}"                 # 918, 920
prefix_var="VXDNS_BIND$tag"
version_var="VXDNS_BIND${tag}_VERSION"
prefix="${!prefix_var:-/opt/vxdns/bind$tag}"
mirror="${VXDNS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

fail() {
  echo "install-bind $series: $*" >&2
  exit 1
}

libdir() {
  local d
  for d in "$1"/usr/lib/*-linux-gnu; do
    [ -d "$d" ] && { echo "$d"; return; }
  done
  echo "$1/usr/lib"
}

# The programs the tests run from the prefix.
programs() {
  echo "$1/usr/sbin/named"
  echo "$1/usr/bin/dnssec-keygen"
  [ "$series" = 9.18 ] || echo "$1/usr/bin/dig"
}

# Succeeds (and prints named's version) when the programs under $1 run and are of the series.
check() {
  local root="$1" p out
  for p in $(programs "$root"); do [ -x "$p" ] || return 1; done
  out="$(LD_LIBRARY_PATH="$(libdir "$root")" "$root/usr/sbin/named" -v 2>&1)" || return 1
  case "$out" in "BIND $series."*) ;; *) return 1 ;; esac
  if [ "$series" != 9.18 ]; then
    # dig -v prints "DiG 9.20.x" on stderr
    case "$(LD_LIBRARY_PATH="$(libdir "$root")" "$root/usr/bin/dig" -v 2>&1)" in "DiG $series."*) ;; *) return 1 ;; esac
  fi
  echo "$out"
}

# Shared libraries the programs under $1 (and the libraries unpacked with them) cannot find.
missing_libs() {
  local root="$1" lib
  lib="$(libdir "$root")"
  { programs "$root"; ls "$lib"/*.so* 2>/dev/null || true; } \
    | while read -r f; do [ -f "$f" ] && LD_LIBRARY_PATH="$lib" ldd "$f" 2>/dev/null || true; done \
    | awk '/not found/ {print $1}' | sort -u | tr '\n' ' '
}

if check "$prefix" >/dev/null; then
  echo "$prefix"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
  || fail "apt-get and dpkg-deb are needed (Debian or Ubuntu)"

work="$(mktemp -d "${TMPDIR:-/tmp}/bind$tag.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/debs" "$work/root"

# apt options for the bind9 packages: the system's apt, or a private one (see private_apt).
apt_opts=()

newest() {
  apt-cache "${apt_opts[@]}" madison bind9 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' \
    | grep -E "^([0-9]+:)?${series//./\\.}\." | sort -V -r | head -n 1 || true
}

# A private apt state (sources, lists, cache under $work) that knows Debian's bookworm-backports,
# where 9.20 lives for bookworm. Only reads the archive; the system's apt is not changed.
private_apt() {
  local a="$work/apt" keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release && [ -f "$keyring" ] || return 1
  mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/parts"
  echo "deb [signed-by=$keyring] $mirror bookworm-backports main" >"$a/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$a/sources.list" -o "Dir::Etc::sourceparts=$a/parts"
    -o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache" -o "APT::Get::List-Cleanup=0")
  echo "install-bind $series: apt knows no $series; reading bookworm-backports with a private apt state" >&2
  timeout 300 apt-get "${apt_opts[@]}" update -qq >"$work/apt-update.log" 2>&1 || { cat "$work/apt-update.log" >&2; return 1; }
}

version="${!version_var:-}"
if [ -z "$version" ]; then
  version="$(newest)"
  if [ -z "$version" ] && [ "$(id -u)" = 0 ]; then
    # Only refreshes apt's package lists; installs nothing.
    apt-get update -qq >/dev/null 2>&1 || true
    version="$(newest)"
  fi
  if [ -z "$version" ] && [ "$series" != 9.18 ] && private_apt; then
    version="$(newest)"
  fi
  [ -n "$version" ] || fail "apt knows no bind9 $series version (9.18: Debian bookworm or bookworm-security; 9.20: bookworm-backports; try apt-get update)"
fi

# download_unpack DIR SPEC...: apt-get download SPECs into DIR, unpack every .deb of DIR into root.
download_unpack() {
  local dir="$1" deb; shift
  mkdir -p "$dir"
  # apt-get download as root warns that the _apt user cannot write here; harmless.
  if ! (cd "$dir" && apt-get "${apt_opts[@]}" download -q "$@") >"$work/download.log" 2>&1; then
    cat "$work/download.log" >&2
    fail "cannot download $* from the Debian archive (network? apt lists?)"
  fi
  for deb in "$dir"/*.deb; do
    dpkg-deb -x "$deb" "$work/root" || fail "cannot unpack $deb"
  done
}

specs=()
for p in "${packages[@]}"; do specs+=("$p=$version"); done
download_unpack "$work/debs" "${specs[@]}"

# Libraries the system lacks: fetch the lib* packages the unpacked ones depend on that dpkg does
# not have installed (first alternative of each Depends entry, the system apt's candidate), a few
# rounds for their own dependencies. With every library present this downloads nothing.
extra=()
missing="$(missing_libs "$work/root")"
round=0
while [ -n "$missing" ] && [ "$round" -lt 3 ]; do
  round=$((round + 1))
  wanted=()
  while read -r dep; do
    [ -n "$dep" ] || continue
    case " ${packages[*]} ${extra[*]} " in *" $dep "*) continue ;; esac
    [ "$(dpkg-query -W -f='${Status}' "$dep" 2>/dev/null || true)" = "install ok installed" ] && continue
    wanted+=("$dep")
  done < <(for deb in "$work"/debs*/*.deb; do dpkg-deb -f "$deb" Depends; done \
    | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/:any//; s/[[:space:]]//g' | grep -E '^lib' | sort -u)
  [ "${#wanted[@]}" -gt 0 ] || break
  echo "install-bind $series: missing ${missing}; fetching ${wanted[*]} into the prefix" >&2
  saved=("${apt_opts[@]}"); apt_opts=()   # libraries come from the system's suites
  download_unpack "$work/debs-lib$round" "${wanted[@]}"
  apt_opts=("${saved[@]}")
  extra+=("${wanted[@]}")
  missing="$(missing_libs "$work/root")"
done
[ -z "$missing" ] || fail "BIND $series needs shared libraries that neither the system nor its packages' dependencies provide: $missing"
check "$work/root" >/dev/null || fail "the unpacked programs do not run as BIND $series: $(LD_LIBRARY_PATH="$(libdir "$work/root")" "$work/root/usr/sbin/named" -v 2>&1 | head -n 3)"

mkdir -p "$(dirname "$prefix")"
rm -rf "$prefix.new"
mv "$work/root" "$prefix.new"
echo "$version" >"$prefix.new/.vxdns-bind$tag-version"
[ "${#extra[@]}" -eq 0 ] || printf '%s\n' "${extra[@]}" >"$prefix.new/.vxdns-bind$tag-libraries"
rm -rf "$prefix"
mv "$prefix.new" "$prefix"
check "$prefix" >/dev/null || fail "installed into $prefix but named does not run"
echo "$prefix"
