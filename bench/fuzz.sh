#!/usr/bin/env bash
# Fuzzes one Jazzer target for real (the normal build only replays its corpus).
#
#   bench/fuzz.sh TARGET MINUTES      TARGET: proxy | pipeline | config | auth | doh | all
#
# One fuzzer at a time (the machine's cores are shared). A crash fails the run and Jazzer writes
# the crashing input as crash-<sha1> into the target's inputs directory under src/test/resources,
# so that `mvn verify` replays it from then on; inputs that reached new code go to the module's
# .cifuzz-corpus/ (git-ignored). The log is bench/results/fuzz-TARGET-<time>.log.
set -Eeuo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { sed -n '4p' "$0" | sed -E 's/^#[[:space:]]+/usage: /' >&2; exit 2; }
[[ $# -eq 2 && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || usage
TARGET=$1
MINUTES=$2

# target -> module and test class
case $TARGET in
  proxy)    MODULE=modules/proxy-protocol; TEST=ProxyFuzzTest ;;
  auth)     MODULE=modules/auth;           TEST=AuthFuzzTest ;;
  doh)      MODULE=verticles/transport;    TEST=DohRequestFuzzTest ;;
  config)   MODULE=verticles/node;         TEST=NodeConfigFuzzTest ;;
  pipeline) MODULE=tests/end-to-end;       TEST=PipelineFuzzTest ;;
  all)
    for t in proxy auth doh config pipeline; do "$0" "$t" "$MINUTES"; done
    exit 0 ;;
  *) usage ;;
esac

mkdir -p "$ROOT_DIR/bench/results"
LOG=$ROOT_DIR/bench/results/fuzz-$TARGET-$(date +%Y%m%d-%H%M%S).log
echo "fuzzing $TARGET ($MODULE $TEST) for $MINUTES min; log: $LOG"
cd "$ROOT_DIR"
# jazzer.internal.arg.N are libFuzzer's arguments: the last -max_total_time wins over the
# @FuzzTest's maxDuration. jazzer.instrument: coverage of dnsjava's parsing too, not only ours.
status=0
JAZZER_FUZZ=1 mvn -B -o test -pl "$MODULE" -am -Dspotless.check.skip=true \
  -Dtest="$TEST" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.instrument='dev.vxdns.**,org.xbill.DNS.**' \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=$((MINUTES * 60)) \
  >"$LOG" 2>&1 || status=$?
grep -E '^#[0-9]+.*(DONE|pulse)|Tests run:|crash-|FuzzTestFindingException|== Java Exception' "$LOG" | tail -n 8 || true
if [[ $status -ne 0 ]]; then
  echo "fuzz.sh: $TARGET found a problem (or the build failed); see $LOG" >&2
  ls -t "$ROOT_DIR/$MODULE"/src/test/resources/dev/vxdns/*/*Inputs/*/crash-* 2>/dev/null | head -n 3 >&2 || true
  ls -t "$ROOT_DIR/$MODULE"/src/test/resources/dev/vxdns/*/*/*Inputs/*/crash-* 2>/dev/null | head -n 3 >&2 || true
fi
exit $status
