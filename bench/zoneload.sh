#!/usr/bin/env bash
# bench/zoneload.sh: how long from process start until the LAST record of a generated zone
# answers, and the peak RSS by then, for BIND named 9.20, Knot, NSD and vxdns (this tree's jar,
# and optionally an older jar to compare with), one server at a time, ROUNDS rounds.
#
#   bench/zoneload.sh                                  # 1M records, 3 rounds
#   BEFORE_JAR=/path/to/old/vxdns.jar bench/zoneload.sh
#   RECORDS=200000 ROUNDS=1 bench/zoneload.sh
#   RELOAD=1 bench/zoneload.sh                         # and then a reload of the edited file
#   SERVERS="knot vxdns" bench/zoneload.sh             # some of the servers only
#
# The zone is bench/lib/gen_workload.py's (cached in bench/results/workload-zoneload-N/); the
# probe asks for the zone's last h<i> name every 5 ms until the expected address comes back
# (lib/await_answer.py, one process for the whole wait). vxdns runs through bin/vxdns (its heap
# sized from the zone, or VXDNS_JAVA_OPTS); BEFORE_JAR with BEFORE_JAVA_OPTS (default: the
# launcher's old -Xms256m -Xmx2g).
#
# RELOAD=1: once the last record answers, the server gets UDP queries at RELOAD_QPS (default 20000;
# bench/jmh's LoadMain udp-latency, the zone's query file, from 8 ports: a server's UDP sockets
# sharing its port each get some of them, so a stall of any of its threads shows) for
# RELOAD_SECONDS (default 8); 3 s in, the file is replaced (renamed over: serial + 1, the last
# record's address changed) and the server told to reload it as its operators do (named SIGHUP, as
# rndc reload; Knot SIGUSR1, all zones; NSD SIGHUP; vxdns SIGHUP): how long until the new address
# answers, the answers' latency over the window (p99, max, how many took over 10 ms, how many were
# lost), and the peak RSS by then.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
RECORDS=${RECORDS:-1000000}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-15360}
TIMEOUT=${TIMEOUT:-300}
BIND920=${VXDNS_BIND920:-/opt/vxdns/bind920}
JAR=${JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
BEFORE_JAR=${BEFORE_JAR:-}
BEFORE_JAVA_OPTS=${BEFORE_JAVA_OPTS:--XX:+ExitOnOutOfMemoryError -Xms256m -Xmx2g}
RELOAD=${RELOAD:-0}
RELOAD_QPS=${RELOAD_QPS:-20000}
RELOAD_SECONDS=${RELOAD_SECONDS:-8}
BENCH_JAR=${BENCH_JAR:-$BENCH_DIR/jmh/target/vxdns-benchmarks.jar}

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=lib/bind.sh
source "$BENCH_DIR/lib/bind.sh"
[[ -f $JAR ]] || die "no $JAR (mvn -B -q -pl verticles/node -am package -DskipTests)"
for tool in knotd nsd; do
  if ! command -v "$tool" >/dev/null; then
    [ "$(id -u)" = 0 ] || die "$tool is missing (apt-get install knot nsd)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq knot nsd >/dev/null
  fi
done

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
# The servers read a copy, which a reload replaces; each run starts from the original.
SERVED=$OUT/bench.test.zone
NEXT=$OUT/next.zone
NEXT_ADDR=192.0.2.222
if [[ $RELOAD == 1 ]]; then
  [[ -f $BENCH_JAR ]] || die "no $BENCH_JAR (mvn -B -q -pl bench/jmh -am package -DskipTests)"
  awk -v n="$LAST_NAME" -v a="$NEXT_ADDR" '
    !s && $3 == "SOA" { $6 = $6 + 1; s = 1 }
    $1 == n && $3 == "A" { $4 = a }
    { print }' "$ZONE" >"$NEXT"
  grep -q "$NEXT_ADDR" "$NEXT" || die "no $LAST_NAME A record to change in $NEXT"
fi

named_conf "$OUT" "$PORT" "$SERVED" >"$OUT/named.conf"
# Knot and NSD: defaults but for where they keep their files; no journal, no database, one server
# process (NSD forks its servers after loading: its peak RSS is the loading parent's), no rate
# limiting.
mkdir -p "$OUT/knot"
cat >"$OUT/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$PORT
    rundir: "$OUT/knot"
database:
    storage: "$OUT/knot"
zone:
  - domain: bench.test
    file: "$SERVED"
    journal-content: none
CONF
cat >"$OUT/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$PORT
  server-count: 1
  # its response rate limiting off, as named's and vxdns's: a reload's steady load comes from one
  # address
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
  username: ""
  chroot: ""
  database: ""
  zonelistfile: "$OUT/nsd.zonelist"
  xfrdfile: "$OUT/nsd.xfrd.state"
  pidfile: "$OUT/nsd.pid"
remote-control:
  control-enable: no
zone:
  name: bench.test
  zonefile: "$SERVED"
CONF
cat >"$OUT/vxdns.json" <<CONF
{
  "options": { "listen-on": [ { "address": "127.0.0.1", "port": $PORT, "transport": ["udp"] } ] },
  "zone": { "bench.test": { "type": "primary", "file": "$SERVED", "notify": "no" } }
}
CONF

# await_answer PID ADDRESS: waits until the last record answers ADDRESS, one query every 5 ms from one
# process (lib/await_answer.py: a dig per attempt took a quarter of a core from the server timed);
# prints when the answer came; fails 1 when PID exits, 2 after TIMEOUT
await_answer() {
  python3 "$BENCH_DIR/lib/await_answer.py" "$PORT" "$LAST_NAME.bench.test" "$2" "$1" "$TIMEOUT"
}
# reload NAME PID: under a steady UDP load, replaces the served file, signals the server, waits for
# the new address; prints "seconds p99_ms max_ms slow/answered lost peak_rss_mib"
reload() {
  local name=$1 pid=$2 signal=HUP t0 client
  [[ $name == knot ]] && signal=USR1
  cp "$NEXT" "$SERVED.new"
  java -cp "$BENCH_JAR" dev.vxdns.bench.load.LoadMain udp-latency --server "127.0.0.1:$PORT" \
    --queries "$WL/queries.txt" --qps "$RELOAD_QPS" --seconds "$RELOAD_SECONDS" --warmup 1 \
    --sockets 8 --series "$OUT/$name.reload-series" >"$OUT/$name.reload-latency" 2>&1 &
  client=$!
  sleep 4 # the client's JVM, its warm-up second, then 3 s of steady load
  t0=$(now)
  mv "$SERVED.new" "$SERVED"
  kill -"$signal" "$pid"
  local t1
  t1=$(await_answer "$pid" "$NEXT_ADDR") || { kill "$client"; die "$name: exited, or no reload within ${TIMEOUT}s"; }
  wait "$client" || die "$name: the latency client failed: $(tail -3 "$OUT/$name.reload-latency")"
  local result slow
  result=$(grep '^RESULT' "$OUT/$name.reload-latency")
  slow=$(awk '$2 > 0.010 {n++} END {print n + 0}' "$OUT/$name.reload-series")
  awk -v a="$t0" -v b="$t1" -v r="$result" -v s="$slow" -v h="$(hwm_kib "$pid")" 'BEGIN {
    n = split(r, kv, /[ =]/); for (i = 2; i < n; i += 2) v[kv[i]] = kv[i + 1]
    printf "%.2f\t%s\t%s\t%d/%d\t%d\t%.0f\n", b - a, v["p99_ms"], v["max_ms"], s, v["answered"], v["lost"], h / 1024 }'
}
# run NAME COMMAND...: starts it, polls the last record, prints "seconds peak_rss_mib", stops it
run() {
  local name=$1; shift
  local t0 pid t1 hwm
  t0=$(now)
  "$@" >"$OUT/$name.log" 2>&1 &
  pid=$!
  t1=$(await_answer "$pid" "$LAST_ADDR") || case $? in
    1) tail -5 "$OUT/$name.log" >&2; die "$name exited" ;;
    *) kill "$pid"; die "$name: no answer within ${TIMEOUT}s" ;;
  esac
  # The largest peak among the server's processes (NSD loads and serves in processes it forks).
  hwm=$(hwm_kib "$pid")
  awk -v a="$t0" -v b="$t1" -v h="$hwm" 'BEGIN{printf "%.2f\t%.0f\n", b-a, h/1024}'
  if [[ $RELOAD == 1 ]]; then
    reload "$name" "$pid" >"$OUT/$name.reload"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

