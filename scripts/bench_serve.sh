#!/usr/bin/env bash
# serve's benchmark (issue 17, section 6): requests/s and p50/p99 at 1, 16 and 64 keep-alive
# clients for 1-row and 1000-row predicts of xor-mlp on loopback, beside the in-process Predictor on
# the same predictions (the floor; the ratio is HTTP over in-process), and the server's RSS after
# 10k and after 1M requests. Writes target/bench/serve.json and target/bench/serve.md (printed).
#   scripts/bench_serve.sh   BENCH_SERVE_SECONDS=S        timed seconds per cell (default 5)
#                            BENCH_SERVE_RSS_REQUESTS=N   requests before the last RSS reading (1000000)
# The server runs in its own JVM with a fixed, pre-touched heap (-Xms512m -Xmx512m), so RSS growth
# is native memory, not heap sizing; the load client and the in-process floor run in a second JVM.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/target/bench"
mkdir -p "$out"
jar=app/target/activation-lab.jar
[ -f "$jar" ] || mvn -q -B package -DskipTests -DskipPython >/dev/null
tmp="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
java -jar "$jar" export --force --out "$tmp/models" >/dev/null 2>&1
java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -jar "$jar" serve --rest_api_port=0 \
  --rest_api_host=127.0.0.1 --model_name=xor-mlp --model_base_path="$tmp/models/xor-mlp" \
  --file_system_poll_wait_seconds=0 2>"$tmp/serve.log" &
server=$!
port=""
for _ in $(seq 600); do
  port="$(sed -n 's/.*Exporting HTTP\/REST API at:127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/serve.log")"
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || { echo "bench_serve: the server did not start:"; cat "$tmp/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "bench_serve: no port after 60 s"; exit 1; }
echo "bench_serve: xor-mlp served on 127.0.0.1:$port (pid $server); $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$jar" io.github.activationlab.serve.ServeBench --port "$port" --pid "$server" \
  --model "$tmp/models/xor-mlp" --name xor-mlp --seconds "${BENCH_SERVE_SECONDS:-5}" \
  --rss-requests "${BENCH_SERVE_RSS_REQUESTS:-1000000}" --json "$out/serve.json" --md "$out/serve.md"
kill -TERM "$server"; wait "$server" || { echo "bench_serve: the server exited $?"; exit 1; }
server=""
echo "bench_serve: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$out/serve.md"
