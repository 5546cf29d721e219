#!/usr/bin/env bash
# Queries lost while verticles are redeployed under load: one vxdns node (core 0) serving a
# 10k-record zone on UDP and TCP, dnsperf (core 1) at a fixed rate well below saturation, and
# `bin/vxdns redeploy udp`, `tcp` and `zone` in turn during the run; the same run without
# redeploys is the control. dnsperf's "Queries lost" is the figure (goal: 0).
#
#   bench/redeploy.sh [--duration S] [--rate QPS]
#
# Everything listens on 127.0.0.1 only and is stopped on exit, even on failure.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
DURATION=${DURATION:-20}
RATE=${RATE:-5000}
JAR=${VXDNS_JAR:-$ROOT_DIR/verticles/node/target/vxdns.jar}
PORT=${PORT:-15480}
CONTROL=${CONTROL:-15481}

while [[ $# -gt 0 ]]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "redeploy.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

for tool in dnsperf taskset python3; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
[ -f "$JAR" ] || die "build the jar first: mvn -B -q -DskipTests package"

OUT=$BENCH_DIR/results/redeploy-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/workload"
ZONE_FILE=$OUT/workload/bench.test.zone
python3 "$BENCH_DIR/lib/gen_workload.py" --records 10000 --origin bench.test \
  --zone "$ZONE_FILE" --queries "$OUT/workload/queries.txt" >/dev/null
SECRET=$(head -c 32 /dev/urandom | base64)
cat > "$OUT/vxdns.json" <<JSON
{
  "key": { "rndc-key.": { "algorithm": "hmac-sha256", "secret": "$SECRET" } },
  "options": {
    "listen-on": [ { "address": "127.0.0.1", "port": $PORT, "transport": ["udp", "tcp"] } ],
    "event-loops": 1
  },
  "controls": [ { "address": "127.0.0.1", "port": $CONTROL, "allow": ["localhost"], "key": "rndc-key." } ],
  "zone": { "bench.test": { "type": "primary", "file": "$ZONE_FILE", "notify": "no" } }
}
JSON
taskset -c 0 java -Xms512m -Xmx1g -jar "$JAR" --config "$OUT/vxdns.json" > "$OUT/vxdns.log" 2>&1 &
VXDNS=$!; PIDS+=("$VXDNS")
wait_for "$VXDNS" "$OUT/vxdns.log" "vxdns started"

redeploys() { # at a quarter, half and three quarters of the run: udp, tcp, zone
  local step=$((DURATION / 4)) name
  for name in udp tcp zone; do
    sleep "$step"
    taskset -c 1 java -jar "$JAR" redeploy "$name" --config "$OUT/vxdns.json" \
      --server "127.0.0.1:$CONTROL" >> "$OUT/redeploy.log" 2>&1 \
      || log "redeploy $name failed (see $OUT/redeploy.log)"
  done
}

run() { # label mode(udp|tcp) with_redeploys(0|1) -> "sent completed lost"
  local file="$OUT/$1.dnsperf" helper=""
  if [ "$3" = 1 ]; then redeploys & helper=$!; fi
  timeout -k 5 $((DURATION + 30)) taskset -c 1 dnsperf -s 127.0.0.1 -p "$PORT" -m "$2" \
    -d "$OUT/workload/queries.txt" -l "$DURATION" -Q "$RATE" -c 4 -t 2 > "$file" 2>&1 || true
  [ -n "$helper" ] && wait "$helper"
  awk '/Queries sent:/{s=$3} /Queries completed:/{c=$3} /Queries lost:/{l=$3} END{print s, c, l}' "$file"
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  vxdns: $(git -C "$ROOT_DIR" rev-parse --short HEAD)"
  echo "dnsperf at $RATE QPS for $DURATION s per run; redeploys of udp, tcp, zone at 1/4, 1/2, 3/4"
  printf '%-22s %10s %10s %8s\n' run sent completed lost
  for mode in udp tcp; do
    read -r s c l < <(run "$mode-control" "$mode" 0)
    printf '%-22s %10s %10s %8s\n' "$mode, no redeploy" "$s" "$c" "$l"
    read -r s c l < <(run "$mode-redeploys" "$mode" 1)
    printf '%-22s %10s %10s %8s\n' "$mode, 3 redeploys" "$s" "$c" "$l"
  done
} | tee "$OUT/summary.txt"
log "done: $OUT/summary.txt"
