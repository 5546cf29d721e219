#!/usr/bin/env bash
# class-data-archive.sh JAR ARCHIVE CONFIG: makes ARCHIVE, a class-data sharing archive of the
# classes a node loads to start and to reload (JDK 13+ dynamic archive: -XX:ArchiveClassesAtExit),
# by starting a node of JAR on a copy of CONFIG's folder (the repository's default configuration,
# the one a node without --config embeds) on ephemeral ports, editing its zone files and reloading
# them (SIGHUP) once it serves, and stopping it once the reload is applied.
# bin/vxdns starts its JVMs with it (-XX:SharedArchiveFile): the JVM maps those classes parsed and
# verified instead of loading them from the jar (about 0.3 s off a node's start; README "Memory"),
# and a node's first reload does not load its classes on an event loop that answers queries.
# The build does not fail without it (a node only starts slower): it says why and goes on.
set -uo pipefail
jar=$1
archive=$2
config=$3
partial="$archive.$$"
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
# One attempt: a node started, its zone file edited and reloaded, the node stopped, its classes
# archived at its exit. The reload is a bonus: without it the archive still speeds the start.
attempt() {
  rm -rf "$partial" "$work/config"
  cp -r "$(dirname "$config")" "$work/config"
  VXDNS_OPTIONS__LISTEN_ON='[{"address": "127.0.0.1", "port": 0, "transport": ["udp", "tcp"]}]' \
    java -XX:ArchiveClassesAtExit="$partial" -Xlog:cds=warning:file="$log.cds" -XX:+UseSerialGC \
    -jar "$jar" --config "$work/config/$(basename "$config")" >"$log" 2>&1 &
  local pid=$!
  if await "vxdns started" "$pid"; then
    # Each zone file replaced, as an editor saves it, one comment longer: the reload reads them.
    for file in "$work"/config/zones/*.zone; do
      { cat "$file"; echo "; edited"; } >"$file.edited" && mv "$file.edited" "$file"
    done
    kill -HUP "$pid" 2>/dev/null
    await "configuration applied" "$pid" || echo "class-data archive: no reload seen (see $log)" >&2
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  grep -q "vxdns started" "$log" && [ -s "$partial" ]
}
rm -f "$archive"
# Rarely (seen once in many builds) the archive is missing after a clean start and stop; a second
# attempt is cheaper than a node that starts without it.
for try in 1 2 3; do
  if attempt; then
    mv -f "$partial" "$archive"
    echo "class-data archive: $archive"
    exit 0
  fi
  echo "class-data archive: attempt $try failed (see $log and $log.cds)" >&2
done
rm -f "$partial"
echo "class-data archive: not made (see $log and $log.cds); nodes start without it" >&2
