#!/usr/bin/env bash
# DNS over QUIC against vxdns's own DNS over TLS, in one run, from the same load client
# (bench/doq/DnsLoad.java on Netty, the QUIC codec vxdns uses: kdig sends one query at a time and
# dnsperf 2.10 has no DoQ). BIND 9.20 has no DoQ, so the peer is vxdns's DoT on the same node.
# The node is pinned to core 0 (event-loops 1, one instance per listener), the client to core 1;
# interleaved rounds of four runs:
#   doq-keep / dot-keep      CONNECTIONS connections kept for the run, INFLIGHT queries on each
#   doq-single / dot-single  INFLIGHT workers, a new connection (handshake) for every query
# For each: answered queries per second seen by the client, and per core of the server (answers
# divided by the node's CPU seconds in the same window, /proc/PID/stat), which holds better than
# the client's rate on a busy machine. Each client run first loads for CLIENT_WARMUP unrecorded
# seconds (its own JIT).
#
#   bench/doq.sh [--rounds N] [--duration S] [--warmup S]
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}                 # unrecorded seconds per transport first (the server's JIT)
CLIENT_WARMUP=${CLIENT_WARMUP:-5}    # unrecorded seconds at the start of every run (the client's JVM)
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15460}        # DoT: base, DoQ: base+1
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
CONNECTIONS=${CONNECTIONS:-4}
INFLIGHT=${INFLIGHT:-32}             # per connection (keep), workers (single)
SINGLE_WORKERS=${SINGLE_WORKERS:-16}

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "doq.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$ROUNDS" "$DURATION" "$WARMUP"; do [[ $n =~ ^[0-9]+$ ]] || { echo "doq.sh: '$n' is not a number" >&2; exit 2; }; done
(( ROUNDS >= 1 && ROUNDS <= 20 && DURATION >= 1 && DURATION <= 120 && WARMUP <= 60 )) \
  || { echo "doq.sh: --rounds 1..20, --duration 1..120, --warmup 0..60" >&2; exit 2; }

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
command -v taskset >/dev/null || die "taskset is missing (apt-get install util-linux)"
[ -f "$JAR" ] || die "build the jar first: mvn -B -q -DskipTests package"
VX_DOT=$PORT_BASE; VX_DOQ=$((PORT_BASE + 1))
! (ss -Hlnt "sport = :$VX_DOT" 2>/dev/null | grep -q .) || die "port $VX_DOT is in use (set PORT_BASE)"
! (ss -Hlnu "sport = :$VX_DOQ" 2>/dev/null | grep -q .) || die "port $VX_DOQ is in use (set PORT_BASE)"

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/results/doq-$STAMP
RUN=$OUT/run
mkdir -p "$OUT/raw" "$RUN"
log "results in $OUT"
cp "$JAR" "$RUN/vxdns.jar"
cp "$ROOT_DIR/config/zones/example.test.zone" "$RUN/example.test.zone"
cat >"$RUN/vxdns.json" <<EOF
{ "options": { "listen-on": [
    { "address": "127.0.0.1", "port": $VX_DOT, "transport": "dot", "tls": "ephemeral" },
    { "address": "127.0.0.1", "port": $VX_DOQ, "transport": "doq", "tls": "ephemeral" } ],
  "event-loops": 1, "tcp-instances": 1, "tcp-clients": 1000, "doq-retry-threshold": 1000 },
  "zone": { "example.test": { "file": "example.test.zone" } } }
EOF
taskset -c "$SERVER_CPU" java ${VXDNS_JAVA_OPTS:--Xms512m -Xmx1g} -jar "$RUN/vxdns.jar" --config "$RUN/vxdns.json" \
  >"$RUN/vxdns.log" 2>&1 &
VX_PID=$!; PIDS+=("$VX_PID")
wait_for "$VX_PID" "$RUN/vxdns.log" "vxdns started" 120

load() { # PROTO MODE PORT SECONDS -> the client's result line
  local conns=$CONNECTIONS inflight=$INFLIGHT
  [[ $2 == single ]] && { conns=1; inflight=$SINGLE_WORKERS; }
  taskset -c "$CLIENT_CPU" java -cp "$RUN/vxdns.jar" "$BENCH_DIR/doq/DnsLoad.java" \
    "$1" "$2" "$3" "$conns" "$inflight" "$4" "$CLIENT_WARMUP" "$VX_PID"
}
port_of() { [[ $1 == doq ]] && echo "$VX_DOQ" || echo "$VX_DOT"; }

for proto in doq dot; do
  log "warm-up $proto (${WARMUP} s)"
  (( WARMUP == 0 )) || load "$proto" keep "$(port_of "$proto")" "$WARMUP" >/dev/null
  (( WARMUP == 0 )) || load "$proto" single "$(port_of "$proto")" "$WARMUP" >/dev/null
done

echo "run proto mode answered failed client_qps server_cpu_s qps_per_core" >"$OUT/raw/runs.txt"
for round in $(seq 1 "$ROUNDS"); do
  for run in doq:keep dot:keep doq:single dot:single; do
    proto=${run%%:*}; mode=${run#*:}
    line=$(load "$proto" "$mode" "$(port_of "$proto")" "$DURATION")
    read -r answered failed qps cpu < <(awk '{print $4, $6, $8, $10}' <<<"$line")
    per_core=$(awk -v a="$answered" -v c="$cpu" 'BEGIN{printf "%.0f", (c > 0 ? a / c : 0)}')
    log "round $round $proto $mode: $qps q/s, $per_core q/s per server core ($failed failed)"
    echo "$round $proto $mode $answered $failed $qps $cpu $per_core" >>"$OUT/raw/runs.txt"
  done
done

python3 - "$OUT/raw/runs.txt" >"$OUT/summary.txt" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])][1:]
def median(proto, mode, col):
    return statistics.median(float(r[col]) for r in rows if r[1] == proto and r[2] == mode)
print("%-8s %-8s %12s %14s" % ("mode", "proto", "client q/s", "q/s per core"))
for mode in ("keep", "single"):
    for proto in ("doq", "dot"):
        print("%-8s %-8s %12.0f %14.0f" % (mode, proto, median(proto, mode, 5), median(proto, mode, 7)))
    print("%-8s %-8s %12.2f %14.2f" % (mode, "doq/dot", median("doq", mode, 5) / median("dot", mode, 5),
                                        median("doq", mode, 7) / median("dot", mode, 7)))
PY
{ echo "date: $(date -u +%Y-%m-%dT%H:%MZ); $(java -version 2>&1 | head -1); $(nproc) CPUs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rounds $ROUNDS x ${DURATION}s; keep: $CONNECTIONS connections x $INFLIGHT in flight; single: $SINGLE_WORKERS workers (one query per connection)"; } >>"$OUT/summary.txt"
cat "$OUT/summary.txt"
