#!/usr/bin/env bash
# Side-by-side benchmark: vxdns (direct and eventbus delivery) against BIND named, one server core
# each, dnsperf on the other core. See bench/README.md for what it measures and how to read it.
#
#   bench/run.sh                      10k-record zone, UDP and TCP, both deliveries, 3 rounds x 12 s
#   bench/run.sh --zone-size 1m       1M-record zone: load time and RSS too (slow: zone generation
#                                     and loading take minutes); add --no-load for load/RSS only
#   bench/run.sh --jfr 20             also profile vxdns (direct, UDP) for 20 s with JFR
#   bench/run.sh --rate 100000        every server at the same offered load: CPU per query compared
#                                     at equal work, not each at its own saturation
#   bench/run.sh --help
#
# Everything it starts listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)

# ---- defaults (flags below, or the environment) -----------------------------------------------
ZONE_SIZE=${ZONE_SIZE:-10k}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-12}            # seconds per measured dnsperf run
WARMUP=${WARMUP:-6}                 # seconds of unrecorded load per server and transport first
TRANSPORTS=${TRANSPORTS:-udp,tcp}
DELIVERIES=${DELIVERIES:-direct,eventbus}
DO_LOAD=1
DO_INSTALL=1
JFR_SECONDS=${JFR_SECONDS:-0}
RATE=${RATE:-0}                     # queries per second offered by dnsperf (-Q); 0: as fast as it can
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15350}       # named: base, vxdns direct: base+1, vxdns eventbus: base+2, nsd: base+3
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
VXDNS_JAVA_OPTS=${VXDNS_JAVA_OPTS:-}
# -e: queries carry EDNS (OPT), as real resolvers' do. -t 1: a lost query frees its slot after 1 s.
DNSPERF_UDP_ARGS=${DNSPERF_UDP_ARGS:--e -c 8 -T 1 -q 128 -t 1}
DNSPERF_TCP_ARGS=${DNSPERF_TCP_ARGS:--e -c 16 -T 1 -q 256 -t 1}
# BIND 9.20 from .ci/install-bind.sh's private prefix when it is there, else the system's named;
# or another build, e.g. an unpacked 9.18 .deb, and its library folder (LD_LIBRARY_PATH for named).
BIND920=${VXDNS_BIND920:-/opt/vxdns/bind920}
if [[ -z ${NAMED_BIN:-} && -x $BIND920/usr/sbin/named ]]; then
  NAMED_BIN=$BIND920/usr/sbin/named; NAMED_LIBS=${NAMED_LIBS:-$BIND920/usr/lib/x86_64-linux-gnu}
fi
NAMED_BIN=${NAMED_BIN:-named}
NAMED_LIBS=${NAMED_LIBS:-}
START_TIMEOUT=${START_TIMEOUT:-300}  # seconds to wait for a server to be ready (1M zones are slow)

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  cat <<EOF

Options:
  --zone-size 10k|1m      zone size (default $ZONE_SIZE)
  --rounds N              interleaved rounds per transport (default $ROUNDS)
  --duration S            seconds per measured run (default $DURATION)
  --warmup S              unrecorded warm-up seconds per server and transport (default $WARMUP)
  --transports LIST       udp,tcp (default $TRANSPORTS)
  --deliveries LIST       direct,eventbus (default $DELIVERIES)
  --no-load               only start the servers: load time and RSS, no dnsperf runs
  --jfr S                 after the rounds, profile vxdns (first delivery, UDP) for S seconds
  --rate QPS              offer every server QPS queries a second (dnsperf -Q; default: flat out)
  --jar FILE              vxdns jar (default verticles/node/target/vxdns.jar)
  --no-install            do not apt-get missing tools
Environment: VXDNS_JAVA_OPTS, DNSPERF_UDP_ARGS, DNSPERF_TCP_ARGS, PORT_BASE, SERVER_CPU, CLIENT_CPU,
  NAMED_BIN and NAMED_LIBS (another named build and its libraries), ROUNDS, DURATION, WARMUP.
EOF
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --zone-size) ZONE_SIZE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --transports) TRANSPORTS=$2; shift 2 ;;
    --deliveries) DELIVERIES=$2; shift 2 ;;
    --no-load) DO_LOAD=0; shift ;;
    --jfr) JFR_SECONDS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --no-install) DO_INSTALL=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

