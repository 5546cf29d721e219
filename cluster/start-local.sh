#!/usr/bin/env bash
# cluster/start-local.sh [N]: starts N (default 3) clustered vxdns nodes on loopback.
# Node i serves DNS on 127.0.0.1:531i over UDP and TCP (5310+i), its control channel on 953i
# (9530+i), Hazelcast on 5700+i and the TLS event bus on 5800+i. Each node has its own directory
# cluster/run/node-i (config, zone file, journal); logs and PIDs are cluster/run/node-i.log and
# node-i.pid. Every node serves zone dyn.test with key update-key. as config/examples/dynamic.json.
# Stop them with cluster/stop-local.sh. JVM options: VXDNS_JAVA_OPTS (default a 128 MiB heap);
# START_SECONDS: how long each node may take to start (default 120; a large zone takes longer).
# cluster/start-local.sh N --edge E: the last E of the N nodes are edge nodes (cluster.role
# "edge": no zone of their own, they hand queries and updates to the zone nodes over the event
# bus); E must be less than N - E, so that the zone nodes are a majority of the members.
set -euo pipefail
n="${1:-3}"
edges=0
if [ "${2:-}" = "--edge" ]; then
  edges="${3:?--edge needs a number}"
fi
if [ $((2 * edges)) -ge "$n" ]; then
  echo "start-local: $edges edge nodes of $n: the zone nodes must be a majority of the members" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
run="$here/run"
jar="$root/verticles/node/target/vxdns.jar"
if [ ! -f "$jar" ]; then
  echo "start-local: $jar is missing; build it first: mvn -B -q -DskipTests package" >&2
  exit 2
fi
mkdir -p "$run"
[ -f "$run/tls/node.crt" ] || "$here/make-tls.sh" "$run/tls" 127.0.0.1
members=""
for i in $(seq 1 "$n"); do members="$members\"127.0.0.1:$((5700 + i))\","; done
members="[${members%,}]"
for i in $(seq 1 "$n"); do
  if [ -f "$run/node-$i.pid" ] && kill -0 "$(cat "$run/node-$i.pid")" 2>/dev/null; then
    echo "node $i is already running (pid $(cat "$run/node-$i.pid"))"
    continue
  fi
  dir="$run/node-$i"
  mkdir -p "$dir"
  role=full
  [ "$i" -gt $((n - edges)) ] && role=edge
  [ -f "$dir/dyn.test.zone" ] || cp "$root/config/zones/dyn.test.zone" "$dir/dyn.test.zone"
  cat > "$dir/vxdns.json" <<JSON
{
  "key": {
    "update-key.": { "algorithm": "hmac-sha256", "secret": "dXBkYXRlLWtleS1leGFtcGxlLW9ubHktcmVwbGFjZSE=" },
    "rndc-key.":   { "algorithm": "hmac-sha256", "secret": "cm5kYy1rZXktZXhhbXBsZS1vbmx5LXJlcGxhY2UtbWUh" }
  },
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $((5310 + i)), "transport": ["udp", "tcp"] } ]
  },
  "controls": [ { "address": "127.0.0.1", "port": $((9530 + i)), "allow": ["localhost"], "key": "rndc-key." } ],
  "zone": {
    "dyn.test": {
      "type": "primary",
      "file": "dyn.test.zone",
      "update-policy": ["grant update-key. zonesub ANY"],
      "allow-transfer": ["key update-key.", "127.0.0.1"]
    }
  },
  "cluster": {
    "name": "vxdns-local",
    "role": "$role",
    "hazelcast-config": "../../hazelcast.xml",
    "members": $members,
    "interfaces": ["127.0.0.1"],
    "port": $((5700 + i)),
    "event-bus": { "host": "127.0.0.1", "port": $((5800 + i)),
                   "cert-file": "../tls/node.crt", "key-file": "../tls/node.key", "ca-file": "../tls/ca.crt" }
  }
}
JSON
  # shellcheck disable=SC2086
  nohup java -XX:+ExitOnOutOfMemoryError ${VXDNS_JAVA_OPTS:--Xms64m -Xmx128m -XX:+UseSerialGC} \
    -jar "$jar" --config "$dir/vxdns.json" --cluster > "$run/node-$i.log" 2>&1 &
  echo $! > "$run/node-$i.pid"
  echo "node $i ($role): pid $!, DNS 127.0.0.1:$((5310 + i)), control 127.0.0.1:$((9530 + i)), log $run/node-$i.log"
done
for i in $(seq 1 "$n"); do
  for _ in $(seq 1 $((2 * ${START_SECONDS:-120}))); do
    grep -q "vxdns started" "$run/node-$i.log" 2>/dev/null && break
    if ! kill -0 "$(cat "$run/node-$i.pid")" 2>/dev/null; then
      echo "node $i exited; see $run/node-$i.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  grep -q "vxdns started" "$run/node-$i.log" || { echo "node $i did not start; see $run/node-$i.log" >&2; exit 1; }
done
echo "$n nodes started"
