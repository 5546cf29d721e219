#!/usr/bin/env bash
# Forwarding through vxdns against dnsdist, in one run: QPS per core of each front end forwarding
# to the same backend, with the packet cache off and on (a hit-heavy workload: 10k names asked
# over and over), and the latency one PROXY hop adds. The front end under test is pinned to core
# 0 with one event loop (vxdns) or one thread (dnsdist); the backend (a vxdns node serving a
# 10k-record zone) and dnsperf share core 1. "QPS/core" divides QPS by the front end's CPU-seconds
# per second. Interleaved rounds after a warm-up.
#
#   bench/forward.sh [--rounds N] [--duration S]
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-20}   # seconds per front end before the rounds: the JIT needs about 10 s of load
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15480}
DNSPERF_ARGS=${DNSPERF_ARGS:--c 8 -T 1 -q 128 -t 2}
LATENCY_QPS=${LATENCY_QPS:-2000}

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "forward.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

for tool in dnsperf dnsdist taskset; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    [ "$(id -u)" = 0 ] || { echo "forward.sh: $tool is missing" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf dnsdist util-linux >/dev/null
  fi
done
[ -f "$JAR" ] || { echo "forward.sh: build the jar first: mvn -B -q -DskipTests package" >&2; exit 1; }

OUT=$BENCH_DIR/results/forward-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/workload"
ZONE_NAME=bench.test
ZONE_FILE=$OUT/workload/bench.test.zone
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --origin "$ZONE_NAME" \
  --zone "$ZONE_FILE" --queries "$OUT/workload/queries.txt" >/dev/null

BACKEND=$PORT_BASE            # plain listener
BACKEND_PROXY=$((PORT_BASE + 1))
VX_NOCACHE=$((PORT_BASE + 2)); VX_CACHE=$((PORT_BASE + 3)); VX_PROXY=$((PORT_BASE + 4))
DD_NOCACHE=$((PORT_BASE + 5)); DD_CACHE=$((PORT_BASE + 6))

cat > "$OUT/backend.json" <<JSON
{
  "options": {
    "listen-on": [
      { "address": "127.0.0.1", "port": $BACKEND, "transport": "udp" },
      { "address": "127.0.0.1", "port": $BACKEND_PROXY, "transport": "udp", "proxy": "plain" }
    ],
    "allow-proxy": ["127.0.0.0/8"],
    "event-loops": 1, "udp-instances": 1
  },
  "zone": { "$ZONE_NAME": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
JSON
taskset -c 1 java -Xms512m -Xmx1g -jar "$JAR" --config "$OUT/backend.json" > "$OUT/backend.log" 2>&1 &
PIDS+=("$!"); wait_for "$!" "$OUT/backend.log" "vxdns started"

start_front() { # name port backend-port proxy(true|false) cache(true|false)
  local cache=""
  [ "$5" = true ] && cache=', "cache": { "max-entries": 100000 }'
  cat > "$OUT/$1.json" <<JSON
{
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $2, "transport": "udp" } ],
    "allow-recursion": ["any"],
    "event-loops": 1, "udp-instances": 1
  },
  "forward": {
    "pools": { "b": { "backends": [
      { "address": "127.0.0.1", "port": $3, "transport": "udp", "proxy-protocol": $4, "cache": $5 } ] } }$cache
  },
  "zone": { ".": { "type": "forward", "pool": "b" } }
}
JSON
  taskset -c 0 java -Xms512m -Xmx1g -jar "$JAR" --config "$OUT/$1.json" > "$OUT/$1.log" 2>&1 &
  local pid=$!; PIDS+=("$pid"); wait_for "$pid" "$OUT/$1.log" "vxdns started"
  echo "$pid" > "$OUT/$1.pid"
}
start_dnsdist() { # name port cache(true|false)
  cat > "$OUT/$1.conf" <<LUA
setSecurityPollSuffix('')
setLocal('127.0.0.1:$2')
setMaxUDPOutstanding(65535)
newServer{address='127.0.0.1:$BACKEND', checkInterval=5}
LUA
  [ "$3" = true ] && echo "getPool(''):setCache(newPacketCache(100000))" >> "$OUT/$1.conf"
  taskset -c 0 dnsdist --supervised --disable-syslog -C "$OUT/$1.conf" > "$OUT/$1.log" 2>&1 &
  echo "$!" > "$OUT/$1.pid"; PIDS+=("$!")
}
start_front vx-nocache $VX_NOCACHE $BACKEND false false
start_front vx-cache $VX_CACHE $BACKEND false true
start_front vx-proxy $VX_PROXY $BACKEND_PROXY true false
start_dnsdist dd-nocache $DD_NOCACHE false
start_dnsdist dd-cache $DD_CACHE true
sleep 3