read -r -a SERVERS <<<"${SERVERS:-named knot nsd vxdns}"
[[ -n $BEFORE_JAR ]] && SERVERS+=(vxdns-before)
printf 'round\tserver\tseconds_to_last_record\tpeak_rss_mib\n' >"$OUT/zoneload.tsv"
[[ $RELOAD == 1 ]] && printf 'round\tserver\treload_seconds\tp99_ms\tmax_ms\tover_10ms/answered\tlost\tpeak_rss_mib\n' >"$OUT/reload.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for server in "${SERVERS[@]}"; do
    # Its modification time kept: vxdns's later rounds are restarts on unchanged files.
    cp -p "$ZONE" "$SERVED"
    case $server in
      # env execs named: the PID run polls and stops is named's own.
      named) result=$(run named env ${NAMED_LIBS:+LD_LIBRARY_PATH="$NAMED_LIBS"} "$NAMED_BIN" -g -4 -c "$OUT/named.conf") ;;
      knot) result=$(run knot knotd -c "$OUT/knot.conf") ;;
      nsd) result=$(run nsd nsd -d -c "$OUT/nsd.conf") ;;
      # bin/vxdns keeps its JVM sizing for an unchanged config and zone (in XDG_CACHE_HOME): the
      # first round sizes it (a JVM of its own), and is reported apart as vxdns-first.
      vxdns) result=$(XDG_CACHE_HOME=$OUT/cache run vxdns "$ROOT_DIR/bin/vxdns" --config "$OUT/vxdns.json") ;;
      # shellcheck disable=SC2086
      vxdns-before) result=$(run vxdns-before java $BEFORE_JAVA_OPTS -jar "$BEFORE_JAR" --config "$OUT/vxdns.json") ;;
    esac
    label=$server
    [[ $server == vxdns && $round == 1 ]] && label=vxdns-first
    printf '%s\t%s\t%s\n' "$round" "$label" "$result" | tee -a "$OUT/zoneload.tsv" >&2
    if [[ $RELOAD == 1 ]]; then
      printf '%s\t%s\t%s\n' "$round" "$server" "$(cat "$OUT/$server.reload")" | tee -a "$OUT/reload.tsv" >&2
    fi
  done
