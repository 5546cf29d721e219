#!/usr/bin/env bash
# DNS over TLS and DNS over HTTPS: vxdns against BIND named 9.20 serving the same zone
# (config/zones/example.test.zone) with the same self-signed certificate, in one run. Each server
# pinned to core 0 (named -n 1; vxdns event-loops 1, one instance per listener), the client on
# core 1 over persistent connections: dnsperf 2.x -m dot, dnsperf -m doh POST, h2load (nghttp2)
# for DoH GET; interleaved rounds; reports QPS, server CPU time per query and vxdns/named
# (bench/lib/summarize.py's table).
#
#   bench/tls.sh [--rounds N] [--duration S] [--warmup S] [--transports dot,doh-post,doh-get-h2load]
#
# doh-get-dnsperf (dnsperf -m doh GET) is there too but not by default: dnsperf 2.10 takes one DoH
# response per TLS read and loses the others when a server puts several in one TLS record, as
# vxdns does under load (bench/README.md). named: /opt/vxdns/bind920 (.ci/install-bind.sh 9.20;
# VXDNS_BIND920 moves it), else the system's named when it is 9.20. Everything listens on
# 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-12}             # seconds per measured dnsperf run
WARMUP=${WARMUP:-15}                 # unrecorded seconds per server and transport first (vxdns' JIT needs ~10 s)
TRANSPORTS=${TRANSPORTS:-dot,doh-post,doh-get-h2load}
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT_BASE=${PORT_BASE:-15420}        # named DoT: base, named DoH: base+1, vxdns DoT: base+2, vxdns DoH: base+3
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
VXDNS_JAVA_OPTS=${VXDNS_JAVA_OPTS:-}
# -c connections (each a TLS session, kept for the whole run), -q queries in flight over all of them.
DNSPERF_ARGS=${DNSPERF_ARGS:--e -c 16 -T 1 -q 256 -t 2}
# The same for h2load: 16 connections x 16 streams; TLS 1.3 suite as dnsperf's OpenSSL negotiates.
H2LOAD_ARGS=${H2LOAD_ARGS:--c 16 -m 16 -t 1 --tls13-ciphers=TLS_AES_256_GCM_SHA384}
BIND920=${VXDNS_BIND920:-/opt/vxdns/bind920}
ZONE_NAME=example.test
ZONE_SRC=$ROOT_DIR/config/zones/example.test.zone

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --transports) TRANSPORTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "tls.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$ROUNDS" "$DURATION" "$WARMUP"; do [[ $n =~ ^[0-9]+$ ]] || { echo "tls.sh: '$n' is not a number" >&2; exit 2; }; done
(( ROUNDS >= 1 && ROUNDS <= 20 && DURATION >= 1 && DURATION <= 120 && WARMUP <= 60 )) \
  || { echo "tls.sh: --rounds 1..20, --duration 1..120, --warmup 0..60" >&2; exit 2; }
IFS=, read -r -a TRANSPORT_LIST <<<"$TRANSPORTS"
for t in "${TRANSPORT_LIST[@]}"; do
  [[ $t == dot || $t == doh-post || $t == doh-get-h2load || $t == doh-get-dnsperf ]] \
    || { echo "tls.sh: transport $t? (dot, doh-post, doh-get-h2load, doh-get-dnsperf)" >&2; exit 2; }
done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

# ---- tools -------------------------------------------------------------------------------------
for tool in dnsperf taskset openssl ss; do
  if ! command -v "$tool" >/dev/null; then
    [ "$(id -u)" = 0 ] || die "$tool is missing (apt-get install dnsperf util-linux openssl iproute2)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf util-linux openssl iproute2 >/dev/null
  fi
done
[[ $(dnsperf -h 2>&1 || true) == *"dot or doh"* ]] || die "this dnsperf has no DoT/DoH (dnsperf 2.x with -m dot/doh needed)"
if [[ " ${TRANSPORT_LIST[*]} " == *" doh-get-h2load "* ]] && ! command -v h2load >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    log "installing nghttp2-client (h2load)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nghttp2-client >/dev/null; } || true
  fi
  if ! command -v h2load >/dev/null; then
    log "no h2load (Debian nghttp2-client): skipping doh-get-h2load"
    kept=(); for t in "${TRANSPORT_LIST[@]}"; do [[ $t == doh-get-h2load ]] || kept+=("$t"); done
    TRANSPORT_LIST=("${kept[@]}")
  fi
