#!/usr/bin/env bash
# The plugin daemon under load: build/bin/nvjrun-plugin serving a simulated 8-GPU host, loaded
# with wrk on loopback (2 threads, 64 connections, 10 s per endpoint, after a 3 s warm-up) on
#   /docker/cli       the line `docker run $(curl -s localhost:3476/docker/cli)` asks for
#   /gpu/info/json    the scheduler page
# Records requests/s, p50/p99 latency (wrk --latency) and the daemon's resident memory (ps -o rss,
# after the runs, and the peak VmHWM) with the command line and date.
#
# Usage: bench/plugin.sh [--duration 10s] [--connections 64] [--threads 2] [--results FILE]
#   --results FILE replaces (or appends) the "## Plugin" section of FILE (default bench/RESULTS.md);
#   --results - only prints it.
#   PLUGIN=build/bin/nvjrun-plugin, FAKEGPU=build/bin/nvjrun-fakegpu, PORT=3476 (defaults).
# Needs (apt): wrk curl. Aim (issue 3): >= 20,000 req/s for /docker/cli, p99 < 10 ms, < 100 MB RSS.
set -euo pipefail

duration=10s
connections=64
threads=2
here=$(cd "$(dirname "$0")/.." && pwd)
results=$here/bench/RESULTS.md
args="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "plugin.sh: unknown argument $1; see the header of $0" >&2; exit 2 ;;
  esac
done
PLUGIN=${PLUGIN:-$here/build/bin/nvjrun-plugin}
FAKEGPU=${FAKEGPU:-$here/build/bin/nvjrun-fakegpu}
PORT=${PORT:-3476}
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "plugin.sh: $tool is missing; apt-get install $tool" >&2; exit 1; }
done
for bin in "$PLUGIN" "$FAKEGPU"; do
  [ -x "$bin" ] || { echo "plugin.sh: $bin is missing; build it with mvn -pl launcher,packaging install -DskipTests" >&2; exit 1; }
done

work=$(mktemp -d /tmp/nvjrun-bench-plugin.XXXXXX)
pid=""
cleanup() {
  set +e
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$FAKEGPU" create "$work/host" --gpus 8 >/dev/null
( . "$work/host/nvjrun.env" && exec "$PLUGIN" -l "127.0.0.1:$PORT" -d "$work/volumes" -s "$work/plugins" ) \
  >"$work/plugin.log" 2>&1 &
pid=$!
for _ in $(seq 150); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "plugin.sh: nvjrun-plugin exited:" >&2; cat "$work/plugin.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "plugin.sh: nvjrun-plugin did not answer on port $PORT" >&2; exit 1; }
rss_idle=$(ps -o rss= -p "$pid" | tr -d ' ')
load=$(cut -d' ' -f1-3 /proc/loadavg)

endpoints="/docker/cli /gpu/info/json"
for path in $endpoints; do   # warm-up: let the JIT compile the request path before measuring
  wrk -t"$threads" -c"$connections" -d3s "http://127.0.0.1:$PORT$path" >/dev/null
done
rows=""
for path in $endpoints; do
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$PORT$path")
  rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
  rows+="| \`$path\` | $rps | $p50 | $p99 | ${errors:-none} |"$'\n'
done
rss=$(ps -o rss= -p "$pid" | tr -d ' ')
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
wrk_version=$(wrk --version 2>&1 | awk 'NR == 1 {print $2}' || true)

section="## Plugin

\`bench/plugin.sh${args:+ $args}\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $load
before and $load_end after (the machine is shared: wrk and the daemon already fill both cores, so
any other process shows in p99 first). The daemon (\`build/bin/nvjrun-plugin\`, JVM flags in
\`packaging/bin/daemon.template\`) serves a simulated 8-GPU host; wrk $wrk_version on loopback:
\`wrk -t$threads -c$connections -d$duration --latency http://127.0.0.1:$PORT<path>\` after a 3 s warm-up per path.

| path | requests/s | p50 | p99 | errors |
|---|---|---|---|---|
${rows%$'\n'}

Resident memory (\`ps -o rss\`): $((rss_idle / 1024)) MB idle after start, $((rss / 1024)) MB after the runs,
peak (VmHWM) $((hwm / 1024)) MB. Aim (issue 3): at least 20,000 requests/s on \`/docker/cli\` with p99 under
10 ms, under 100 MB resident. p99 is the number other processes move first (a runnable compiler on
one of the two cores delays whole batches of answers): compare runs made at a similar load average."
echo "$section"
if [ "$results" != - ]; then
  touch "$results"
  # Only this section is replaced; the other sections of the file stay as they are.
  SECTION="$section" awk 'BEGIN { section = ENVIRON["SECTION"] }
    /^## Plugin$/ { skip = 1; if (!done) { print section; print ""; done = 1 }; next }
    /^## / && skip { skip = 0 }
    !skip { print }
    END { if (!done) { if (NR > 0) print ""; print section } }' "$results" > "$results.tmp"
  mv "$results.tmp" "$results"
fi
