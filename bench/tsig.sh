#!/usr/bin/env bash
# What TSIG costs: the same vxdns answering unsigned queries and queries signed with hmac-sha256
# (dnsperf -y), in one run. dnsperf -> vxdns over UDP on 127.0.0.1; vxdns pinned to core 0 with one
# event loop, dnsperf on core 1. Interleaved rounds; reports QPS and vxdns CPU time per query for
# both, and the ratios (signed / unsigned).
#
#   bench/tsig.sh [--rounds N] [--duration S]
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT=${PORT:-15390}
DNSPERF_ARGS=${DNSPERF_ARGS:--e -c 8 -T 1 -q 128 -t 1}
KEY_NAME=bench-key
KEY_SECRET=dnhkbnMtYmVuY2gtdHNpZy1obWFjLXNoYTI1Ni1rZXk=   # fixed 32 octets: a benchmark key
TSIG_ARG=hmac-sha256:$KEY_NAME:$KEY_SECRET

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tsig.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $ROUNDS =~ ^[0-9]+$ && $DURATION =~ ^[0-9]+$ ]] && (( ROUNDS >= 1 && ROUNDS <= 20 && DURATION >= 1 && DURATION <= 120 )) \
  || { echo "tsig.sh: --rounds 1..20, --duration 1..120" >&2; exit 2; }

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

for tool in dnsperf dig taskset; do
  if ! command -v "$tool" >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "tsig.sh: $tool is missing" >&2; exit 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf bind9-dnsutils util-linux >/dev/null
  fi
done
[ -f "$JAR" ] || { echo "tsig.sh: build the jar first: mvn -B -q install -DskipTests" >&2; exit 1; }
! (ss -Hlnu "sport = :$PORT" 2>/dev/null | grep -q .) || { echo "tsig.sh: port $PORT is in use (set PORT)" >&2; exit 1; }

OUT=$BENCH_DIR/results/tsig-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/workload"
ZONE_NAME=bench.test
ZONE_FILE=$OUT/workload/bench.test.zone
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --origin "$ZONE_NAME" \
  --zone "$ZONE_FILE" --queries "$OUT/workload/queries.txt" >/dev/null

cat > "$OUT/vxdns.json" <<JSON
{
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $PORT, "transport": "udp" } ],
    "event-loops": 1, "udp-instances": 1
  },
  "key": { "$KEY_NAME.": { "algorithm": "hmac-sha256", "secret": "$KEY_SECRET" } },
  "zone": { "$ZONE_NAME": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
JSON
taskset -c 0 java -Xms512m -Xmx1g -jar "$JAR" --config "$OUT/vxdns.json" > "$OUT/vxdns.log" 2>&1 &
VXDNS=$!; PIDS+=("$VXDNS")
wait_for "$VXDNS" "$OUT/vxdns.log" "vxdns started"

# The signed path really is taken: dig signs the query and verifies the signed answer.
host=$(awk '$2 == "A" {print $1; exit}' "$OUT/workload/queries.txt")
dig @127.0.0.1 -p "$PORT" +tries=1 +time=2 -y "$TSIG_ARG" "$host" A > "$OUT/dig-signed.txt" 2>&1 || true
if ! grep -q 'status: NOERROR' "$OUT/dig-signed.txt" || grep -qi 'tsig.*fail\|expected a tsig\|couldn' "$OUT/dig-signed.txt" \
    || ! grep -q 'TSIG.*NOERROR' "$OUT/dig-signed.txt"; then
  cat "$OUT/dig-signed.txt" >&2; echo "tsig.sh: the signed query was not answered with a verified TSIG" >&2; exit 1
fi
log "dig -y: NOERROR, response TSIG verified"

run() { # name [dnsperf args...] -> "qps cpu_us_per_query notauth_responses"
  local name=$1 before after out; shift
  out=$OUT/$name-$round.dnsperf
  before=$(cpu_ticks "$VXDNS")
  # -l bounds the time, timeout is the backstop.
  # shellcheck disable=SC2086
  timeout -k 5 $((DURATION + 20)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$PORT" -d "$OUT/workload/queries.txt" \
    -l "$DURATION" $DNSPERF_ARGS "$@" > "$out" 2>&1 || true
  after=$(cpu_ticks "$VXDNS")
  local qps hz notauth
  qps=$(awk '/Queries per second/{print $4}' "$out")
  notauth=$(awk '/Response codes/{for (i = 3; i < NF; i++) if ($i == "NOTAUTH") print $(i + 1)}' "$out")
  hz=$(getconf CLK_TCK)
  awk -v q="${qps:-0}" -v t=$((after - before)) -v hz="$hz" -v d="$DURATION" -v n="${notauth:-0}" \
    'BEGIN { printf "%.0f %.2f %d\n", q, (q > 0 ? t / hz * 1e6 / (q * d) : 0), n }'
}

log "warm-up"
round=0; run unsigned >/dev/null; run signed -y "$TSIG_ARG" >/dev/null
: > "$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  read -r uq uc un < <(run unsigned)
  read -r sq sc sn < <(run signed -y "$TSIG_ARG")
  log "round $round: unsigned $uq qps, $uc us/query; signed $sq qps, $sc us/query (NOTAUTH: $un / $sn)"
  echo "$uq $uc $sq $sc" >> "$OUT/rounds.txt"
done
awk '{uq+=$1; uc+=$2; sq+=$3; sc+=$4; n++}
  END { printf "\nvxdns, UDP, TSIG hmac-sha256, %d rounds (means)\n", n;
        printf "  unsigned: %8.0f qps  %6.2f us vxdns CPU/query  (vxdns busy %.2f cores)\n", uq/n, uc/n, uq*uc/n/n/1e6;
        printf "  signed:   %8.0f qps  %6.2f us vxdns CPU/query  (vxdns busy %.2f cores)\n", sq/n, sc/n, sq*sc/n/n/1e6;
        printf "  ratio signed/unsigned: QPS %.3f, CPU per query %.3f\n", sq/uq, sc/uc }' "$OUT/rounds.txt" | tee "$OUT/summary.txt"