done
# medians TSV: per server (as the TSV's second column names it), its round with the median time
# (the third column), with the round's other columns (plain awk: no gawk asort)
medians() {
  local server
  for server in $(tail -n +2 "$1" | cut -f2 | awk '!seen[$0]++'); do
    awk -F'\t' -v s="$server" '$2 == s' "$1" | sort -t "$(printf '\t')" -k3,3n | awk -F'\t' -v s="$server" \
      '{row[NR] = $0} END {m = int((NR + 1) / 2); n = split(row[m], f, "\t"); out = sprintf("%-13s", s);
        for (i = 3; i <= n; i++) out = out "  " f[i]; printf "%s  (%d rounds)\n", out, NR}' \
      | tee -a "$OUT/summary.txt"
  done
}
log "medians (seconds, peak RSS MiB):"
medians "$OUT/zoneload.tsv"
if [[ $RELOAD == 1 ]]; then
  log "reload medians (seconds until the new address answers; under load: p99 ms, max ms, answers over 10 ms, lost; peak RSS MiB):"
  medians "$OUT/reload.tsv"
fi
{ date -u; nproc; java -version 2>&1 | head -1; named_cmd -v; knotd -V; nsd -v 2>&1 | head -1; grep -m1 'JVM:' "$OUT/vxdns.log" || true; } >"$OUT/environment.txt"
