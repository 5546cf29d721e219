#!/usr/bin/env bash
# Update-to-visible latency across a local 3-node cluster: cluster/start-local.sh 3 (node i on
# 127.0.0.1:531i), then bench/ClusterLatency.java sends UPDATES TSIG-signed updates round-robin
# to the nodes, one at a time, and after each acknowledgement polls the two other nodes until they
# serve the new name. Prints p50/p99/max of the acknowledgement and of acknowledged-to-visible.
#
#   bench/cluster.sh [--updates N]      (default 500)
#
# The nodes are stopped on exit (cluster/stop-local.sh), even on failure.
set -Eeuo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
UPDATES=${UPDATES:-500}
while [[ $# -gt 0 ]]; do
  case $1 in
    --updates) UPDATES=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
JAR=$ROOT_DIR/verticles/node/target/vxdns.jar
[ -f "$JAR" ] || { echo "cluster.sh: build first: mvn -B -q -DskipTests package" >&2; exit 2; }
trap '"$ROOT_DIR/cluster/stop-local.sh" >/dev/null' EXIT
"$ROOT_DIR/cluster/start-local.sh" 3
# The cluster formed and every node follows the log: one warm-up round.
java -cp "$JAR" "$BENCH_DIR/ClusterLatency.java" 30 5311 5312 5313 >/dev/null
echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $UPDATES updates, 3 nodes on loopback"
java -cp "$JAR" "$BENCH_DIR/ClusterLatency.java" "$UPDATES" 5311 5312 5313