run() { # name port [seconds] -> "qps qps_per_core"
  local pid before after qps hz seconds=${3:-$DURATION}
  pid=$(cat "$OUT/$1.pid")
  before=$(cpu_ticks "$pid")
  qps=$(timeout -k 5 $((DURATION + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -d "$OUT/workload/queries.txt" \
    -l "$seconds" $DNSPERF_ARGS 2>&1 | tee "$OUT/$1-$round.dnsperf" | awk '/Queries per second/{print $4}')
  after=$(cpu_ticks "$pid")
  hz=$(getconf CLK_TCK)
  awk -v q="$qps" -v t=$((after - before)) -v hz="$hz" -v d="$seconds" \
    'BEGIN { cpu = t / hz / d; printf "%.0f %.0f\n", q, (cpu > 0 ? q / cpu : 0) }'
}
latency() { # name port -> average latency in microseconds at a fixed, light rate
  timeout -k 5 $((DURATION + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$2" -d "$OUT/workload/queries.txt" \
    -l "$DURATION" -Q "$LATENCY_QPS" -c 1 -T 1 -q 16 -t 2 2>&1 | tee "$OUT/$1-latency-$round.dnsperf" \
    | awk '/Average Latency/{printf "%.0f\n", $4 * 1e6}'
}

log "warm-up"
round=0
for v in "vx-nocache $VX_NOCACHE" "vx-cache $VX_CACHE" "vx-proxy $VX_PROXY" "dd-nocache $DD_NOCACHE" "dd-cache $DD_CACHE"; do
  run $v "$WARMUP" >/dev/null
done
latency direct $BACKEND >/dev/null
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r a1 a2 < <(run vx-nocache $VX_NOCACHE)
  read -r b1 b2 < <(run dd-nocache $DD_NOCACHE)
  read -r c1 c2 < <(run vx-cache $VX_CACHE)
  read -r d1 d2 < <(run dd-cache $DD_CACHE)
  l0=$(latency direct $BACKEND); l1=$(latency vx-nocache $VX_NOCACHE); l2=$(latency vx-proxy $VX_PROXY)
  log "round $round: no cache vxdns $a1 qps ($a2/core), dnsdist $b1 ($b2/core); cache vxdns $c1 ($c2/core), dnsdist $d1 ($d2/core); latency direct ${l0}us, via vxdns ${l1}us, via vxdns+PROXY ${l2}us"
  echo "$a1 $a2 $b1 $b2 $c1 $c2 $d1 $d2 $l0 $l1 $l2" >> "$OUT/rounds.txt"
done
sort -n "$OUT/rounds.txt" > /dev/null
awk -v lq="$LATENCY_QPS" '{for (i = 1; i <= 11; i++) s[i] += $i; n++}
  END { for (i = 1; i <= 11; i++) m[i] = s[i] / n;
        printf "\nforwarding over UDP, %d rounds (means), front end on core 0\n", n;
        printf "  cache off: vxdns %8.0f qps %8.0f qps/core | dnsdist %8.0f qps %8.0f qps/core | vxdns/dnsdist per core %.2f\n", m[1], m[2], m[3], m[4], m[2] / m[4];
        printf "  cache on:  vxdns %8.0f qps %8.0f qps/core | dnsdist %8.0f qps %8.0f qps/core | vxdns/dnsdist per core %.2f\n", m[5], m[6], m[7], m[8], m[6] / m[8];
        printf "  latency at %s qps: direct %.0f us, through vxdns %.0f us, through vxdns with PROXY %.0f us (the PROXY header: %+.0f us)\n", lq, m[9], m[10], m[11], m[11] - m[10] }' \
  "$OUT/rounds.txt" | tee "$OUT/summary.txt"
