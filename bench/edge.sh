#!/usr/bin/env bash
# Edge nodes: QPS per core of an edge node (cluster.role "edge": transport, blackhole, auth and ACL
# stages, the zone stage's part handed to a zone node over the TLS clustered event bus) against a
# standalone node answering the same zone itself, in one run, and the latency each adds. The node
# under test (the edge, or the standalone node) is pinned to core 0 with one event loop; the zone
# node (a clustered full node serving a 10k-record zone) and dnsperf share core 1. "QPS/core"
# divides QPS by the CPU-seconds per second of the node under test (the edge's Hazelcast and event
# bus threads included). Interleaved rounds after a warm-up.
#
#   bench/edge.sh [--rounds N] [--duration S]      (WARMUP=seconds per node, default 20)
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-20}   # seconds per node before the rounds: the JIT needs about 10 s of load
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15580}
DNSPERF_ARGS=${DNSPERF_ARGS:--c 8 -T 1 -q 128 -t 2}
LATENCY_QPS=${LATENCY_QPS:-2000}

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "edge.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

for tool in dnsperf taskset openssl; do
  if ! command -v "$tool" >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "edge.sh: $tool is missing" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf util-linux openssl >/dev/null
  fi
done
[ -f "$JAR" ] || { echo "edge.sh: build the jar first: mvn -B -q -DskipTests package" >&2; exit 1; }

OUT=$BENCH_DIR/results/edge-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/workload"
ZONE_NAME=bench.test
ZONE_FILE=$OUT/workload/bench.test.zone
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --origin "$ZONE_NAME" \
  --zone "$ZONE_FILE" --queries "$OUT/workload/queries.txt" >/dev/null
"$ROOT_DIR/cluster/make-tls.sh" "$OUT/tls" 127.0.0.1

STANDALONE=$PORT_BASE; EDGE=$((PORT_BASE + 1)); ZONE_NODE=$((PORT_BASE + 2))
HZ_EDGE=$((PORT_BASE + 10)); HZ_ZONE=$((PORT_BASE + 11))
BUS_EDGE=$((PORT_BASE + 20)); BUS_ZONE=$((PORT_BASE + 21))

node_json() { # port [role hazelcast-port bus-port]: a node's config, clustered when a role is given
  local cluster=""
  if [ $# -gt 1 ]; then
    cluster=", \"cluster\": { \"name\": \"vxdns-bench-edge-$$\", \"role\": \"$2\",
      \"hazelcast-config\": \"$ROOT_DIR/cluster/hazelcast.xml\", \"interfaces\": [\"127.0.0.1\"],
      \"members\": [\"127.0.0.1:$HZ_EDGE\", \"127.0.0.1:$HZ_ZONE\"], \"port\": $3,
      \"event-bus\": { \"host\": \"127.0.0.1\", \"port\": $4, \"cert-file\": \"$OUT/tls/node.crt\",
                      \"key-file\": \"$OUT/tls/node.key\", \"ca-file\": \"$OUT/tls/ca.crt\" } }"
  fi
  cat <<JSON
{
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $1, "transport": "udp" } ],
    "event-loops": 1, "udp-instances": 1
  },
  "zone": { "$ZONE_NAME": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }$cluster
}
JSON
}

start_node() { # name core config-args... : starts a node pinned to a core, waits for it
  local name=$1 core=$2; shift 2
  taskset -c "$core" java -Xms512m -Xmx1g -jar "$JAR" "$@" > "$OUT/$name.log" 2>&1 &
  local pid=$!; PIDS+=("$pid"); wait_for "$pid" "$OUT/$name.log" "vxdns started" 180
  echo "$pid" > "$OUT/$name.pid"
}
node_json $ZONE_NODE full $HZ_ZONE $BUS_ZONE > "$OUT/zone-node.json"
node_json $EDGE edge $HZ_EDGE $BUS_EDGE > "$OUT/edge.json"
node_json $STANDALONE > "$OUT/standalone.json"
# The zone node first: the edge finds the zone service as soon as it starts.
start_node zone-node 1 --config "$OUT/zone-node.json" --cluster
start_node edge 0 --config "$OUT/edge.json" --cluster
start_node standalone 0 --config "$OUT/standalone.json"
# Answers from both (the edge's first query also opens its TLS connection to the zone node, which
# on a cold JVM may take longer than the hand-over timeout: a few tries).
dig_check() {
  for _ in 1 2 3 4 5; do
    dig +short +time=3 +tries=1 @127.0.0.1 -p "$1" "$ZONE_NAME" SOA | grep -q . && return 0
  done
  die "no answer on port $1"
}
if command -v dig >/dev/null; then dig_check $EDGE; dig_check $STANDALONE; fi

