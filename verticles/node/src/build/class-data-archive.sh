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
rm -f "$archive" "$partial"
VXDNS_OPTIONS__LISTEN_ON='[{"address": "127.0.0.1", "port": 0, "transport": ["udp", "tcp"]}]' \
  java -XX:ArchiveClassesAtExit="$partial" -Xlog:cds=off -Xlog:cds+dynamic=off -XX:+UseSerialGC \
  -jar "$jar" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "vxdns started" "$log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
if grep -q "vxdns started" "$log" && [ -s "$partial" ]; then
  mv -f "$partial" "$archive"
  echo "class-data archive: $archive"
else
  rm -f "$partial"
  echo "class-data archive: not made (the node did not start; see $log); nodes start without it" >&2
fi
