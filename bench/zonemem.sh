#!/usr/bin/env bash
# Heap retained by a loaded zone and its load time: bench/ZoneMem.java loads a generated zone of
# RECORDS records (lib/gen_workload.py's, default 1,000,000, cached in results/workload-zoneload-N/
# as bench/zoneload.sh does) with ZoneFiles.load in a fresh JVM (JAVA_OPTS, default -Xmx4g
# -XX:+UseParallelGC), ROUNDS times (default 3), and prints per round: records, load time,
# heap used after full GCs minus the same before loading, bytes per record, the JVM's peak RSS.
# TREE=/path/to/another/checkout measures that tree instead (built with
# mvn -B -q -o -pl modules/zone -am package -DskipTests), e.g. main's, for a before/after.
#
#   bench/zonemem.sh [--records N] [--rounds N]
set -Eeuo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(cd "$BENCH_DIR/.." && pwd)
RECORDS=${RECORDS:-1000000}
ROUNDS=${ROUNDS:-3}
TREE=${TREE:-$ROOT_DIR}
JAVA_OPTS=${JAVA_OPTS:--Xmx4g -XX:+UseParallelGC}
while [[ $# -gt 0 ]]; do
  case $1 in
    --records) RECORDS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "zonemem.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=lib/common.sh
source "$BENCH_DIR/lib/common.sh"

CLASSES=$TREE/modules/zone/target/classes
[ -d "$CLASSES" ] || die "build first: (cd $TREE && mvn -B -q -o -pl modules/zone -am package -DskipTests)"
WORK=$BENCH_DIR/results/workload-zoneload-$RECORDS
ZONE=$WORK/bench.test.zone
if [[ ! -s $ZONE ]]; then
  mkdir -p "$WORK"
  python3 "$BENCH_DIR/lib/gen_workload.py" --records "$RECORDS" --zone "$ZONE" \
    --queries "$WORK/queries.txt" --query-count 1000 >"$WORK/workload.txt"
fi
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
(cd "$TREE" && mvn -B -q -o -pl modules/zone dependency:build-classpath \
  -Dmdep.includeScope=compile -Dmdep.outputFile="$CP_FILE" -Dstyle.color=never >/dev/null 2>&1)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') tree $TREE ($(git -C "$TREE" log -1 --format=%h 2>/dev/null || echo '?')) load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= ROUNDS; round++)); do
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$CLASSES:$(cat "$CP_FILE")" "$BENCH_DIR/ZoneMem.java" "$ZONE" bench.test.
done