run() { # name port [seconds] -> "qps qps_per_core"
  local pid before after qps hz seconds=${3:-$DURATION}
  pid=$(cat "$OUT/$1.pid")
  before=$(cpu_ticks "$pid")
  qps=$(timeout -k 5 $((seconds + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -d "$OUT/workload/queries.txt" \
    -l "$seconds" $DNSPERF_ARGS 2>&1 | tee "$OUT/$1-$round.dnsperf" | awk '/Queries per second/{print $4}')
  after=$(cpu_ticks "$pid")
  hz=$(getconf CLK_TCK)
  awk -v q="$qps" -v t=$((after - before)) -v hz="$hz" -v d="$seconds" \
    'BEGIN { cpu = t / hz / d; printf "%.0f %.0f\n", q, (cpu > 0 ? q / cpu : 0) }'
}
latency() { # name port -> average latency and its standard deviation (us) at a fixed, light rate
  timeout -k 5 $((DURATION + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -d "$OUT/workload/queries.txt" \
    -l "$DURATION" -Q "$LATENCY_QPS" -c 1 -T 1 -q 16 -t 2 2>&1 | tee "$OUT/$1-latency-$round.dnsperf" \
    | awk '/Average Latency/{a = $4} /Latency StdDev/{s = $4} END {printf "%.0f %.0f\n", a * 1e6, s * 1e6}'
}
lost() { awk '/Queries lost/{print $3}' "$OUT/$1-$round.dnsperf"; }

log "warm-up"
round=0
run edge $EDGE "$WARMUP" >/dev/null
run standalone $STANDALONE "$WARMUP" >/dev/null
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r e1 e2 < <(run edge $EDGE)
  el=$(lost edge)
  read -r s1 s2 < <(run standalone $STANDALONE)
  read -r ea ep < <(latency edge $EDGE)
  read -r sa sp < <(latency standalone $STANDALONE)
  log "round $round: edge $e1 qps ($e2/core, lost $el), standalone $s1 qps ($s2/core); latency at $LATENCY_QPS qps: edge ${ea}us (sd ${ep}us), standalone ${sa}us (sd ${sp}us)"
  echo "$e1 $e2 $s1 $s2 $ea $ep $sa $sp" >> "$OUT/rounds.txt"
done
awk -v lq="$LATENCY_QPS" -v date="$(date -u +%Y-%m-%dT%H:%MZ)" -v cores="$(nproc)" \
  '{for (i = 1; i <= 8; i++) s[i] += $i; n++}
  END { for (i = 1; i <= 8; i++) m[i] = s[i] / n;
        printf "\nedge node vs standalone over UDP, %s, %d cores, %d rounds (means), node under test on core 0\n", date, cores, n;
        printf "  edge (hands over to a zone node) %8.0f qps %8.0f qps/core | standalone %8.0f qps %8.0f qps/core | edge/standalone per core %.2f\n", m[1], m[2], m[3], m[4], m[2] / m[4];
        printf "  latency at %s qps: edge %.0f us (sd %.0f us), standalone %.0f us (sd %.0f us): the hand-over adds %+.0f us\n", lq, m[5], m[6], m[7], m[8], m[5] - m[7] }' \
  "$OUT/rounds.txt" | tee "$OUT/summary.txt"
