#!/usr/bin/env bash
# Zones that change: vxdns against BIND named 9.20 in one run, on the same zone and the same
# TSIG key (hmac-sha256), each server pinned to core 0 (named -n 1; vxdns event-loops 1 plus its
# zone writer thread), the Java client (bench/jmh dev.vxdns.bench.load.LoadMain) on core 1:
#
#   1. signed UPDATEs per second over TCP, 1 and 100 changes per message, 1 and 8 clients, each
#      client waiting for its answer; only NOERROR answers with a valid TSIG count; at the end an
#      AXFR of each server must hold every acknowledged change;
#   2. AXFR of a 1M-record zone (bench/lib/gen_workload.py), drained on the wire, record count checked;
#   3. update-to-visible latency: vxdns primary -> named secondary and named primary -> named
#      secondary (NOTIFY, then IXFR), UDP polls of the secondary every ms from the update's answer.
#
#   bench/updates.sh [--seconds S] [--rounds N] [--phases updates,axfr,latency] [--latency-count N] [--jfr]
#
# --jfr records a JFR profile of vxdns over the updates phase (bench/lib/jfr_top.py -> profile.txt).
# Needs verticles/node/target/vxdns.jar and bench/jmh/target/vxdns-benchmarks.jar:
#   mvn -B -o -q -pl verticles/node,bench/jmh -am package -DskipTests
# Everything listens on 127.0.0.1 only, is bounded in time and count, and is stopped on exit.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
RUN_SECONDS=${RUN_SECONDS:-6}         # per measured update run
ROUNDS=${ROUNDS:-3}                   # interleaved rounds of the four update cases
WARMUP=${WARMUP:-5}                   # unrecorded update seconds per server first (JIT)
MAX_MESSAGES=${MAX_MESSAGES:-100000}  # per client and run
PHASES=${PHASES:-updates,axfr,latency}
AXFR_REPEAT=${AXFR_REPEAT:-3}
LATENCY_COUNT=${LATENCY_COUNT:-50}
LATENCY_GAP_MS=${LATENCY_GAP_MS:-100}
LATENCY_TIMEOUT_MS=${LATENCY_TIMEOUT_MS:-5000}
DO_JFR=0
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
LOAD_JAR=${LOAD_JAR:-$ROOT_DIR/bench/jmh/target/vxdns-benchmarks.jar}
PORT_BASE=${PORT_BASE:-15460}         # named: base, vxdns: base+1, secondaries: base+2 (of vxdns), base+3 (of named)
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
VXDNS_JAVA_OPTS=${VXDNS_JAVA_OPTS:-}
BIND920=${VXDNS_BIND920:-/opt/vxdns/bind920}
ZONE=bench.test
KEY_NAME=bench-key.

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) RUN_SECONDS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --phases) PHASES=$2; shift 2 ;;
    --latency-count) LATENCY_COUNT=$2; shift 2 ;;
    --jfr) DO_JFR=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "updates.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$RUN_SECONDS" "$ROUNDS" "$LATENCY_COUNT"; do [[ $n =~ ^[0-9]+$ ]] || { echo "updates.sh: '$n' is not a number" >&2; exit 2; }; done
(( RUN_SECONDS >= 1 && RUN_SECONDS <= 60 && ROUNDS >= 1 && ROUNDS <= 10 && LATENCY_COUNT >= 1 && LATENCY_COUNT <= 1000 )) \
  || { echo "updates.sh: --seconds 1..60, --rounds 1..10, --latency-count 1..1000" >&2; exit 2; }
has_phase() { [[ ",$PHASES," == *",$1,"* ]]; }

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

# ---- tools: BIND 9.20 (lib/bind.sh); the two jars ------------------------------------------------
# shellcheck source=lib/bind.sh
source "$BENCH_DIR/lib/bind.sh"
command -v taskset >/dev/null || die "taskset missing (apt-get install util-linux)"
[[ -f $JAR ]] || die "no $JAR: mvn -B -o -q -pl verticles/node,bench/jmh -am package -DskipTests"
[[ -f $LOAD_JAR ]] || die "no $LOAD_JAR: mvn -B -o -q -pl verticles/node,bench/jmh -am package -DskipTests"
NAMED_VERSION=$(named_cmd -v)
JAVA_VERSION=$(java -version 2>&1 | head -1)
log "BIND: $NAMED_VERSION ($NAMED_BIN); $JAVA_VERSION"
(( $(nproc) >= 2 )) || log "WARNING: fewer than 2 CPUs: servers and client share a core"