fi
(( ${#TRANSPORT_LIST[@]} > 0 )) || die "nothing to run"
[ -f "$JAR" ] || die "build the jar first: mvn -B -q -DskipTests package"

# shellcheck source=lib/bind.sh
source "$BENCH_DIR/lib/bind.sh"
NAMED_VERSION=$(named_cmd -v)
DNSPERF_VERSION=$(dnsperf -h 2>&1 | awk '/^Version/{print $2}')
JAVA_VERSION=$(java -version 2>&1 | head -1)
OPENSSL_VERSION=$(openssl version)
H2LOAD_VERSION=$(h2load --version 2>/dev/null | head -1 || true)
log "BIND: $NAMED_VERSION ($NAMED_BIN); dnsperf $DNSPERF_VERSION; ${H2LOAD_VERSION:-no h2load}; $JAVA_VERSION; $OPENSSL_VERSION"
(( $(nproc) >= 2 )) || log "WARNING: fewer than 2 CPUs: server and dnsperf share a core"

NAMED_DOT=$PORT_BASE; NAMED_DOH=$((PORT_BASE + 1)); VX_DOT=$((PORT_BASE + 2)); VX_DOH=$((PORT_BASE + 3))
for p in "$NAMED_DOT" "$NAMED_DOH" "$VX_DOT" "$VX_DOH"; do
  ! (ss -Hlnt "sport = :$p" 2>/dev/null | grep -q .) || die "port $p on 127.0.0.1 is in use (set PORT_BASE)"
done

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/results/tls-$STAMP
RUN=$OUT/run
mkdir -p "$OUT/raw" "$RUN"
log "results in $OUT"
# A private copy: other builds may replace the jar while the JVM still loads classes from it.
cp "$JAR" "$RUN/vxdns.jar"
cp "$ZONE_SRC" "$RUN/$ZONE_NAME.zone"
ZONE_FILE=$RUN/$ZONE_NAME.zone

# ---- certificate: self-signed, localhost and 127.0.0.1, P-256 (both servers use the same files) --
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$RUN/key.pem" \
  -out "$RUN/cert.pem" -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  >"$RUN/openssl.log" 2>&1 || { cat "$RUN/openssl.log" >&2; die "openssl could not make a certificate"; }

# ---- queries: every kind of answer the example zone gives, shuffled, looped by dnsperf ---------
cat >"$RUN/kinds.txt" <<EOF
www.$ZONE_NAME A
www.$ZONE_NAME AAAA
mail.$ZONE_NAME A
host3.$ZONE_NAME A
ns2.$ZONE_NAME AAAA
$ZONE_NAME SOA
$ZONE_NAME NS
$ZONE_NAME MX
alias.$ZONE_NAME A
chain.$ZONE_NAME A
external.$ZONE_NAME A
anything.wild.$ZONE_NAME A
anything.wild.$ZONE_NAME TXT
exists.wild.$ZONE_NAME A
b.$ZONE_NAME A
www.$ZONE_NAME TXT
nx.$ZONE_NAME A
www.old.$ZONE_NAME A
www.sub.$ZONE_NAME A
EOF
python3 - "$RUN/kinds.txt" "$RUN/queries.txt" <<'PY'
import random, sys
kinds = [l.split() for l in open(sys.argv[1]) if l.strip()]
rng = random.Random(853)
with open(sys.argv[2], "w") as out:
    for _ in range(20000):
        name, qtype = rng.choice(kinds)
        # distinct names under the wildcard and below NXDOMAIN, so no answer is one cached buffer
        if name.startswith("anything.wild."):
            name = "w%d.%s" % (rng.randrange(100000), name[len("anything."):])
        elif name.startswith("nx."):
            name = "nx%d.%s" % (rng.randrange(100000), name[len("nx."):])
        out.write("%s %s\n" % (name, qtype))
PY
QUERIES=$RUN/queries.txt
# The same queries as DoH GET paths for h2load: wire format with EDNS (as dnsperf -e), id 0 (RFC 8484).
python3 - "$QUERIES" "$RUN/doh-paths.txt" <<'PY'
import base64, struct, sys
types = {"A": 1, "NS": 2, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28}
with open(sys.argv[2], "w") as out:
    for line in list(open(sys.argv[1]))[:5000]:
        name, qtype = line.split()
        wire = struct.pack(">HHHHHH", 0, 0x0100, 1, 0, 0, 1)
        for label in name.rstrip(".").split("."):
            wire += bytes([len(label)]) + label.encode()
        wire += b"\0" + struct.pack(">HH", types[qtype], 1)
        wire += b"\0" + struct.pack(">HHIH", 41, 1232, 0, 0)   # OPT: 1232 bytes, no options
        out.write("/dns-query?dns=%s\n" % base64.urlsafe_b64encode(wire).decode().rstrip("="))
PY
echo "workload: $ZONE_NAME (config/zones/example.test.zone), 20000 queries drawn from $(wc -l <"$RUN/kinds.txt") kinds" \
  "(A, AAAA, SOA, NS, MX, CNAME chains, wildcard, DNAME, referral, NODATA, NXDOMAIN), looped" >"$OUT/workload.txt"

# ---- servers -----------------------------------------------------------------------------------
cat >"$RUN/named.conf" <<EOF
options {
  directory "$RUN";
  pid-file "$RUN/named.pid";
  listen-on port $NAMED_DOT tls local-tls { 127.0.0.1; };
  listen-on port $NAMED_DOH tls local-tls http local { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { any; };
  notify no;
  dnssec-validation no;
  querylog no;
  session-keyfile none;
  tcp-clients 1000;
};
tls local-tls { cert-file "$RUN/cert.pem"; key-file "$RUN/key.pem"; };
http local { endpoints { "/dns-query"; }; };
controls { };
zone "$ZONE_NAME" { type primary; file "$ZONE_FILE"; };
EOF

cat >"$RUN/vxdns.json" <<EOF
{
  "tls": { "local-tls": { "cert-file": "$RUN/cert.pem", "key-file": "$RUN/key.pem" } },
  "options": {
    "listen-on": [
      { "address": "127.0.0.1", "port": $VX_DOT, "transport": ["dot"], "tls": "local-tls" },
      { "address": "127.0.0.1", "port": $VX_DOH, "transport": ["doh"], "tls": "local-tls" }
    ],
    "event-loops": 1,
    "tcp-instances": 1,
    "tcp-clients": 1000
  },
  "zone": { "$ZONE_NAME": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
EOF

declare -A PID
log "starting named on 127.0.0.1:$NAMED_DOT (DoT) and :$NAMED_DOH (DoH) (core $SERVER_CPU, -n 1)"
taskset -c "$SERVER_CPU" env ${NAMED_LIBS:+LD_LIBRARY_PATH="$NAMED_LIBS"} "$NAMED_BIN" -g -4 -n 1 -c "$RUN/named.conf" \
  >"$RUN/named.log" 2>&1 &
PID[named]=$!; PIDS+=("${PID[named]}")
wait_for "${PID[named]}" "$RUN/named.log" 'running$' 120
grep -q "$ZONE_NAME/IN: loaded serial" "$RUN/named.log" || die "named did not load the zone (see $RUN/named.log)"

log "starting vxdns on 127.0.0.1:$VX_DOT (DoT) and :$VX_DOH (DoH) (core $SERVER_CPU, 1 event loop)"
# shellcheck disable=SC2086
taskset -c "$SERVER_CPU" java $VXDNS_JAVA_OPTS -jar "$RUN/vxdns.jar" --config "$RUN/vxdns.json" >"$RUN/vxdns.log" 2>&1 &
PID[vxdns]=$!; PIDS+=("${PID[vxdns]}")
wait_for "${PID[vxdns]}" "$RUN/vxdns.log" 'vxdns started' 120

declare -A DOT_PORT=([named]=$NAMED_DOT [vxdns]=$VX_DOT) DOH_PORT=([named]=$NAMED_DOH [vxdns]=$VX_DOH)
SERVERS=(named vxdns)

# What TLS the client gets from each (dnsperf's OpenSSL negotiates the same way).
tls_info() { # port alpn
  openssl s_client -connect "127.0.0.1:$1" -alpn "$2" -brief </dev/null 2>&1 \
    | awk -F': ' '/^Protocol version|^Ciphersuite|^ALPN|^Peer Temp Key/ {printf "%s%s", sep, $2; sep=", "} END {print ""}'
}
TLS_INFO=""
for s in "${SERVERS[@]}"; do
  TLS_INFO+="tls $s: DoT $(tls_info "${DOT_PORT[$s]}" dot); DoH $(tls_info "${DOH_PORT[$s]}" h2)"$'\n'
done
printf '%s' "$TLS_INFO" >&2
for s in "${SERVERS[@]}"; do sed "s|^|https://127.0.0.1:${DOH_PORT[$s]}|" "$RUN/doh-paths.txt" >"$RUN/doh-uris-$s.txt"; done

# ---- same answers? every query kind over DoT and DoH with dig 9.20, compared with named's ------
check_answers() {
  local kind server mode got reference checked=0 mismatches=0 failures=0
  local -a modes=(+tls +https)
  if [[ -z $DIG_BIN ]]; then
    echo "answer check: skipped (no dig 9.20 for +tls/+https)" | tee "$OUT/answers.txt" >&2
    return
  fi
  while read -r kind; do
    for mode in "${modes[@]}"; do
      reference=""
      for server in "${SERVERS[@]}"; do
        local port=${DOT_PORT[$server]}
        [[ $mode == +tls ]] || port=${DOH_PORT[$server]}
        # shellcheck disable=SC2086
        got=$(dig_cmd @127.0.0.1 -p "$port" "$mode" +tries=1 +time=3 +noall +comments +answer +authority $kind 2>&1 \
          | awk '/status:/{sub(/,.*/, "", $6); print "rcode", $6} /^[^;]/ && NF' | sort)
        checked=$((checked + 1))
        [[ $got == *rcode* ]] || { failures=$((failures + 1)); log "no answer from $server $mode for '$kind'"; continue; }
        if [[ $server == named ]]; then
          reference=$got
        elif [[ $got != "$reference" ]]; then
          mismatches=$((mismatches + 1))
          log "answer differs for '$kind' ($mode): named vs $server"
          diff <(echo "$reference") <(echo "$got") >&2 || true
        fi
      done
    done
  done <"$RUN/kinds.txt"
  echo "answer check: $(wc -l <"$RUN/kinds.txt") queries x DoT and DoH (dig 9.20 +tls, +https): $mismatches difference(s)," \
    "$failures unanswered" | tee "$OUT/answers.txt" >&2
  (( failures == 0 )) || die "a server did not answer over DoT/DoH (see above and $RUN/*.log)"
}
check_answers

# ---- load runs ---------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
cpu_split() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12, $13}'; }   # utime stime (ticks)

# h2load_as_dnsperf RAW: appends dnsperf-style totals computed from h2load's report to RAW, so that
# lib/summarize.py reads both clients alike (lost = failed + errored + timed out).
h2load_as_dnsperf() {
  awk '
    /^finished in/ { for (i = 1; i <= NF; i++) if ($(i + 1) ~ /^req\/s/) qps = $i }
    /^requests:/ { for (i = 2; i <= NF; i++) { v = $i; sub(/,$/, "", $(i + 1));
        if ($(i + 1) == "started") started = v; if ($(i + 1) == "succeeded") ok = v;
        if ($(i + 1) == "failed" || $(i + 1) == "errored" || $(i + 1) == "timeout") bad += v } }
    /^time for request:/ { m = $6; f = 1e-6; if (m ~ /ms$/) f = 1e-3; else if (m !~ /us$/) f = 1;
        sub(/[a-z]+$/, "", m); lat = m * f }
    END { printf "\n(dnsperf-style totals from h2load, for summarize.py)\n";
          printf "  Queries sent:         %d\n  Queries completed:    %d\n  Queries lost:         %d\n", started, ok, bad;
          printf "  Queries per second:   %s\n  Average Latency (s):  %.6f\n", qps, lat }' "$1" >>"$1.tmp"
  cat "$1.tmp" >>"$1"; rm -f "$1.tmp"
}

# client_run SERVER TRANSPORT SECONDS RAW: one bounded client run (dnsperf, or h2load for
# doh-get-h2load) on the client core; sets RUN_UTIME, RUN_STIME (server clock ticks over the run)
# and RUN_WALL (seconds).
client_run() {
  local server=$1 transport=$2 seconds=$3 raw=$4 pid=${PID[$1]} u0 s0 u1 s1 t0 t1 client
  local uri="https://localhost:${DOH_PORT[$server]}/dns-query"
  local -a cmd
  case $transport in
    dot) cmd=(dnsperf -s 127.0.0.1 -m dot -p "${DOT_PORT[$server]}") ;;
    doh-post) cmd=(dnsperf -s 127.0.0.1 -m doh -p "${DOH_PORT[$server]}" -O "doh-uri=$uri" -O doh-method=POST) ;;
    doh-get-dnsperf) cmd=(dnsperf -s 127.0.0.1 -m doh -p "${DOH_PORT[$server]}" -O "doh-uri=$uri" -O doh-method=GET) ;;
    doh-get-h2load) cmd=(h2load -D "$seconds" -i "$RUN/doh-uris-$server.txt" -H "accept: application/dns-message") ;;
  esac
  # -l / -D bound the time (the clients loop over their input); timeout is the backstop.
  # shellcheck disable=SC2206
  if [[ $transport == doh-get-h2load ]]; then cmd+=($H2LOAD_ARGS); else cmd+=(-d "$QUERIES" -l "$seconds" -O suppress=timeout $DNSPERF_ARGS); fi
  local attempt backstop=$((seconds + 20))
  [[ $transport != doh-get-h2load ]] || backstop=$((seconds + 5))
  for attempt in 1 2 3; do
    kill -0 "$pid" 2>/dev/null || die "$server (pid $pid) is not running (see $RUN/$server.log)"
    read -r u0 s0 < <(cpu_split "$pid"); t0=$(now)
    timeout -k 5 "$backstop" taskset -c "$CLIENT_CPU" "${cmd[@]}" >"$raw" 2>&1 &
    client=$!; PIDS+=("$client")
    wait "$client" || log "${cmd[0]} against $server ($transport) exited with status $? (see $raw)"
    unset 'PIDS[-1]'   # reaped: never signal its (reusable) pid at exit
    t1=$(now)
    # h2load 1.52 -D now and then never exits after "Stopped all clients" (unread data on some
    # connections) and prints nothing: run it again, at most twice.
    [[ $transport == doh-get-h2load ]] && ! grep -q '^finished in' "$raw" || break
    (( attempt < 3 )) || break
    log "h2load did not finish against $server (attempt $attempt): again"
    mv "$raw" "$raw.hung-$attempt"
  done
  kill -0 "$pid" 2>/dev/null || die "$server (pid $pid) died during the run (see $RUN/$server.log)"
  read -r u1 s1 < <(cpu_split "$pid")
  RUN_UTIME=$((u1 - u0)); RUN_STIME=$((s1 - s0))
  RUN_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
  [[ $transport != doh-get-h2load ]] || h2load_as_dnsperf "$raw"
}

printf 'transport\tserver\tround\tutime_ticks\tstime_ticks\twall_s\traw\n' >"$OUT/runs.tsv"
seq_no=0
for transport in "${TRANSPORT_LIST[@]}"; do
  if (( WARMUP > 0 )); then
    for server in vxdns named; do
      log "warm-up $transport $server ${WARMUP}s"
      client_run "$server" "$transport" "$WARMUP" "$OUT/raw/warmup-$transport-$server.txt"
    done
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for server in vxdns named; do
      seq_no=$((seq_no + 1))
      raw=$OUT/raw/$(printf '%03d' "$seq_no")-$transport-$server-r$round.txt
      client_run "$server" "$transport" "$DURATION" "$raw"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$transport" "$server" "$round" "$RUN_UTIME" "$RUN_STIME" "$RUN_WALL" \
        "raw/$(basename "$raw")" >>"$OUT/runs.tsv"
      log "$transport r$round $server: $(awk '/Queries per second/{printf "%.0f qps", $4}' "$raw")," \
        "$(awk '/Queries lost/{print $3, "lost"}' "$raw"), server busy" \
        "$(awk -v t="$((RUN_UTIME + RUN_STIME))" -v w="$RUN_WALL" -v hz="$CLK_TCK" 'BEGIN{printf "%.0f%%", 100 * t / hz / w}') of a core"
    done
  done
done

cat >"$OUT/environment.txt" <<EOF
date: $(date -Is)
bind: $NAMED_VERSION ($NAMED_BIN)
dnsperf: $DNSPERF_VERSION
java: $JAVA_VERSION
openssl: $OPENSSL_VERSION
vxdns: $(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT_DIR" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ' + uncommitted changes'), jar $(date -r "$JAR" -Is)
VXDNS_JAVA_OPTS: ${VXDNS_JAVA_OPTS:-(none)}
kernel: $(uname -r)
cpus: $(nproc) ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo))
servers on core $SERVER_CPU, the clients (dnsperf, h2load) on core $CLIENT_CPU
rounds $ROUNDS x ${DURATION}s, warm-up ${WARMUP}s
dnsperf: $DNSPERF_ARGS -O suppress=timeout with -m dot | -m doh -O doh-method=POST | -m doh -O doh-method=GET
h2load: ${H2LOAD_VERSION:-none} $H2LOAD_ARGS -D S (DoH GET over the same queries, id 0, EDNS)
${TLS_INFO%$'\n'}
EOF

python3 "$BENCH_DIR/lib/summarize.py" "$OUT" "$CLK_TCK" | tee "$OUT/summary.txt"
log "done: $OUT/summary.txt"
