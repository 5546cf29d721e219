#!/usr/bin/env bash
# What the PROXY stage costs: dnsdist in front of vxdns, with and without useProxyProtocol, in one
# run. dnsperf -> dnsdist -> vxdns over UDP on 127.0.0.1; vxdns pinned to core 0 with one event
# loop, dnsdist and dnsperf on core 1. Interleaved rounds; reports QPS and vxdns CPU time per query
# for both, and the ratios (with PROXY / without).
#
#   bench/proxy.sh [--rounds N] [--duration S]
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15380}   # vxdns plain: base, vxdns proxy: base+1, dnsdist: base+2, base+3
DNSPERF_ARGS=${DNSPERF_ARGS:--e -c 8 -T 1 -q 128 -t 1}

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "proxy.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

for tool in dnsperf dnsdist taskset; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    [ "$(id -u)" = 0 ] || { echo "proxy.sh: $tool is missing" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf dnsdist util-linux >/dev/null
  fi
done
[ -f "$JAR" ] || { echo "proxy.sh: build the jar first: mvn -B -q -DskipTests package" >&2; exit 1; }

OUT=$BENCH_DIR/results/proxy-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
mkdir -p "$OUT/workload"
ZONE_NAME=bench.test
ZONE_FILE=$OUT/workload/bench.test.zone
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --origin "$ZONE_NAME" \
  --zone "$ZONE_FILE" --queries "$OUT/workload/queries.txt" >/dev/null

cat > "$OUT/vxdns.json" <<JSON
{
  "options": {
    "listen-on": [
      { "address": "127.0.0.1", "port": $PORT_BASE, "transport": "udp" },
      { "address": "127.0.0.1", "port": $((PORT_BASE + 1)), "transport": "udp", "proxy": "plain" }
    ],
    "allow-proxy": ["127.0.0.0/8"],
    "event-loops": 1, "udp-instances": 1
  },
  "zone": { "$ZONE_NAME": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
JSON
taskset -c 0 java -Xms512m -Xmx1g -jar "$JAR" --config "$OUT/vxdns.json" > "$OUT/vxdns.log" 2>&1 &
VXDNS=$!; PIDS+=("$VXDNS")
wait_for "$VXDNS" "$OUT/vxdns.log" "vxdns started"

start_dnsdist() { # name listen-port backend-port proxy(true|false)
  cat > "$OUT/$1.conf" <<LUA
setSecurityPollSuffix('')
setLocal('127.0.0.1:$2')
setMaxUDPOutstanding(65535)
newServer{address='127.0.0.1:$3', useProxyProtocol=$4, checkInterval=5}
LUA
  taskset -c 1 dnsdist --supervised --disable-syslog -C "$OUT/$1.conf" > "$OUT/$1.log" 2>&1 &
  PIDS+=("$!")
}
start_dnsdist plain $((PORT_BASE + 2)) "$PORT_BASE" false
start_dnsdist proxied $((PORT_BASE + 3)) $((PORT_BASE + 1)) true
sleep 3

run() { # name port -> "qps cpu_us_per_query"
  local before after qps
  before=$(cpu_ticks "$VXDNS")
  qps=$(timeout -k 5 $((DURATION + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -d "$OUT/workload/queries.txt" \
    -l "$DURATION" $DNSPERF_ARGS 2>&1 | tee "$OUT/$1-$round.dnsperf" | awk '/Queries per second/{print $4}')
  after=$(cpu_ticks "$VXDNS")
  local hz; hz=$(getconf CLK_TCK)
  awk -v q="$qps" -v t=$((after - before)) -v hz="$hz" -v d="$DURATION" \
    'BEGIN { printf "%.0f %.2f\n", q, (q > 0 ? t / hz * 1e6 / (q * d) : 0) }'
}

log "warm-up"
round=0; run plain $((PORT_BASE + 2)) >/dev/null; run proxied $((PORT_BASE + 3)) >/dev/null
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r pq pc < <(run plain $((PORT_BASE + 2)))
  read -r xq xc < <(run proxied $((PORT_BASE + 3)))
  log "round $round: without PROXY $pq qps, $pc us/query; with PROXY $xq qps, $xc us/query"
  echo "$pq $pc $xq $xc" >> "$OUT/rounds.txt"
done
awk '{pq+=$1; pc+=$2; xq+=$3; xc+=$4; n++}
  END { printf "\nvxdns behind dnsdist, UDP, %d rounds (means)\n", n;
        printf "  without PROXY: %8.0f qps  %6.2f us vxdns CPU/query\n", pq/n, pc/n;
        printf "  with PROXY:    %8.0f qps  %6.2f us vxdns CPU/query\n", xq/n, xc/n;
        printf "  ratio with/without: QPS %.3f, CPU per query %.3f\n", xq/pq, xc/pc }' "$OUT/rounds.txt" | tee "$OUT/summary.txt"