NAMED_PORT=$PORT_BASE; VX_PORT=$((PORT_BASE + 1)); SEC_OF_VX=$((PORT_BASE + 2)); SEC_OF_NAMED=$((PORT_BASE + 3))
for p in "$NAMED_PORT" "$VX_PORT" "$SEC_OF_VX" "$SEC_OF_NAMED"; do
  ! (ss -Hlnt "sport = :$p"; ss -Hlnu "sport = :$p") 2>/dev/null | grep -q . || die "port $p on 127.0.0.1 is in use (set PORT_BASE)"
done

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/results/updates-$STAMP
RUN=$OUT/run
mkdir -p "$OUT/raw" "$RUN"
log "results in $OUT"
# Private copies: other builds may replace the jars while a JVM still loads classes from them.
cp "$JAR" "$RUN/vxdns.jar"
cp "$LOAD_JAR" "$RUN/load.jar"
SECRET=$(head -c 32 /dev/urandom | base64)
CLK_TCK=$(getconf CLK_TCK)

# The 10k-record workload zone of run.sh (same generator, same cache).
workload() { # SIZE RECORDS -> the zone file
  local wl=$BENCH_DIR/results/workload-$1
  if [[ ! -s $wl/bench.test.zone || ! -s $wl/queries.txt || $wl/bench.test.zone -ot $BENCH_DIR/lib/gen_workload.py ]]; then
    mkdir -p "$wl"
    log "generating a $2-record zone"
    python3 "$BENCH_DIR/lib/gen_workload.py" --records "$2" --zone "$wl/bench.test.zone" \
      --queries "$wl/queries.txt" >"$wl/workload.txt"
  fi
  echo "$wl/bench.test.zone"
}

# ---- servers -----------------------------------------------------------------------------------
# named_conf DIR PORT ROLE [ZONEFILE|PRIMARY_PORT] [NOTIFY_PORT]: ROLE primary or secondary.
named_conf() {
  local dir=$1 port=$2 role=$3 arg=$4 notify_port=${5:-}
  local notify="notify no;"
  [[ -n $notify_port ]] && notify="notify explicit; also-notify { 127.0.0.1 port $notify_port; }; notify-delay 0;"
  local zone_body
  if [[ $role == primary ]]; then
    zone_body="type primary; file \"$arg\"; update-policy { grant $KEY_NAME zonesub ANY; }; allow-transfer { 127.0.0.1; };"
  else
    zone_body="type secondary; primaries { 127.0.0.1 port $arg; }; file \"$dir/secondary.db\"; allow-notify { 127.0.0.1; };"
  fi
  cat >"$dir/named.conf" <<EOF
key "$KEY_NAME" { algorithm hmac-sha256; secret "$SECRET"; };
options {
  directory "$dir";
  pid-file "$dir/named.pid";
  listen-on port $port { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  querylog no;
  session-keyfile none;
  tcp-clients 1000;
  $notify
};
controls { };
zone "$ZONE" { $zone_body };
EOF
}

# vxdns_conf DIR PORT ZONEFILE [NOTIFY_PORT]
vxdns_conf() {
  local dir=$1 port=$2 file=$3 notify_port=${4:-}
  local notify='"notify": "no"'
  [[ -n $notify_port ]] && notify="\"notify\": \"explicit\", \"notify-delay\": 0, \"also-notify\": [ { \"address\": \"127.0.0.1\", \"port\": $notify_port } ]"
  cat >"$dir/vxdns.json" <<EOF
{
  "key": { "$KEY_NAME": { "algorithm": "hmac-sha256", "secret": "$SECRET" } },
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $port, "transport": ["udp", "tcp"] } ],
    "event-loops": 1,
    "udp-instances": 1,
    "tcp-instances": 1,
    "tcp-clients": 1000
  },
  "zone": {
    "$ZONE": {
      "type": "primary",
      "file": "$file",
      "update-policy": [ "grant $KEY_NAME zonesub ANY" ],
      "allow-transfer": [ "127.0.0.1" ],
      $notify
    }
  }
}
EOF
}