case $ZONE_SIZE in
  10k|10K|10000) ZONE_SIZE=10k; RECORDS=10000 ;;
  1m|1M|1000000) ZONE_SIZE=1m; RECORDS=1000000 ;;
  *) echo "run.sh: --zone-size must be 10k or 1m" >&2; exit 2 ;;
esac
for n in "$ROUNDS" "$DURATION" "$WARMUP" "$JFR_SECONDS" "$RATE"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "run.sh: '$n' is not a number" >&2; exit 2; }
done
(( ROUNDS >= 1 && ROUNDS <= 20 )) || { echo "run.sh: --rounds must be 1..20" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 120 )) || { echo "run.sh: --duration must be 1..120" >&2; exit 2; }
(( WARMUP <= 60 && JFR_SECONDS <= 120 )) || { echo "run.sh: --warmup <= 60, --jfr <= 120" >&2; exit 2; }
if (( RATE > 0 )); then
  DNSPERF_UDP_ARGS+=" -Q $RATE"; DNSPERF_TCP_ARGS+=" -Q $RATE"
fi
IFS=, read -r -a TRANSPORT_LIST <<<"$TRANSPORTS"
IFS=, read -r -a DELIVERY_LIST <<<"$DELIVERIES"
for t in "${TRANSPORT_LIST[@]}"; do [[ $t == udp || $t == tcp ]] || { echo "run.sh: transport $t?" >&2; exit 2; }; done
for d in "${DELIVERY_LIST[@]}"; do [[ $d == direct || $d == eventbus ]] || { echo "run.sh: delivery $d?" >&2; exit 2; }; done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

# ---- cleanup: everything this script starts is recorded here and stopped on exit --------------
# (its own: servers get 20 s to stop on SIGTERM, then SIGKILL)
STARTED_PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid alive=0
  for pid in "${STARTED_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null && alive=$((alive + 1))
  done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop on SIGTERM within 20 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  (( alive > 0 )) && log "stopped $alive process(es) started by run.sh"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- tools -------------------------------------------------------------------------------------
BACKPORTS_LIST=/etc/apt/sources.list.d/vxdns-bench-backports.list
install_tools() {
  local missing=()
  command -v dnsperf >/dev/null || missing+=(dnsperf)
  [[ $NAMED_BIN != named ]] || command -v named >/dev/null || missing+=(bind9)
  command -v dig >/dev/null || missing+=(bind9-dnsutils)
  command -v nsd >/dev/null || missing+=(nsd)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v ps >/dev/null || missing+=(procps)
  command -v python3 >/dev/null || missing+=(python3)
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $DO_INSTALL -eq 1 ]] || die "missing tools: ${missing[*]} (rerun without --no-install, as root)"
  [[ $(id -u) -eq 0 ]] || die "missing tools: ${missing[*]}; run as root or: apt-get install ${missing[*]}"
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null
  local bind_release=()
  if [[ " ${missing[*]} " == *" bind9 "* ]]; then
    # Prefer BIND 9.20 from bookworm-backports when that suite is reachable; else Debian's 9.18.
    local added=0
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ \
        && grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release; then
      echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$BACKPORTS_LIST"
      added=1
      timeout 120 apt-get update -q -o Dir::Etc::sourcelist="$BACKPORTS_LIST" -o Dir::Etc::sourceparts=- \
        -o APT::Get::List-Cleanup=0 >/dev/null 2>&1 || true
    fi
    if apt-cache policy bind9 2>/dev/null | grep -q 'bpo12'; then
      bind_release=(-t bookworm-backports)
      log "bind9 from bookworm-backports (9.20)"
    else
      [[ $added -eq 1 ]] && rm -f "$BACKPORTS_LIST"
      log "bookworm-backports unreachable: Debian's bind9"
    fi
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${bind_release[@]}" "${missing[@]}" >/dev/null
}

