#!/usr/bin/env bash
# class-data-archive.sh JAR ARCHIVE: makes ARCHIVE, a class-data sharing archive of the classes a
# node loads to start (JDK 13+ dynamic archive: -XX:ArchiveClassesAtExit), by starting a node of
# JAR on its embedded default config, on ephemeral ports, and stopping it once it serves.
# bin/vxdns starts its JVMs with it (-XX:SharedArchiveFile): the JVM maps those classes parsed and
# verified instead of loading them from the jar (about 0.3 s off a node's start; README "Memory").
# The build does not fail without it (a node only starts slower): it says why and goes on.
set -uo pipefail
jar=$1
archive=$2
partial="$archive.$$"
log="$archive.log"
# One attempt: a node started, served and stopped, its classes archived at its exit.
attempt() {
  rm -f "$partial"
  VXDNS_OPTIONS__LISTEN_ON='[{"address": "127.0.0.1", "port": 0, "transport": ["udp", "tcp"]}]' \
    java -XX:ArchiveClassesAtExit="$partial" -Xlog:cds=warning:file="$log.cds" -XX:+UseSerialGC \
    -jar "$jar" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -q "vxdns started" "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
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