# start_named DIR CPU: sets STARTED (pid)
start_named() {
  taskset -c "$2" env ${NAMED_LIBS:+LD_LIBRARY_PATH="$NAMED_LIBS"} "$NAMED_BIN" -g -4 -n 1 -c "$1/named.conf" >"$1/named.log" 2>&1 &
  STARTED=$!; PIDS+=("$STARTED")
  wait_for "$STARTED" "$1/named.log" 'running$' 300
}

# start_vxdns DIR [JAVA OPTS...]: sets STARTED (pid)
start_vxdns() {
  local dir=$1; shift
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java $VXDNS_JAVA_OPTS "$@" -jar "$RUN/vxdns.jar" --config "$dir/vxdns.json" >"$dir/vxdns.log" 2>&1 &
  STARTED=$!; PIDS+=("$STARTED")
  wait_for "$STARTED" "$dir/vxdns.log" 'vxdns started' 300
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# load TIMEOUT_S ARGS...: the Java client on the client core, bounded by timeout
load() {
  local limit=$1; shift
  timeout -k 5 "$limit" taskset -c "$CLIENT_CPU" java -XX:+UseSerialGC -cp "$RUN/load.jar" dev.vxdns.bench.load.LoadMain "$@"
}

# ---- 1. signed updates per second --------------------------------------------------------------
if has_phase updates; then
  zone10k=$(workload 10k 10000)
  declare -A UPD_PID UPD_PORT=([named]=$NAMED_PORT [vxdns]=$VX_PORT)
  mkdir -p "$RUN/upd-named" "$RUN/upd-vxdns"
  cp "$zone10k" "$RUN/upd-named/$ZONE.zone"; cp "$zone10k" "$RUN/upd-vxdns/$ZONE.zone"
  named_conf "$RUN/upd-named" "$NAMED_PORT" primary "$RUN/upd-named/$ZONE.zone"
  vxdns_conf "$RUN/upd-vxdns" "$VX_PORT" "$RUN/upd-vxdns/$ZONE.zone"
  log "updates: starting named (:$NAMED_PORT) and vxdns (:$VX_PORT) on core $SERVER_CPU with the 10k zone"
  start_named "$RUN/upd-named" "$SERVER_CPU"; UPD_PID[named]=$STARTED
  jfr_opts=()
  (( DO_JFR )) && jfr_opts=("-XX:StartFlightRecording=filename=$OUT/vxdns-updates.jfr,settings=profile,dumponexit=true")
  start_vxdns "$RUN/upd-vxdns" "${jfr_opts[@]}"; UPD_PID[vxdns]=$STARTED

  for server in vxdns named; do
    log "updates: warm-up $server ${WARMUP}s (8 clients, 1 change per message)"
    load $((WARMUP + 60)) updates --server "127.0.0.1:${UPD_PORT[$server]}" --zone "$ZONE" \
      --key "$KEY_NAME:$SECRET" --clients 8 --batch 1 --seconds "$WARMUP" --max-messages "$MAX_MESSAGES" \
      --tag "warm" --acked "$OUT/raw/acked-$server.txt" >"$OUT/raw/updates-warmup-$server.txt" \
      || die "warm-up against $server failed (see $OUT/raw/updates-warmup-$server.txt)"
  done
  for round in $(seq 1 "$ROUNDS"); do
  for clients in 1 8; do
    for batch in 1 100; do
      for server in vxdns named; do
        raw=$OUT/raw/updates-$server-c$clients-b$batch-r$round.txt
        t0=$(cpu_ticks "${UPD_PID[$server]}")
        load $((RUN_SECONDS + 60)) updates --server "127.0.0.1:${UPD_PORT[$server]}" --zone "$ZONE" \
          --key "$KEY_NAME:$SECRET" --clients "$clients" --batch "$batch" --seconds "$RUN_SECONDS" \
          --max-messages "$MAX_MESSAGES" --tag "r$round-c$clients-b$batch" --acked "$OUT/raw/acked-$server.txt" >"$raw" \
          || log "updates against $server ($clients clients, batch $batch) reported errors (see $raw)"
        t1=$(cpu_ticks "${UPD_PID[$server]}")
        echo "CPU server=$server ticks=$((t1 - t0)) hz=$CLK_TCK" >>"$raw"
        log "updates r$round $server clients=$clients batch=$batch: $(grep -o 'msg_per_s=[^ ]* changes_per_s=[^ ]*' "$raw" || echo '?')"
      done
    done
  done
  done
  for server in vxdns named; do
    log "updates: checking every acknowledged change on $server (AXFR)"
    load 180 verify --server "127.0.0.1:${UPD_PORT[$server]}" --zone "$ZONE" \
      --acked "$OUT/raw/acked-$server.txt" >"$OUT/raw/verify-$server.txt" \
      || log "verify $server FAILED (see $OUT/raw/verify-$server.txt)"
    cat "$OUT/raw/verify-$server.txt" >&2
  done
  ls -l "$RUN"/upd-*/*.jnl >"$OUT/raw/journals.txt" 2>&1 || true
  stop "${UPD_PID[vxdns]}"; stop "${UPD_PID[named]}"
  if (( DO_JFR )) && [[ -s $OUT/vxdns-updates.jfr ]]; then
    jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample "$OUT/vxdns-updates.jfr" >"$OUT/raw/jfr-samples.json"
    python3 "$BENCH_DIR/lib/jfr_top.py" "$OUT/raw/jfr-samples.json" 40 >"$OUT/profile.txt" || true
  fi
fi

# ---- 2. AXFR of a 1M-record zone ---------------------------------------------------------------
if has_phase axfr; then
  zone1m=$(workload 1m 1000000)
  mkdir -p "$RUN/axfr-named" "$RUN/axfr-vxdns"
  named_conf "$RUN/axfr-named" "$NAMED_PORT" primary "$zone1m"
  # vxdns writes nothing back without a change, so both can read the cached file.
  vxdns_conf "$RUN/axfr-vxdns" "$VX_PORT" "$zone1m"
  for server in named vxdns; do
    log "axfr: starting $server with the 1M zone"
    t0=$(date +%s.%N)
    if [[ $server == named ]]; then start_named "$RUN/axfr-named" "$SERVER_CPU"; port=$NAMED_PORT
    else start_vxdns "$RUN/axfr-vxdns"; port=$VX_PORT; fi
    pid=$STARTED
    log "axfr: $server ready in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s; $AXFR_REPEAT transfers"
    raw=$OUT/raw/axfr-$server.txt
    c0=$(cpu_ticks "$pid")
    load 600 axfr --server "127.0.0.1:$port" --zone "$ZONE" --repeat "$AXFR_REPEAT" >"$raw" \
      || log "axfr from $server failed (see $raw)"
    c1=$(cpu_ticks "$pid")
    echo "CPU server=$server ticks=$((c1 - c0)) hz=$CLK_TCK" >>"$raw"
    grep RESULT "$raw" >&2 || true
    stop "$pid"
  done
fi

# ---- 3. update-to-visible latency on a named secondary -----------------------------------------
if has_phase latency; then
  zone10k=$(workload 10k 10000)
  mkdir -p "$RUN/lat-named" "$RUN/lat-vxdns" "$RUN/lat-sec-of-named" "$RUN/lat-sec-of-vxdns"
  cp "$zone10k" "$RUN/lat-named/$ZONE.zone"; cp "$zone10k" "$RUN/lat-vxdns/$ZONE.zone"
  named_conf "$RUN/lat-named" "$NAMED_PORT" primary "$RUN/lat-named/$ZONE.zone" "$SEC_OF_NAMED"
  vxdns_conf "$RUN/lat-vxdns" "$VX_PORT" "$RUN/lat-vxdns/$ZONE.zone" "$SEC_OF_VX"
  named_conf "$RUN/lat-sec-of-named" "$SEC_OF_NAMED" secondary "$NAMED_PORT"
  named_conf "$RUN/lat-sec-of-vxdns" "$SEC_OF_VX" secondary "$VX_PORT"
  log "latency: primaries on core $SERVER_CPU, named 9.20 secondaries on core $CLIENT_CPU"
  start_named "$RUN/lat-named" "$SERVER_CPU"; lat_named=$STARTED
  start_vxdns "$RUN/lat-vxdns"; lat_vxdns=$STARTED
  start_named "$RUN/lat-sec-of-named" "$CLIENT_CPU"; sec_named=$STARTED
  start_named "$RUN/lat-sec-of-vxdns" "$CLIENT_CPU"; sec_vxdns=$STARTED
  for port in "$SEC_OF_NAMED" "$SEC_OF_VX"; do
    for _ in $(seq 1 300); do
      [[ $(dig_cmd @127.0.0.1 -p "$port" +tries=1 +time=1 +short "$ZONE" SOA 2>/dev/null) == *2026112301* ]] && break
      sleep 0.2
    done
    [[ $(dig_cmd @127.0.0.1 -p "$port" +tries=1 +time=1 +short "$ZONE" SOA) == *2026112301* ]] \
      || die "the secondary on :$port did not load $ZONE (see $RUN/lat-sec-*/named.log)"
  done
  for pair in vxdns named; do
    if [[ $pair == vxdns ]]; then primary=$VX_PORT; secondary=$SEC_OF_VX; else primary=$NAMED_PORT; secondary=$SEC_OF_NAMED; fi
    log "latency: $pair primary -> named secondary: 10 unrecorded, then $LATENCY_COUNT updates ${LATENCY_GAP_MS} ms apart"
    load 120 latency --primary "127.0.0.1:$primary" --secondary "127.0.0.1:$secondary" --zone "$ZONE" \
      --key "$KEY_NAME:$SECRET" --count 10 --gap-ms "$LATENCY_GAP_MS" --timeout-ms "$LATENCY_TIMEOUT_MS" \
      --tag warm --out "$OUT/raw/latency-warmup-$pair.tsv" >"$OUT/raw/latency-warmup-$pair.txt" \
      || log "latency warm-up for $pair had timeouts (see $OUT/raw/latency-warmup-$pair.txt)"
    load $(( (LATENCY_COUNT * (LATENCY_GAP_MS + LATENCY_TIMEOUT_MS)) / 1000 + 60 )) latency \
      --primary "127.0.0.1:$primary" --secondary "127.0.0.1:$secondary" --zone "$ZONE" \
      --key "$KEY_NAME:$SECRET" --count "$LATENCY_COUNT" --gap-ms "$LATENCY_GAP_MS" \
      --timeout-ms "$LATENCY_TIMEOUT_MS" --tag lat --out "$OUT/raw/latency-$pair.tsv" >"$OUT/raw/latency-$pair.txt" \
      || log "latency for $pair had timeouts (see $OUT/raw/latency-$pair.txt)"
    grep RESULT "$OUT/raw/latency-$pair.txt" >&2 || true
  done
  stop "$sec_vxdns"; stop "$sec_named"; stop "$lat_vxdns"; stop "$lat_named"
fi

cat >"$OUT/environment.txt" <<EOF
date: $(date -Is)
bind: $NAMED_VERSION ($NAMED_BIN)
java: $JAVA_VERSION
vxdns: $(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')
VXDNS_JAVA_OPTS: ${VXDNS_JAVA_OPTS:-(none)}
kernel: $(uname -r)
cpu: $(nproc) x $(lscpu | awk -F': *' '/Model name/{print $2; exit}')
servers on core $SERVER_CPU, client (and in phase 3 the secondaries) on core $CLIENT_CPU
updates: $ROUNDS interleaved rounds of ${RUN_SECONDS}s per run after ${WARMUP}s warm-up; latency: $LATENCY_COUNT updates ${LATENCY_GAP_MS} ms apart
EOF
python3 "$BENCH_DIR/lib/summarize_updates.py" "$OUT" | tee "$OUT/summary.txt"
log "done: $OUT/summary.txt"
