# Shared by the side-by-side scripts (proxy.sh, tsig.sh, acl.sh): logging, stopping what a script
# started on every exit, and a process's CPU time. Source it after `set -Eeuo pipefail`.

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Every background process a script starts goes into PIDS; all are stopped on exit, even on failure.
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# User + system CPU time of a process, in clock ticks (divide by `getconf CLK_TCK`).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
