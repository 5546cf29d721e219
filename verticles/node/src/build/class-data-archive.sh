#!/usr/bin/env bash
# class-data-archive.sh JAR ARCHIVE CONFIG: makes ARCHIVE, a class-data sharing archive of the
# classes a node loads to start and to reload (JDK 13+ dynamic archive: -XX:ArchiveClassesAtExit),
# by starting a node of JAR on a copy of CONFIG's folder (the repository's default configuration,
# the one a node without --config embeds) on ephemeral ports, raising its zones' serials and
# reloading them (SIGHUP) once it serves, and stopping it once the reload is applied.
# bin/vxdns starts its JVMs with it (-XX:SharedArchiveFile): the JVM maps those classes parsed and
# verified instead of loading them from the jar (about 0.3 s off a node's start; README "Memory"),
# and a node's first reload does not load its classes on an event loop that answers queries.
# Then ARCHIVE's -sizing twin: the classes of the launcher's sizing JVM (JvmSizing, run on the same
# config), 2 MB mapped in place of the node's 19 MB (0.04-0.05 s for that JVM instead of 0.06-0.08).
# The build does not fail without them (a node only starts slower): it says why and goes on.
set -uo pipefail
jar=$1
archive=$2
config=$3
partial="$archive.$$"
sizing_archive="${archive%.jsa}-sizing.jsa"
exit_status=""
log="$archive.log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# waits up to 60 s for PATTERN in the log while PID runs
await() {
  for _ in $(seq 1 600); do
    grep -q "$1" "$log" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# The local ports of PID's sockets on 127.0.0.1 in /proc/net/TABLE and TABLE6 (udp, tcp: listening
# only; Netty's native transport opens IPv6 sockets for IPv4 addresses too)
ports_of() {
  local inodes
  inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n')
  awk -v list="$inodes" -v tcp="$([ "$2" = tcp ] && echo 1)" '
    BEGIN { n = split(list, a, "\n"); for (i = 1; i <= n; i++) own[a[i]] = 1 }
    FNR > 1 && own[$10] && (!tcp || $4 == "0A") {
      split($2, local, ":"); if (local[1] ~ /0100007F$/) print local[2] }' \
    "/proc/net/$2" "/proc/net/${2}6" | sort -u | while read -r hex; do echo $((16#$hex)); done
}
# Queries for example.test (the default zone; ID 0x1234, RD): SOA with EDNS (an answer), A of a
# missing name (NXDOMAIN), A of a CNAME chain, as printf formats.
EDNS='\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00'
QUERIES=(
  '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01\x07example\x04test\x00\x00\x06\x00\x01'"$EDNS"
  '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07missing\x07example\x04test\x00\x00\x01\x00\x01'
  '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x05chain\x07example\x04test\x00\x00\x01\x00\x01'
)
# Each query to each of PID's UDP and TCP listeners, so that answering is archived too: the first
# queries a node answers do not load its query path from the jar. Best effort, like the reload.
answer_queries() {
  local port fd query length
  for port in $(ports_of "$1" udp); do
    for query in "${QUERIES[@]}"; do
      # shellcheck disable=SC2059
      printf "$query" >"/dev/udp/127.0.0.1/$port"
    done
  done
  for port in $(ports_of "$1" tcp); do
    for query in "${QUERIES[@]}"; do
      exec {fd}<>"/dev/tcp/127.0.0.1/$port" || continue
      # shellcheck disable=SC2059
      length=$(printf "$query" | wc -c)
      # shellcheck disable=SC2059
      printf "\\x00\\x$(printf %02x "$length")$query" >&"$fd"
      read -r -t 2 -N 2 -u "$fd" _ || echo "class-data archive: no answer over tcp" >&2
      exec {fd}>&-
    done
  done
}
# One attempt: a node started, its zone file edited and reloaded, the node stopped, its classes
# archived at its exit. The queries and the reload are a bonus: without them the archive still
# speeds the start.
attempt() {
  rm -rf "$partial" "$work/config"
  cp -r "$(dirname "$config")" "$work/config"
  # Its zones NOTIFY (the example zone says "no": its NS hosts have documentation addresses), to
  # the discard port on loopback (VXDNS_OPTIONS__ALSO_NOTIFY below): at start and at the reload.
  sed -i 's/"notify": "no"/"notify": "explicit"/' "$work/config/$(basename "$config")"
  # Emptied here, not by the node's redirection below: that runs in the background job, after
  # await may have read the last build's log, found "vxdns started" there, and sent the SIGHUP to a
  # JVM that had no handler for it yet (it died, exit status 129, and the attempt was lost).
  : >"$log"
  VXDNS_OPTIONS__LISTEN_ON='[{"address": "127.0.0.1", "port": 0, "transport": ["udp", "tcp"]}]' \
    VXDNS_OPTIONS__NOTIFY=explicit VXDNS_OPTIONS__ALSO_NOTIFY='[{"address": "127.0.0.1", "port": 9}]' \
    java -XX:ArchiveClassesAtExit="$partial" -Xlog:cds=warning:file="$log.cds" -XX:+UseSerialGC \
    -jar "$jar" --config "$work/config/$(basename "$config")" >"$log" 2>&1 &
  local pid=$!
  if await "vxdns started" "$pid"; then
    answer_queries "$pid"
    # Each zone file replaced, as an editor saves it, with the serial written "NNN ; serial" one
    # higher: the reload reads them and announces the new serials (a NOTIFY to also-notify).
    for file in "$work"/config/zones/*.zone; do
      awk '!done && $2 == ";" && $3 == "serial" { $1 = $1 + 1; done = 1 } { print }' "$file" \
        >"$file.edited" && mv "$file.edited" "$file"
    done
    kill -HUP "$pid" 2>/dev/null
    await "configuration applied" "$pid" || echo "class-data archive: no reload seen (see $log)" >&2
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  exit_status=$?
  grep -q "vxdns started" "$log" && [ -s "$partial" ]
}
# The sizing JVM as bin/vxdns starts it (its flags, bin/sizing-jvm.args), on the same config.
sizing() {
  rm -f "$sizing_archive"
  if java -XX:ArchiveClassesAtExit="$partial" -Xlog:cds=warning:file="$log.cds" \
    @"$(dirname "$0")/../../../../bin/sizing-jvm.args" -cp "$jar" \
    dev.vxdns.verticles.node.JvmSizing --config "$config" >/dev/null 2>>"$log" && [ -s "$partial" ]; then
    mv -f "$partial" "$sizing_archive"
    echo "class-data archive: $sizing_archive"
  else
    rm -f "$partial"
    echo "class-data archive: $sizing_archive not made (see $log); the sizing JVM uses $archive" >&2
  fi
}
rm -f "$archive" "$sizing_archive"
# Should an attempt fail, a second one is cheaper than a node that starts without the archive. A
# failed attempt's log is kept beside the archive.
for try in 1 2 3; do
  if attempt; then
    mv -f "$partial" "$archive"
    echo "class-data archive: $archive"
    sizing
    exit 0
  fi
  cp -f "$log" "$log.failed-$try"
  echo "class-data archive: attempt $try failed, the node's exit status $exit_status (see $log.failed-$try and $log.cds)" >&2
done
rm -f "$partial"
echo "class-data archive: not made (see $log and $log.cds); nodes start without it" >&2
