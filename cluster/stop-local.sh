#!/usr/bin/env bash
# cluster/stop-local.sh: stops the nodes cluster/start-local.sh started (SIGTERM: each syncs its
# zones and leaves the cluster), by the PIDs in cluster/run/node-*.pid.
set -euo pipefail
run="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/run"
for pidfile in "$run"/node-*.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { echo "$pidfile: pid $pid did not stop; killing it" >&2; kill -KILL "$pid"; }
  fi
  rm -f "$pidfile"
  echo "stopped $(basename "$pidfile" .pid)"
done
