# Shared by bench/run, bench/run-core and bench/run-convenience (sourced, not run).
# wrk on loopback, medians of alternating rounds, ratios against the bare hello server.

# Waits for an URL to answer 200 (a server starting up), up to 10 s.
wait_ready() { for _ in $(seq 1 2000); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.005; done; return 1; }

# A dev-mode session token for user $2 on the server at $1.
login_at() {
  curl -s -X POST "$1/api/v1/auth/dev-login" -H 'Content-Type: application/json' -d "{\"user\":\"$2\"}" |
    sed -E 's/.*"token":"([^"]+)".*/\1/'
}

# wrk for SECONDS_PER seconds with CONNS connections: url [lua script] [header]
#   → "req/s p50_ms p99_ms non2xx socket_errors"
wrk_run() {
  local out; out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_PER}s" --latency ${2:+-s "$2"} ${3:+-H "$3"} "$1")
  local rps p50 p99 bad sock
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $5}' <<<"$out"); bad=${bad:-0}
  sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out"); sock=${sock:-0}
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $bad $sock"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else printf "%.3f", v*1000 }'; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Median of column $2 over the lines of the array named $1.
col() { local -n arr=$1; for l in "${arr[@]}"; do awk -v c="$2" '{print $c}' <<<"$l"; done | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
# Peak resident memory of a process, MB.
peak_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
# Waits (up to a minute) until the outbox of the database at $1 has no notice due: the notices a
# booking run queued are still being sent for seconds after it, and would slow the next run.
outbox_drained() {
  for _ in $(seq 1 600); do
    [ "$(sqlite3 "$1" "PRAGMA busy_timeout = 5000; SELECT count(*) FROM core_outbox WHERE state = 'queued'
                       AND next_attempt_at <= CAST(strftime('%s','now') AS INTEGER) * 1000" 2>/dev/null | tail -1)" = 0 ] && return 0
    sleep 0.1
  done
}
