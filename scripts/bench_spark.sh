#!/usr/bin/env bash
# Spark's overhead on one machine: the Spark jobs with master local[2] against the single-process
# commands, on the same work, one timed process at a time, each a whole process from the shell
# (cold: JVM start, TensorFlow's load, Spark's start-up included) — reported as ratios.
#   scripts/bench_spark.sh   SPARK_BENCH_ROWS=N     rows of the predict input (default 10,000,000)
#                            SPARK_BENCH_SEEDS=N    seeds of the sweep (default 100,000)
#                            SPARK_BENCH_RUNS=N     runs of each row, the two sides taking turns
#                                                   (CLI, Spark, CLI, ...); the medians are reported (1)
# Rows:
#   predict   predict --model models/xor-mlp --input-file big.csv --output FILE (a 2-column CSV)
#   sweep     sweep --model xor-mlp --seeds N --activation sigmoid (one activation: the CLI trains it
#             on one core; Spark's tasks, the same chunks, on both)
#   sweep2    the same with --activation sigmoid,relu (the CLI trains the two side by side: both
#             sides use both cores)
#   start     Spark's start-up and one tiny job: predict --input "0,1" (a first-run cost, its own row)
# Each Spark row runs the job jar with Spark's jars on the class path (what spark-submit does in
# local mode); each row checks that both sides wrote the same bytes (predict) or the same per-seed
# results (sweep), and fails the run if not. The report: target/bench-spark/results.md (printed).
# Needs Maven (it builds the jars) and python3 (it writes the input). About 10 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rows="${SPARK_BENCH_ROWS:-10000000}"
seeds="${SPARK_BENCH_SEEDS:-100000}"
runs="${SPARK_BENCH_RUNS:-1}"
out="$root/target/bench-spark"
mkdir -p "$out"
rm -f "$out"/*.md "$out"/*.txt
echo "bench_spark: building the jars (mvn -q install -DskipTests -DskipPython)"
mvn -q -B install -DskipTests -DskipPython >/dev/null
cli_jar=app/target/activation-lab.jar
job_jar=spark/target/activation-lab-spark.jar
for f in "$cli_jar" "$job_jar" spark/target/spark-classpath.txt spark/target/spark-classpath-shared.txt; do
  [ -f "$f" ] || { echo "bench_spark: error: $f is missing after the build" >&2; exit 1; }
done
spark_cp="$job_jar:$(ls spark/target/natives/*.jar | paste -sd:):$(cat spark/target/spark-classpath.txt):$(cat spark/target/spark-classpath-shared.txt)"
spark=(java -cp "$spark_cp" io.github.activationlab.spark.SparkJobs)
cli=(java -jar "$cli_jar")
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"${cli[@]}" export --out "$tmp/models" >/dev/null 2>&1
model="$tmp/models/xor-mlp"
python3 - "$tmp/big.csv" "$rows" <<'EOF'
import random, sys
random.seed(5)
r = random.random
with open(sys.argv[1], "w") as f:
    f.write("# x1,x2\n")
    n = int(sys.argv[2])
    for start in range(0, n, 100000):
        f.write("".join("%.6f,%.6f\n" % (r(), r()) for _ in range(min(100000, n - start))))
EOF

# wall seconds of one command (stdout and stderr to files named after the row and side)
timed() {
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || { echo "bench_spark: $name failed:" >&2; tail -5 "$tmp/$name.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A secs
# run_row ROW CLI-COMMAND... -- SPARK-COMMAND...: the two sides take turns, SPARK_BENCH_RUNS times
run_row() {
  local row="$1"; shift
  local cmd_cli=() cmd_spark=()
  while [ "$1" != "--" ]; do cmd_cli+=("$1"); shift; done
  shift
  cmd_spark=("$@")
  local tc=() ts=()
  for ((i = 0; i < runs; i++)); do
    tc+=("$(timed "$row-cli" "${cmd_cli[@]}")")
    ts+=("$(timed "$row-spark" "${cmd_spark[@]}")")
  done
  secs[$row-cli]=$(median "${tc[@]}")
  secs[$row-spark]=$(median "${ts[@]}")
  echo "bench_spark: $row: CLI ${tc[*]} s; Spark ${ts[*]} s"
}

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
# predict: 10M rows, both write a file; the bytes must be the same
run_row predict "${cli[@]}" predict --model "$model" --input-file "$tmp/big.csv" --output "$tmp/p-cli.txt" --force \
  -- "${spark[@]}" predict --master 'local[2]' --model "$model" --input-file "$tmp/big.csv" --output "$tmp/p-spark.txt" --force
cmp -s "$tmp/p-cli.txt" "$tmp/p-spark.txt" || { echo "bench_spark: predict outputs differ" >&2; exit 1; }
predict_bytes=$(stat -c %s "$tmp/p-cli.txt")
# sweeps: the same per-seed results (the JSON's final_losses)
same_sweep() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for x, y in zip(a["results"], b["results"]):
    for k in ("activation", "n", "solved", "final_losses", "dead_unit_rate", "collapsed_rate"):
        if x[k] != y[k]:
            sys.exit("sweep results differ: %s %s" % (x["activation"], k))
EOF
}
run_row sweep "${cli[@]}" sweep --model xor-mlp --seeds "$seeds" --activation sigmoid --json "$tmp/s-cli.json" --force --graphs "$tmp/g-cli" \
  -- "${spark[@]}" sweep --master 'local[2]' --model xor-mlp --seeds "$seeds" --activation sigmoid --json "$tmp/s-spark.json" --force --graphs "$tmp/g-spark"
same_sweep "$tmp/s-cli.json" "$tmp/s-spark.json"
run_row sweep2 "${cli[@]}" sweep --model xor-mlp --seeds "$seeds" --activation sigmoid,relu --json "$tmp/s2-cli.json" --force --graphs "$tmp/g-cli" \
  -- "${spark[@]}" sweep --master 'local[2]' --model xor-mlp --seeds "$seeds" --activation sigmoid,relu --json "$tmp/s2-spark.json" --force --graphs "$tmp/g-spark"
same_sweep "$tmp/s2-cli.json" "$tmp/s2-spark.json"
cmp -s "$tmp/g-cli/sweep-xor-mlp.png" "$tmp/g-spark/sweep-xor-mlp.png" || { echo "bench_spark: sweep charts differ" >&2; exit 1; }
# Spark's start-up and one tiny job, against the CLI's start-up and one prediction
run_row start "${cli[@]}" predict --model "$model" --input "0,1" \
  -- "${spark[@]}" predict --master 'local[2]' --model "$model" --input "0,1"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

ratio() { echo "scale=2; ${secs[$1-spark]} / ${secs[$1-cli]}" | bc -l; }
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores;"
  echo "load average at the start $load_start, at the end $load_end; SPARK_BENCH_RUNS=$runs (the sides"
  echo "taking turns; medians)."
  echo
  echo "| row | work | CLI (s) | Spark local[2] (s) | Spark / CLI |"
  echo "|---|---|---:|---:|---:|"
  printf '| predict | %s rows, 2 columns, to one file (%s bytes, identical) | %.1f | %.1f | %sx |\n' "$rows" "$predict_bytes" "${secs[predict-cli]}" "${secs[predict-spark]}" "$(ratio predict)"
  printf '| sweep | xor-mlp, %s seeds, sigmoid (identical per-seed results) | %.1f | %.1f | %sx |\n' "$seeds" "${secs[sweep-cli]}" "${secs[sweep-spark]}" "$(ratio sweep)"
  printf '| sweep2 | the same, sigmoid and relu (identical) | %.1f | %.1f | %sx |\n' "${secs[sweep2-cli]}" "${secs[sweep2-spark]}" "$(ratio sweep2)"
  printf '| start | one row: start-up and one prediction | %.1f | %.1f | %sx |\n' "${secs[start-cli]}" "${secs[start-spark]}" "$(ratio start)"
  echo
  echo "Spark's own account (stderr of the last Spark run of each row):"
  for r in predict sweep sweep2; do echo "- $r: $(grep '^spark:' "$tmp/$r-spark.err" | tail -1)"; done
  echo "- sweep, the table's line: $(grep 'seed-epochs/s' "$tmp/sweep-spark.out")"
  echo "- sweep, the CLI's line: $(grep 'seed-epochs/s' "$tmp/sweep-cli.out")"
} | tee "$out/results.md"
