# shellcheck shell=bash
# BIND 9.20 for a benchmark (sourced after common.sh, with ROOT_DIR and BIND920 set): its private
# prefix (.ci/install-bind.sh), else the system's, else unpacked into the prefix now. Sets
# NAMED_BIN/NAMED_LIBS and DIG_BIN/DIG_LIBS and defines named_cmd and dig_cmd; dies without named.

NAMED_BIN=; NAMED_LIBS=; DIG_BIN=; DIG_LIBS=
is_920() { # BINARY LIBS -> the version line when it is 9.20
  local out
  out=$(env ${2:+LD_LIBRARY_PATH="$2"} "$1" -v 2>&1 | head -n 1) || return 1
  [[ $out == "BIND 9.20."* || $out == "DiG 9.20."* ]] && echo "$out"
}
find_bind() {
  local libs=$BIND920/usr/lib/x86_64-linux-gnu sys
  if [[ -x $BIND920/usr/sbin/named ]] && is_920 "$BIND920/usr/sbin/named" "$libs" >/dev/null; then
    NAMED_BIN=$BIND920/usr/sbin/named; NAMED_LIBS=$libs
  else
    sys=$(command -v named || echo /usr/sbin/named)
    [[ -x $sys ]] && is_920 "$sys" "" >/dev/null && NAMED_BIN=$sys
  fi
  if [[ -x $BIND920/usr/bin/dig ]] && is_920 "$BIND920/usr/bin/dig" "$libs" >/dev/null; then
    DIG_BIN=$BIND920/usr/bin/dig; DIG_LIBS=$libs
  elif sys=$(command -v dig) && is_920 "$sys" "" >/dev/null; then
    DIG_BIN=$sys
  fi
}
find_bind
if [[ -z $NAMED_BIN ]]; then
  log "no BIND 9.20 in $BIND920 nor on the system: trying .ci/install-bind.sh 9.20"
  VXDNS_BIND920=$BIND920 bash "$ROOT_DIR/.ci/install-bind.sh" 9.20 >/dev/null || true
  find_bind
fi
[[ -n $NAMED_BIN ]] || die "BIND named 9.20 not found (run .ci/install-bind.sh 9.20)"
[[ -n $DIG_BIN ]] || DIG_BIN=$(command -v dig) || die "no dig"
named_cmd() { env ${NAMED_LIBS:+LD_LIBRARY_PATH="$NAMED_LIBS"} "$NAMED_BIN" "$@"; }
dig_cmd() { env ${DIG_LIBS:+LD_LIBRARY_PATH="$DIG_LIBS"} "$DIG_BIN" "$@"; }

# named_conf DIR PORT ZONE_FILE: an authoritative-only named.conf serving bench.test from
# ZONE_FILE on 127.0.0.1#PORT, its files in DIR, on stdout.
named_conf() {
  cat <<CONF
options {
  directory "$1";
  pid-file "$1/named.pid";
  listen-on port $2 { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  notify no;
  dnssec-validation no;
  session-keyfile none;
};
controls { };
zone "bench.test" { type primary; file "$3"; };
CONF
}
