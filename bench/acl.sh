#!/usr/bin/env bash
# What a 100,000-prefix access list costs on the query path: vxdns with allow-query { any; }
# against vxdns with a 100k-prefix list whose matching element (127.0.0.0/8) is the last one, in one
# run. vxdns pinned to core 0 with one event loop, dnsperf on core 1, UDP on 127.0.0.1; interleaved
# rounds; reports QPS and vxdns CPU time per query for both, and the ratios (100k / any).
#
#   bench/acl.sh [--rounds N] [--duration S]
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15400}   # allow-query any: base, 100k list: base+1
DNSPERF_ARGS=${DNSPERF_ARGS:--e -c 8 -T 1 -q 128 -t 1}

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "acl.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

command -v dnsperf >/dev/null || { [ "$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq dnsperf >/dev/null; }
[ -f "$JAR" ] || { echo "acl.sh: build the jar first: mvn -B -q -DskipTests package" >&2; exit 1; }

OUT=$BENCH_DIR/results/acl-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/workload"
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --origin bench.test \
  --zone "$OUT/workload/bench.test.zone" --queries "$OUT/workload/queries.txt" >/dev/null

# 100,000 distinct /26s inside 10/8, then the loopback range last: dnsperf's queries match late.
python3 - "$OUT/large.json" <<'PY'
import json, random, sys
random.seed(100000)
blocks = random.sample(range(1 << 18), 100000)
elements = ["10.%d.%d.%d/26" % (b >> 10, (b >> 2) & 0xFF, (b & 3) * 64) for b in blocks] + ["127.0.0.0/8"]
json.dump(elements, open(sys.argv[1], "w"))
PY

start_vxdns() { # name port allow-query-json
  cat > "$OUT/$1.json" <<JSON
{
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $2, "transport": "udp" } ],
    "allow-query": $3,
    "event-loops": 1, "udp-instances": 1
  },
  "zone": { "bench.test": { "type": "primary", "file": "$OUT/workload/bench.test.zone", "notify": "no" } }
}
JSON
  taskset -c 0 java -Xms512m -Xmx1g -jar "$JAR" --config "$OUT/$1.json" > "$OUT/$1.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_$1=$!"
  wait_for "$!" "$OUT/$1.log" "vxdns started"
}
start_vxdns any "$PORT_BASE" '["any"]'
start_vxdns large $((PORT_BASE + 1)) "$(cat "$OUT/large.json")"
dig @127.0.0.1 -p $((PORT_BASE + 1)) h1.bench.test A +short +time=2 +tries=1 | grep -q . \
  || { echo "acl.sh: the 100k-list node does not answer" >&2; exit 1; }

run() { # name port pid -> "qps cpu_us_per_query"
  local before after qps hz
  before=$(cpu_ticks "$3")
  qps=$(timeout -k 5 $((DURATION + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -d "$OUT/workload/queries.txt" \
    -l "$DURATION" $DNSPERF_ARGS 2>&1 | tee "$OUT/$1-$round.dnsperf" | awk '/Queries per second/{print $4}')
  after=$(cpu_ticks "$3")
  hz=$(getconf CLK_TCK)
  awk -v q="$qps" -v t=$((after - before)) -v hz="$hz" -v d="$DURATION" \
    'BEGIN { printf "%.0f %.2f\n", q, (q > 0 ? t / hz * 1e6 / (q * d) : 0) }'
}

log "warm-up"
round=0; run any "$PORT_BASE" "$PID_any" >/dev/null; run large $((PORT_BASE + 1)) "$PID_large" >/dev/null
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r aq ac < <(run any "$PORT_BASE" "$PID_any")
  read -r lq lc < <(run large $((PORT_BASE + 1)) "$PID_large")
  log "round $round: allow-query any $aq qps, $ac us/query; 100k list $lq qps, $lc us/query"
  echo "$aq $ac $lq $lc" >> "$OUT/rounds.txt"
done
awk '{aq+=$1; ac+=$2; lq+=$3; lc+=$4; n++}
  END { printf "\nvxdns, UDP, allow-query any vs a 100k-prefix list matching late, %d rounds (means)\n", n;
        printf "  any:        %8.0f qps  %6.2f us vxdns CPU/query\n", aq/n, ac/n;
        printf "  100k list:  %8.0f qps  %6.2f us vxdns CPU/query\n", lq/n, lc/n;
        printf "  ratio 100k/any: QPS %.3f, CPU per query %.3f\n", lq/aq, lc/ac }' "$OUT/rounds.txt" | tee "$OUT/summary.txt"
