#!/usr/bin/env bash
# bench/zoneload.sh: how long from process start until the LAST record of a generated zone
# answers, and the peak RSS by then, for BIND named 9.20 and vxdns (this tree's jar, and
# optionally an older jar to compare with), one server at a time, ROUNDS rounds.
#
#   bench/zoneload.sh                                  # 1M records, 3 rounds
#   BEFORE_JAR=/path/to/old/vxdns.jar bench/zoneload.sh
#   RECORDS=200000 ROUNDS=1 bench/zoneload.sh
#
# The zone is bench/lib/gen_workload.py's (cached in bench/results/workload-zoneload-N/); the
# probe is `dig +short NAME A` every 20 ms for the zone's last h<i> name until the expected
# address comes back. vxdns runs with bin/vxdns's JVM flags (VXDNS_JAVA_OPTS to change them).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
RECORDS=${RECORDS:-1000000}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-15360}
TIMEOUT=${TIMEOUT:-300}
NAMED_BIN=${NAMED_BIN:-/opt/vxdns/bind920/usr/sbin/named}
NAMED_LIBS=${NAMED_LIBS:-/opt/vxdns/bind920/usr/lib/x86_64-linux-gnu}
JAR=${JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
BEFORE_JAR=${BEFORE_JAR:-}
JAVA_OPTS=${VXDNS_JAVA_OPTS:--XX:+ExitOnOutOfMemoryError -Xms256m -Xmx2g}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "zoneload.sh: $*"; exit 1; }
[[ -x $NAMED_BIN ]] || die "no named at $NAMED_BIN (run .ci/install-bind.sh 9.20)"
[[ -f $JAR ]] || die "no $JAR (mvn -B -q -pl verticles/node -am package -DskipTests)"
if command -v dig >/dev/null; then DIG=(dig); else
  DIG=(env LD_LIBRARY_PATH="$NAMED_LIBS" /opt/vxdns/bind920/usr/bin/dig); fi

WL=$BENCH_DIR/results/workload-zoneload-$RECORDS
ZONE=$WL/bench.test.zone
if [[ ! -s $ZONE ]]; then
  mkdir -p "$WL"
  log "generating a $RECORDS-record zone"
  python3 "$BENCH_DIR/lib/gen_workload.py" --records "$RECORDS" --zone "$ZONE" \
    --queries "$WL/queries.txt" --query-count 1000 >"$WL/workload.txt"
fi
read -r LAST_NAME LAST_ADDR < <(awk '$1 ~ /^h[0-9]+$/ && $2 == "IN" && $3 == "A" {n=$1; a=$4} END {print n, a}' "$ZONE")
[[ -n $LAST_NAME ]] || die "no h<i> A record in $ZONE"
RECORD_COUNT=$(grep -cv '^;' "$ZONE")
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/results/zoneload-$STAMP
mkdir -p "$OUT"
log "zone $ZONE: $RECORD_COUNT lines; probe $LAST_NAME.bench.test A -> $LAST_ADDR; results in $OUT"

cat >"$OUT/named.conf" <<CONF
options {
  directory "$OUT";
  pid-file "$OUT/named.pid";
  listen-on port $PORT { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  notify no;
  dnssec-validation no;
  session-keyfile none;
};
controls { };
zone "bench.test" { type primary; file "$ZONE"; };
CONF
cat >"$OUT/vxdns.json" <<CONF
{
  "options": { "listen-on": [ { "address": "127.0.0.1", "port": $PORT, "transport": ["udp"] } ] },
  "zone": { "bench.test": { "type": "primary", "file": "$ZONE" } }
}
CONF

now() { date +%s.%N; }
# run NAME COMMAND...: starts it, polls the last record, prints "seconds peak_rss_mib", stops it
run() {
  local name=$1; shift
  local t0 pid deadline answer=""
  t0=$(now)
  "$@" >"$OUT/$name.log" 2>&1 &
  pid=$!
  deadline=$(( $(date +%s) + TIMEOUT ))
  while [[ $answer != "$LAST_ADDR" ]]; do
    kill -0 "$pid" 2>/dev/null || { tail -5 "$OUT/$name.log" >&2; die "$name exited"; }
    (( $(date +%s) < deadline )) || { kill "$pid"; die "$name: no answer within ${TIMEOUT}s"; }
    sleep 0.02
    answer=$("${DIG[@]}" +short +tries=1 +time=1 -p "$PORT" @127.0.0.1 "$LAST_NAME.bench.test" A 2>/dev/null || true)
  done
  local t1 hwm
  t1=$(now)
  hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v a="$t0" -v b="$t1" -v h="$hwm" 'BEGIN{printf "%.2f\t%.0f\n", b-a, h/1024}'
}

declare -a SERVERS=(named vxdns)
[[ -n $BEFORE_JAR ]] && SERVERS+=(vxdns-before)
printf 'round\tserver\tseconds_to_last_record\tpeak_rss_mib\n' >"$OUT/zoneload.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for server in "${SERVERS[@]}"; do
    case $server in
      named) result=$(run named env LD_LIBRARY_PATH="$NAMED_LIBS" "$NAMED_BIN" -g -4 -c "$OUT/named.conf") ;;
      vxdns) result=$(run vxdns java $JAVA_OPTS -jar "$JAR" --config "$OUT/vxdns.json") ;;
      # shellcheck disable=SC2086
      vxdns-before) result=$(run vxdns-before java $JAVA_OPTS -jar "$BEFORE_JAR" --config "$OUT/vxdns.json") ;;
    esac
    printf '%s\t%s\t%s\n' "$round" "$server" "$result" | tee -a "$OUT/zoneload.tsv" >&2
  done
done
log "medians (seconds, peak RSS MiB):"
for server in "${SERVERS[@]}"; do
  awk -F'\t' -v s="$server" '$2 == s {t[++n]=$3; r[n]=$4} END {
    asort(t); asort(r); m = int((n + 1) / 2); printf "%-13s %6.2f s  %6d MiB  (%d rounds)\n", s, t[m], r[m], n }' \
    "$OUT/zoneload.tsv" | tee -a "$OUT/summary.txt"
done
{ date -u; nproc; java -version 2>&1 | head -1; env LD_LIBRARY_PATH="$NAMED_LIBS" "$NAMED_BIN" -v; } >"$OUT/environment.txt"
