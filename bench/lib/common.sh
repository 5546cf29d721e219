# Shared by the side-by-side scripts (run.sh, proxy.sh, tsig.sh, acl.sh, tls.sh, ...): logging,
# stopping what a script started on every exit, waiting for a server, a process's CPU time and
# memory. Source it after `set -Eeuo pipefail`.

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# wait_for PID LOG PATTERN [SECONDS]: polls LOG for PATTERN until it shows (bounded, 60 s by
# default); fails at once, with the log's tail, when the process has exited.
wait_for() {
  local deadline=$(( $(date +%s) + ${4:-60} ))
  while ! grep -q "$3" "$2" 2>/dev/null; do
    kill -0 "$1" 2>/dev/null || { tail -20 "$2" >&2; die "pid $1 exited before '$3' ($2)"; }
    (( $(date +%s) < deadline )) || { tail -20 "$2" >&2; die "no '$3' in $2 after ${4:-60} s"; }
    sleep 0.1
  done
}

# Every background process a script starts goes into PIDS; all are stopped on exit, even on failure.
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# User + system CPU time of a process, in clock ticks (divide by `getconf CLK_TCK`).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# A process and all its descendants, one PID per line (NSD answers from processes it forks).
tree_pids() { local p; echo "$1"; for p in $(pgrep -P "$1"); do tree_pids "$p"; done; }

# RSS and peak RSS (KiB) of a server: the largest among its processes (NSD forks its servers).
rss_kib() { for p in $(tree_pids "$1"); do awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null; done | sort -n | tail -1; }
hwm_kib() { for p in $(tree_pids "$1"); do awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null; done | sort -n | tail -1; }

now() { date +%s.%N; }
