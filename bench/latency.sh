#!/usr/bin/env bash
# Tail latency and memory at a fixed query rate: BIND named 9.20 and vxdns serving the same
# 10k-record zone, each pinned to core 0 with one worker thread / event loop, an open-loop client
# on core 1 (bench/jmh's LoadMain udp-latency: dnsperf's query file with EDNS, QPS queries per
# second in bursts every 100 us, each query timed). Interleaved rounds (named, then each vxdns
# variant); reports p50, p99 and p99.9 per server, the RSS after the last round, and the
# vxdns/named ratios.
#
#   bench/latency.sh [--rounds N] [--duration S] [--qps Q]
#   VARIANTS='launcher=;old=-Xms256m -Xmx2g' bench/latency.sh
#
# VARIANTS: vxdns JVM flag sets as NAME=FLAGS separated by ';'. An empty FLAGS runs the node
# with bin/vxdns's own choice (heap and collector sized from the zones); the default compares
# that with the launcher's previous fixed flags. Everything listens on 127.0.0.1 only and is
# stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
BIND920=${VXDNS_BIND920:-/opt/vxdns/bind920}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
QPS=${QPS:-50000}
WARMUP=${WARMUP:-15}
PORT_BASE=${PORT_BASE:-15370}
VARIANTS=${VARIANTS:-launcher=;old=-Xms256m -Xmx2g}

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --qps) QPS=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "latency.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $ROUNDS =~ ^[0-9]+$ && $DURATION =~ ^[0-9]+$ && $QPS =~ ^[0-9]+$ ]] \
  && (( ROUNDS >= 1 && ROUNDS <= 20 && DURATION >= 1 && DURATION <= 120 && QPS >= 100 && QPS <= 500000 )) \
  || { echo "latency.sh: --rounds 1..20, --duration 1..120, --qps 100..500000" >&2; exit 2; }

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/bind.sh
source "$BENCH_DIR/lib/bind.sh"
for tool in taskset python3; do command -v "$tool" >/dev/null || die "$tool is missing"; done
[ -f "$ROOT_DIR/verticles/node/target/vxdns.jar" ] || die "build the jar first: mvn -B -q -DskipTests package"
LOAD_JAR=${LOAD_JAR:-$ROOT_DIR/bench/jmh/target/vxdns-benchmarks.jar}
[ -f "$LOAD_JAR" ] || die "no $LOAD_JAR: mvn -B -q -pl bench/jmh -am package -DskipTests"

OUT=$BENCH_DIR/results/latency-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/workload"
ZONE_FILE=$OUT/workload/bench.test.zone
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --zone "$ZONE_FILE" \
  --queries "$OUT/workload/queries.txt" >/dev/null
rss_mib() { awk '/VmRSS/{printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

declare -A PID PORT
NAMED_PORT=$PORT_BASE
named_conf "$OUT" "$NAMED_PORT" "$ZONE_FILE" >"$OUT/named.conf"
taskset -c 0 env ${NAMED_LIBS:+LD_LIBRARY_PATH="$NAMED_LIBS"} "$NAMED_BIN" -g -4 -n 1 -c "$OUT/named.conf" \
  >"$OUT/named.log" 2>&1 &
PID[named]=$!; PIDS+=("${PID[named]}"); PORT[named]=$NAMED_PORT
wait_for "${PID[named]}" "$OUT/named.log" 'running$'
SERVERS=(named)

IFS=';' read -r -a variant_list <<<"$VARIANTS"
port=$((PORT_BASE + 1))
for variant in "${variant_list[@]}"; do
  name=${variant%%=*}; flags=${variant#*=}
  cat >"$OUT/vxdns-$name.json" <<EOF
{
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $port, "transport": "udp" } ],
    "event-loops": 1, "udp-instances": 1
  },
  "zone": { "bench.test": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
EOF
  # An empty flag set leaves VXDNS_JAVA_OPTS unset: bin/vxdns chooses.
  if [[ -z $flags ]]; then
    taskset -c 0 env -u VXDNS_JAVA_OPTS "$ROOT_DIR/bin/vxdns" --config "$OUT/vxdns-$name.json" >"$OUT/vxdns-$name.log" 2>&1 &
  else
    taskset -c 0 env VXDNS_JAVA_OPTS="$flags" "$ROOT_DIR/bin/vxdns" --config "$OUT/vxdns-$name.json" >"$OUT/vxdns-$name.log" 2>&1 &
  fi
  PID[$name]=$!; PIDS+=("${PID[$name]}"); PORT[$name]=$port
  wait_for "${PID[$name]}" "$OUT/vxdns-$name.log" "vxdns started"
  SERVERS+=("$name"); port=$((port + 1))
done

# run SERVER SECONDS -> every answer's latency (seconds), one per line, in $OUT/SERVER-$round.lat
run() {
  local out=$OUT/$1-$round
  # The client allocates nothing while it measures: its young generation holds the whole run.
  timeout -k 5 $(($2 + 30)) taskset -c 1 java -XX:+UseSerialGC -Xms1g -Xmx1g -Xmn768m \
    -cp "$LOAD_JAR" dev.vxdns.bench.load.LoadMain udp-latency --server "127.0.0.1:${PORT[$1]}" \
    --queries "$OUT/workload/queries.txt" --qps "$QPS" --seconds "$2" --out "$out.lat" >"$out.result" 2>&1 \
    || die "the client failed against $1 (see $out.result)"
  grep -q '^RESULT' "$out.result" || die "no result against $1 (see $out.result)"
}

log "warm-up: $WARMUP s at $QPS qps per server"
round=warmup
for server in "${SERVERS[@]}"; do run "$server" "$WARMUP"; done
for round in $(seq 1 "$ROUNDS"); do
  for server in "${SERVERS[@]}"; do
    run "$server" "$DURATION"
    log "round $round $server: $(sed 's/^RESULT //' "$OUT/$server-$round.result")"
  done
done

{
  echo "bench/latency.sh $(date -u +%Y-%m-%dT%H:%MZ), $QPS qps, $ROUNDS x $DURATION s, 10k-record zone, UDP (ms)"
  echo "$(named_cmd -v); vxdns $(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')"
  named_p99=
  for server in "${SERVERS[@]}"; do
    line=$(cat "$OUT"/"$server"-[0-9]*.lat | python3 "$BENCH_DIR/lib/percentiles.py" -)
    p99=$(sed 's/.* p99=\([0-9.]*\).*/\1/' <<<"$line")
    [[ $server == named ]] && named_p99=$p99
    flags=""
    for variant in "${variant_list[@]}"; do [[ ${variant%%=*} == "$server" ]] && flags=${variant#*=}; done
    [[ $server == named || -n $flags ]] || flags="bin/vxdns: $(grep -m1 -o 'JVM: .*' "$OUT/vxdns-$server.log" || echo '?')"
    printf '%-9s %s  p99/named %s  RSS %s MiB  %s\n' "$server" "$line" \
      "$(awk -v a="$p99" -v b="$named_p99" 'BEGIN { printf "%.2f", a / b }')" "$(rss_mib "${PID[$server]}")" "$flags"
  done
} | tee "$OUT/summary.txt"