# ---- helpers -----------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
# user and system ticks (apart) of a process and all its descendants (NSD answers from processes it
# forks)
tree_cpu_ticks() {
  local p
  for p in $(tree_pids "$1"); do sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null; done | awk '{u += $12; s += $13} END {print u, s}'
}
# live Java heap (MiB) after a full GC: what the zone really occupies, without the collector's slack
live_heap_mib() {
  jcmd "$1" GC.run >/dev/null 2>&1 || { echo -; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/(generation|heap) .*used/ && !/Metaspace|class space/ {
      for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); sum += v } }
    END { if (sum) printf "%.1f", sum / 1024; else print "-" }'
}
# wait_ready PID LOGFILE PATTERN: bounded poll of a log line; prints seconds since $2's start
wait_ready() {
  local pid=$1 logfile=$2 pattern=$3 started=$4 deadline=$(( $(date +%s) + START_TIMEOUT ))
  while ! grep -q "$pattern" "$logfile" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$logfile" >&2; die "pid $pid exited before '$pattern' ($logfile)"; }
    (( $(date +%s) < deadline )) || die "no '$pattern' in $logfile after ${START_TIMEOUT}s"
    sleep 0.05
  done
  awk -v a="$started" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'
}

port_free() { ! (ss -Hlnu "sport = :$1"; ss -Hlnt "sport = :$1") 2>/dev/null | grep -q .; }

# ---- set-up ------------------------------------------------------------------------------------
install_tools
named_cmd() { env ${NAMED_LIBS:+LD_LIBRARY_PATH="$NAMED_LIBS"} "$NAMED_BIN" "$@"; }
NAMED_VERSION=$(named_cmd -v)
DNSPERF_VERSION=$(dnsperf -h 2>&1 | awk '/^Version/{print $2}')
JAVA_VERSION=$(java -version 2>&1 | head -1)
log "BIND: $NAMED_VERSION; dnsperf $DNSPERF_VERSION; $JAVA_VERSION"
(( $(nproc) >= 2 )) || log "WARNING: fewer than 2 CPUs: server and dnsperf share a core"

if [[ ! -f $JAR ]]; then
  log "no $JAR: building it"
  (cd "$ROOT_DIR" && mvn -B -q install -DskipTests)
fi

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/results/$STAMP-$ZONE_SIZE
mkdir -p "$OUT/raw" "$OUT/run"
ln -sfn "$STAMP-$ZONE_SIZE" "$BENCH_DIR/results/latest"
RUN=$OUT/run
log "results in $OUT"

# Generated workloads are cached per size in bench/results/workload-<size>/.
WL=$BENCH_DIR/results/workload-$ZONE_SIZE
if [[ ! -s $WL/bench.test.zone || ! -s $WL/queries.txt || $WL/bench.test.zone -ot $BENCH_DIR/lib/gen_workload.py ]]; then
  mkdir -p "$WL"
  log "generating a $RECORDS-record zone and queries"
  python3 "$BENCH_DIR/lib/gen_workload.py" --records "$RECORDS" --zone "$WL/bench.test.zone" \
    --queries "$WL/queries.txt" >"$WL/workload.txt"
fi
cat "$WL/workload.txt" >&2
cp "$WL/workload.txt" "$OUT/"
ZONE_FILE=$WL/bench.test.zone
QUERIES=$WL/queries.txt

NAMED_PORT=$PORT_BASE
declare -A VX_PORT=([direct]=$((PORT_BASE + 1)) [eventbus]=$((PORT_BASE + 2)))
for p in "$NAMED_PORT" "${VX_PORT[@]}"; do port_free "$p" || die "port $p on 127.0.0.1 is in use (set PORT_BASE)"; done

