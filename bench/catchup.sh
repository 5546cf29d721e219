#!/usr/bin/env bash
# Catch-up time of a restarted cluster node with a large zone: three nodes from
# cluster/start-local.sh serve dyn.test with RECORDS records (default 1,000,000, written by
# lib/gen_workload.py into each node's directory before it starts); UPDATES TSIG-signed updates go
# to all three (bench/ClusterLatency.java); node 3 is killed (kill -9); UPDATES more go to nodes 1
# and 2; node 3 is started again. Reported: from the restart until node 3 answers the cluster's
# latest serial (it reads its zone file and journal, then follows the shared log), and the zone
# load time its log gives. Also the first start of the three nodes, loading the zone side by side.
#
#   bench/catchup.sh [--records N] [--updates N]
#
# Needs an empty cluster/run (it is this bench's); the nodes are stopped on exit, even on failure.
set -Eeuo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
RECORDS=${RECORDS:-1000000}
UPDATES=${UPDATES:-100}
while [[ $# -gt 0 ]]; do
  case $1 in
    --records) RECORDS=$2; shift 2 ;;
    --updates) UPDATES=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "catchup.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

JAR=$ROOT_DIR/verticles/node/target/vxdns.jar
RUN=$ROOT_DIR/cluster/run
[ -f "$JAR" ] || die "build first: mvn -B -q -DskipTests package"
command -v dig >/dev/null || die "dig is missing (dnsutils)"
[ -e "$RUN/node-1" ] && die "$RUN is in use: cluster/stop-local.sh, then remove $RUN"
OUT=$BENCH_DIR/results/catchup-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
trap '"$ROOT_DIR/cluster/stop-local.sh" >/dev/null 2>&1; cp "$RUN"/node-*.log "$OUT/" 2>/dev/null; rm -rf "$RUN"' EXIT

serial() { dig +short +time=1 +tries=1 @127.0.0.1 -p "$1" dyn.test SOA 2>/dev/null | awk '{print $3}'; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

log "writing a $RECORDS-record dyn.test"
python3 "$BENCH_DIR/lib/gen_workload.py" --records "$RECORDS" --origin dyn.test \
  --zone "$OUT/dyn.test.zone" --queries /dev/null >/dev/null
for i in 1 2 3; do mkdir -p "$RUN/node-$i"; cp "$OUT/dyn.test.zone" "$RUN/node-$i/"; done
export VXDNS_JAVA_OPTS=${VXDNS_JAVA_OPTS:--Xms1g -Xmx3g} START_SECONDS=${START_SECONDS:-900}

started=$(now)
"$ROOT_DIR/cluster/start-local.sh" 3 >/dev/null
first=$(since "$started")
log "three nodes started in $first s"
java -cp "$JAR" "$BENCH_DIR/ClusterLatency.java" "$UPDATES" 5311 5312 5313 > "$OUT/before.txt"
kill -KILL "$(cat "$RUN/node-3.pid")"
log "node 3 killed; $UPDATES updates to nodes 1 and 2"
java -cp "$JAR" "$BENCH_DIR/ClusterLatency.java" "$UPDATES" 5311 5312 > "$OUT/while-down.txt"
latest=$(serial 5311)
[ -n "$latest" ] || die "node 1 does not answer"
log "latest serial $latest; restarting node 3"
restarted=$(now)
"$ROOT_DIR/cluster/start-local.sh" 3 >/dev/null
started3=$(since "$restarted")
deadline=$(( $(date +%s) + 600 ))
until [ "$(serial 5313)" = "$latest" ]; do
  (( $(date +%s) < deadline )) || die "node 3 did not reach serial $latest in 600 s"
  sleep 0.1
done
caught=$(since "$restarted")
load=$(grep -o "zone dyn.test.: loaded serial.*" "$RUN/node-3.log" | tail -1 || true)
{
  echo "catch-up of a restarted node, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $RECORDS records, 3 nodes on loopback"
  echo "  first start of the three nodes (loading side by side): $first s"
  echo "  node 3 killed (kill -9) after $UPDATES updates; $UPDATES more while it was down (latest serial $latest)"
  echo "  restart: started after $started3 s, serving the latest serial after $caught s"
  echo "  node 3's log: ${load:-(no load line)}"
  echo "  updates while all three ran: $(grep -m1 'visible' "$OUT/before.txt" || true)"
} | tee "$OUT/summary.txt"
