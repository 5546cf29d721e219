#!/usr/bin/env bash
# What an extension stage costs per query: one vxdns node (core 0, one event loop) with three UDP
# listeners that differ only in their pipeline: the built-in stages; the same plus the example
# Groovy stage (config/examples/extensions/hello.groovy, which parses nothing more and passes
# these queries on); the same plus the example Python stage over the TCP event-bus bridge
# (config/examples/bridge/hello_bridge.py, on core 1 beside dnsperf). Interleaved rounds; reports
# QPS and vxdns CPU time per query for each, and the Python process's CPU time per query.
#
#   bench/extension.sh [--rounds N] [--duration S]
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15390}   # built-in: base, +groovy: base+1, +bridge: base+2, bridge: base+3
DNSPERF_ARGS=${DNSPERF_ARGS:--e -c 8 -T 1 -q 128 -t 1}

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "extension.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

for tool in dnsperf taskset python3; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
[ -f "$JAR" ] || die "build the jar first: mvn -B -q -DskipTests package"

OUT=$BENCH_DIR/results/extension-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/workload" "$OUT/extensions"
ZONE_NAME=bench.test
ZONE_FILE=$OUT/workload/bench.test.zone
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --origin "$ZONE_NAME" \
  --zone "$ZONE_FILE" --queries "$OUT/workload/queries.txt" >/dev/null
cp "$ROOT_DIR/config/examples/extensions/hello.groovy" "$OUT/extensions/"

BUILTIN='"vxdns.blackhole", "vxdns.auth", "vxdns.acl"'
cat > "$OUT/vxdns.json" <<JSON
{
  "options": {
    "listen-on": [
      { "address": "127.0.0.1", "port": $PORT_BASE, "transport": "udp",
        "pipeline": [$BUILTIN, "vxdns.zone.query"] },
      { "address": "127.0.0.1", "port": $((PORT_BASE + 1)), "transport": "udp",
        "pipeline": [$BUILTIN, "vxdns.ext.hello", "vxdns.zone.query"] },
      { "address": "127.0.0.1", "port": $((PORT_BASE + 2)), "transport": "udp",
        "pipeline": [$BUILTIN, "vxdns.ext.hello-bridge", "vxdns.zone.query"] }
    ],
    "event-loops": 1, "udp-instances": 1
  },
  "extensions": {
    "directory": "$OUT/extensions",
    "bridge": { "port": $((PORT_BASE + 3)), "stages": ["hello-bridge"], "timeout-ms": 1000 }
  },
  "zone": { "$ZONE_NAME": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
JSON
taskset -c 0 java -Xms512m -Xmx1g -jar "$JAR" --config "$OUT/vxdns.json" > "$OUT/vxdns.log" 2>&1 &
VXDNS=$!; PIDS+=("$VXDNS")
wait_for "$VXDNS" "$OUT/vxdns.log" "vxdns started"
taskset -c 1 python3 "$ROOT_DIR/config/examples/bridge/hello_bridge.py" \
  --port $((PORT_BASE + 3)) --name hello-bridge > "$OUT/python.log" 2>&1 &
PYTHON=$!; PIDS+=("$PYTHON")
wait_for "$PYTHON" "$OUT/python.log" "registered"

run() { # name port -> "qps vxdns_cpu_us_per_query python_cpu_us_per_query"
  local before after pbefore pafter qps
  before=$(cpu_ticks "$VXDNS"); pbefore=$(cpu_ticks "$PYTHON")
  qps=$(timeout -k 5 $((DURATION + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -d "$OUT/workload/queries.txt" \
    -l "$DURATION" $DNSPERF_ARGS 2>&1 | tee "$OUT/$1-$round.dnsperf" | awk '/Queries per second/{print $4}')
  after=$(cpu_ticks "$VXDNS"); pafter=$(cpu_ticks "$PYTHON")
  local hz; hz=$(getconf CLK_TCK)
  awk -v q="$qps" -v t=$((after - before)) -v p=$((pafter - pbefore)) -v hz="$hz" -v d="$DURATION" \
    'BEGIN { printf "%.0f %.2f %.2f\n", q, (q > 0 ? t / hz * 1e6 / (q * d) : 0), (q > 0 ? p / hz * 1e6 / (q * d) : 0) }'
}

log "warm-up"
round=0
run builtin "$PORT_BASE" >/dev/null
run groovy $((PORT_BASE + 1)) >/dev/null
run bridge $((PORT_BASE + 2)) >/dev/null
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r bq bc _ < <(run builtin "$PORT_BASE")
  read -r gq gc _ < <(run groovy $((PORT_BASE + 1)))
  read -r xq xc xp < <(run bridge $((PORT_BASE + 2)))
  log "round $round: built-in $bq qps $bc us; +groovy $gq qps $gc us; +bridge $xq qps $xc us (+python $xp us)"
  echo "$bq $bc $gq $gc $xq $xc $xp" >> "$OUT/rounds.txt"
done
awk '{bq+=$1; bc+=$2; gq+=$3; gc+=$4; xq+=$5; xc+=$6; xp+=$7; n++}
  END { printf "\nvxdns, UDP, one event loop on one core, %d rounds (means)\n", n;
        printf "  built-in stages:         %8.0f qps  %6.2f us vxdns CPU/query\n", bq/n, bc/n;
        printf "  + Groovy stage:          %8.0f qps  %6.2f us vxdns CPU/query\n", gq/n, gc/n;
        printf "  + bridge (Python) stage: %8.0f qps  %6.2f us vxdns CPU/query, %6.2f us Python CPU/query\n", xq/n, xc/n, xp/n }' \
  "$OUT/rounds.txt" | tee "$OUT/summary.txt"
grep -h "Queries lost" "$OUT"/*-[1-9]*.dnsperf | sed 's/^/  /' > "$OUT/lost.txt" || true