# named: authoritative only, one worker thread, minimal-responses left at its default.
cat >"$RUN/named.conf" <<EOF
options {
  directory "$RUN";
  pid-file "$RUN/named.pid";
  listen-on port $NAMED_PORT { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { any; };
  notify no;
  dnssec-validation no;
  querylog no;
  session-keyfile none;
  tcp-clients 1000;
};
controls { };
zone "bench.test" { type primary; file "$ZONE_FILE"; };
EOF

for d in "${DELIVERY_LIST[@]}"; do
  cat >"$RUN/vxdns-$d.json" <<EOF
{
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": ${VX_PORT[$d]}, "transport": ["udp", "tcp"] } ],
    "event-loops": 1,
    "udp-instances": 1,
    "tcp-instances": 1,
    "tcp-clients": 1000,
    "pipeline": { "delivery": "$d" }
  },
  "zone": { "bench.test": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
EOF
done

# ---- start the servers one after the other (each load is timed alone) -------------------------
declare -A PID PORT
printf 'server\tready_s\tzone_load_ms\trss_mib\tlive_heap_mib\n' >"$OUT/load.tsv"

log "starting named on 127.0.0.1:$NAMED_PORT (core $SERVER_CPU, -n 1)"
t0=$(now)
taskset -c "$SERVER_CPU" env ${NAMED_LIBS:+LD_LIBRARY_PATH="$NAMED_LIBS"} "$NAMED_BIN" -g -4 -n 1 -c "$RUN/named.conf" \
  >"$RUN/named.log" 2>&1 &
PID[named]=$!; STARTED_PIDS+=("${PID[named]}"); PORT[named]=$NAMED_PORT
ready=$(wait_ready "${PID[named]}" "$RUN/named.log" 'running$' "$t0")
grep -q 'bench.test/IN: loaded serial' "$RUN/named.log" || die "named did not load the zone (see $RUN/named.log)"
printf 'named\t%s\t-\t%.1f\t-\n' "$ready" "$(awk "BEGIN{print $(rss_kib "${PID[named]}")/1024}")" >>"$OUT/load.tsv"
log "named ready in ${ready}s"

# NSD 4: defaults but for where it keeps its files; one server process (-n 1 like named's -n 1).
NSD_PORT=$((PORT_BASE + 3))
port_free "$NSD_PORT" || die "port $NSD_PORT on 127.0.0.1 is in use (set PORT_BASE)"
cat >"$RUN/nsd.conf" <<EOF
server:
  ip-address: 127.0.0.1@$NSD_PORT
  server-count: 1
  username: ""
  chroot: ""
  database: ""
  zonelistfile: "$RUN/nsd.zonelist"
  xfrdfile: "$RUN/nsd.xfrd.state"
  pidfile: "$RUN/nsd.pid"
  # Debian builds NSD with response rate limiting on (200/s per /24): off, as for the others.
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: bench.test
  zonefile: "$ZONE_FILE"
EOF
log "starting nsd on 127.0.0.1:$NSD_PORT (core $SERVER_CPU, server-count 1)"
t0=$(now)
taskset -c "$SERVER_CPU" nsd -d -c "$RUN/nsd.conf" >"$RUN/nsd.log" 2>&1 &
PID[nsd]=$!; STARTED_PIDS+=("${PID[nsd]}"); PORT[nsd]=$NSD_PORT
ready=$(wait_ready "${PID[nsd]}" "$RUN/nsd.log" 'nsd started' "$t0")
printf 'nsd\t%s\t-\t%.1f\t-\n' "$ready" "$(awk "BEGIN{print $(rss_kib "${PID[nsd]}")/1024}")" >>"$OUT/load.tsv"
log "nsd ready in ${ready}s"

SERVERS=(named nsd)
for d in "${DELIVERY_LIST[@]}"; do
  name=vxdns-$d
  log "starting $name on 127.0.0.1:${VX_PORT[$d]} (core $SERVER_CPU, 1 event loop)"
  t0=$(now)
  # Without VXDNS_JAVA_OPTS, the flags bin/vxdns would choose for this config (JvmSizing).
  java_opts=${VXDNS_JAVA_OPTS:-$(java @"$ROOT_DIR/bin/sizing-jvm.args" -cp "$JAR" dev.vxdns.verticles.node.JvmSizing --config "$RUN/vxdns-$d.json" 2>/dev/null | head -n 1)}
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" java $java_opts -jar "$JAR" --config "$RUN/vxdns-$d.json" >"$RUN/$name.log" 2>&1 &
  PID[$name]=$!; STARTED_PIDS+=("${PID[$name]}"); PORT[$name]=${VX_PORT[$d]}
  ready=$(wait_ready "${PID[$name]}" "$RUN/$name.log" 'vxdns started' "$t0")
  load_ms=$(sed -n 's/.*records from .* in \([0-9,]*\) ms.*/\1/p' "$RUN/$name.log" | head -1 | tr -d ,)
  rss_ready=$(awk "BEGIN{print $(rss_kib "${PID[$name]}")/1024}")
  printf '%s\t%s\t%s\t%.1f\t%s\n' "$name" "$ready" "${load_ms:--}" "$rss_ready" "$(live_heap_mib "${PID[$name]}")" >>"$OUT/load.tsv"
  log "$name ready in ${ready}s (zone parse+index ${load_ms:-?} ms)"
  SERVERS+=("$name")
done

# ---- same answers? a few representative queries, compared after normalising ------------------
check_answers() {
  local host cname
  host=$(awk '$2=="A" && $1 ~ /^h/ {print $1; exit}' "$QUERIES")
  cname=$(awk '$1 ~ /^c/ {print $1; exit}' "$QUERIES")
  local -a probes=("$host A" "$host AAAA" "$cname A" "nx-check.bench.test A" "x.w.bench.test A"
    "bench.test SOA" "bench.test NS" "bench.test MX" "h1.bench.test TXT")
  local probe server mismatches=0
  for probe in "${probes[@]}"; do
    local reference=""
    for server in "${SERVERS[@]}"; do
      # shellcheck disable=SC2086
      local got
      got=$(dig @127.0.0.1 -p "${PORT[$server]}" +tries=1 +time=2 +noall +comments +answer +authority $probe \
        | awk '/status:/{sub(/,.*/, "", $6); print "rcode", $6} /^[^;]/ && NF' | sort)
      if [[ -z $reference ]]; then
        reference=$got
      elif [[ $got != "$reference" ]]; then
        mismatches=$((mismatches + 1))
        log "answer differs for '$probe': named vs $server"
        diff <(echo "$reference") <(echo "$got") >&2 || true
      fi
    done
  done
  echo "answer check: ${#probes[@]} queries, $mismatches difference(s)" | tee "$OUT/answers.txt" >&2
}
check_answers

# ---- load runs ---------------------------------------------------------------------------------
printf 'transport\tserver\tround\tutime_ticks\tstime_ticks\twall_s\traw\n' >"$OUT/runs.tsv"

# dnsperf_run SERVER TRANSPORT SECONDS RAWFILE: one bounded dnsperf run on the client core. Runs in
# this shell (never in $(...)), so the client's pid is in STARTED_PIDS; sets RUN_UTIME/RUN_STIME
# (server clock ticks over the run) and RUN_WALL (seconds).
dnsperf_run() {
  local server=$1 transport=$2 seconds=$3 raw=$4 args
  [[ $transport == udp ]] && args=$DNSPERF_UDP_ARGS || args="-m tcp $DNSPERF_TCP_ARGS"
  local pid=${PID[$server]}
  kill -0 "$pid" 2>/dev/null || die "$server (pid $pid) is not running (see $RUN/$server.log)"
  local u0 s0 u1 s1 t_start t_end
  read -r u0 s0 < <(tree_cpu_ticks "$pid"); t_start=$(now)
  # -l bounds the time, -n the passes over the query file; timeout is the backstop.
  # shellcheck disable=SC2086
  timeout -k 5 $((seconds + 20)) taskset -c "$CLIENT_CPU" \
    dnsperf -s 127.0.0.1 -p "${PORT[$server]}" -d "$QUERIES" -l "$seconds" -n 1000 $args >"$raw" 2>&1 &
  local client=$!
  STARTED_PIDS+=("$client")
  wait "$client" || log "dnsperf against $server exited with status $? (see $raw)"
  t_end=$(now)
  kill -0 "$pid" 2>/dev/null || die "$server (pid $pid) died during the run (see $RUN/$server.log)"
  read -r u1 s1 < <(tree_cpu_ticks "$pid")
  RUN_UTIME=$((u1 - u0)); RUN_STIME=$((s1 - s0))
  RUN_WALL=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN{printf "%.3f", b-a}')
}

RUN_SEQ=0
if [[ $DO_LOAD -eq 1 ]]; then
  for transport in "${TRANSPORT_LIST[@]}"; do
    if (( WARMUP > 0 )); then
      for server in "${SERVERS[@]}"; do
        log "warm-up $transport $server ${WARMUP}s"
        dnsperf_run "$server" "$transport" "$WARMUP" "$OUT/raw/warmup-$transport-$server.txt"
      done
    fi
    for round in $(seq 1 "$ROUNDS"); do
      # vxdns, named, vxdns, ...: each vxdns delivery is followed by a named run
      order=()
      for server in "${SERVERS[@]}"; do [[ $server == named ]] || order+=("$server" named); done
      for server in "${order[@]}"; do
        RUN_SEQ=$((RUN_SEQ + 1))
        raw=$OUT/raw/$(printf '%03d' "$RUN_SEQ")-$transport-$server-r$round.txt
        dnsperf_run "$server" "$transport" "$DURATION" "$raw"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$transport" "$server" "$round" "$RUN_UTIME" "$RUN_STIME" "$RUN_WALL" \
          "raw/$(basename "$raw")" >>"$OUT/runs.tsv"
        log "$transport r$round $server: $(awk '/Queries per second/{printf "%.0f qps", $4}' "$raw"), server busy" \
          "$(awk -v t="$((RUN_UTIME + RUN_STIME))" -v w="$RUN_WALL" -v hz="$CLK_TCK" 'BEGIN{printf "%.0f%%", 100 * t / hz / w}') of a core"
      done
    done
  done
fi

# ---- profile -----------------------------------------------------------------------------------
if (( JFR_SECONDS > 0 )) && [[ $DO_LOAD -eq 1 ]]; then
  target=vxdns-${DELIVERY_LIST[0]}
  jfr_file=$OUT/$target-udp.jfr
  log "JFR: profiling $target under UDP load for ${JFR_SECONDS}s"
  jcmd "${PID[$target]}" JFR.start name=bench settings=profile duration="${JFR_SECONDS}s" filename="$jfr_file" >"$OUT/raw/jfr-start.txt"
  dnsperf_run "$target" udp "$((JFR_SECONDS + 1))" "$OUT/raw/jfr-load.txt"
  for _ in $(seq 1 100); do [[ -s $jfr_file ]] && break; sleep 0.2; done
  sleep 1
  if [[ -s $jfr_file ]]; then
    jfr print --json \
      --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics \
      "$jfr_file" >"$OUT/raw/jfr-samples.json"
    # Queries answered while the recording ran: the load ran one second longer.
    answered=$(awk -v s="$JFR_SECONDS" '/Queries completed/{printf "%d", $3 * s / (s + 1)}' "$OUT/raw/jfr-load.txt")
    python3 "$BENCH_DIR/lib/jfr_top.py" "$OUT/raw/jfr-samples.json" 25 "${answered:-0}" | tee "$OUT/profile.txt"
  else
    log "JFR: no recording written"
  fi
fi

# ---- memory after the runs, summary -------------------------------------------------------------
printf 'server\trss_mib\thwm_mib\n' >"$OUT/memory.tsv"
for server in "${SERVERS[@]}"; do
  printf '%s\t%.1f\t%.1f\n' "$server" "$(awk "BEGIN{print $(rss_kib "${PID[$server]}")/1024}")" \
    "$(awk "BEGIN{print $(hwm_kib "${PID[$server]}")/1024}")" >>"$OUT/memory.tsv"
done

cat >"$OUT/environment.txt" <<EOF
date: $(date -Is)
bind: $NAMED_VERSION
dnsperf: $DNSPERF_VERSION
java: $JAVA_VERSION
vxdns JVM: ${java_opts:-?}
nsd: $(nsd -v 2>&1 | head -1)
kernel: $(uname -r)
cpus: $(nproc) ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo))
servers on core $SERVER_CPU, dnsperf on core $CLIENT_CPU
zone: $RECORDS records ($ZONE_SIZE); rounds $ROUNDS x ${DURATION}s, warm-up ${WARMUP}s
dnsperf udp: $DNSPERF_UDP_ARGS
dnsperf tcp: -m tcp $DNSPERF_TCP_ARGS
EOF

python3 "$BENCH_DIR/lib/summarize.py" "$OUT" "$CLK_TCK" | tee "$OUT/summary.txt"
log "done: $OUT/summary.txt"
