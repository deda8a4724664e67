#!/usr/bin/env bash
# Benchmarks Activation Lab against its Python counterparts, side by side in one run, and
# reports ratios: target/bench/results.md (printed) and graphs/bench-ratios.png.
#   scripts/bench.sh     BENCH_REPEATS=N     timed runs per warm row (default 5; 1 to try it out)
#                        BENCH_COLD_RUNS=N   runs of each short whole-process row (default 3)
#                        BENCH_PY_COLD_RUNS=N  runs of the Keras whole-process rows (default 1:
#                                            ~2 min each on a quiet 2-core machine)
#                        BENCH_SKIP_NOTEBOOK=1 skips row 6c (the whole notebook, ~7 min)
#                        BENCH_SETTLE_S=N    waits at most N s (300) for the 1-min load average
#                                            to fall below 0.5 before timing
# Everything runs one process at a time (no --jobs, nothing in the background while timing); the
# load average and the CPU time other processes used during the run go into the report, with a
# warning when the machine was not quiet. Run it on a quiet machine: about 25 minutes on 2 cores
# with the defaults (the Keras fits take most of it; the one-core sweep rows need taskset).
# Needs the .venv of the cross-check (made here if missing) and Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/target/bench"
repeats="${BENCH_REPEATS:-5}"
cold_runs="${BENCH_COLD_RUNS:-3}"
py_cold_runs="${BENCH_PY_COLD_RUNS:-1}"
rm -f "$out"/*.json "$out"/*.md "$out"/machine.txt
mkdir -p "$out"
export TF_CPP_MIN_LOG_LEVEL=2
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import tensorflow" >/dev/null 2>&1; then
  scripts/cross_check.sh /nonexistent >/dev/null 2>&1 || true   # creates .venv
fi
py=(.venv/bin/python -W ignore)
echo "bench: building app/target/activation-lab.jar"
mvn -q -B package -DskipTests -DskipPython >/dev/null
jar=app/target/activation-lab.jar
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
java -jar "$jar" export --force --out "$tmp/models" --epochs 1000 >/dev/null 2>&1
model="$tmp/models/xor-mlp"
# the library's native settings (tf.NativeRuntime.SETTINGS; the user's own values win, as in the
# library), for the Python side's "same settings" runs: the Java side sets them itself, in-process
native_env=()
while IFS='=' read -r key value; do
  if [ -n "$key" ] && [ -z "${!key+x}" ]; then native_env+=("$key=$value"); fi
done < <(java -jar "$jar" bench --native-env 2>/dev/null)
[ ${#native_env[@]} -gt 0 ] || echo "bench: note: the jar gave no native settings to add (all set in this shell?)"

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB;"
  echo "Java $(java -version 2>&1 | head -1 | cut -d'"' -f2), TensorFlow Java 1.1.0; Python $(.venv/bin/python -c 'import sys; print(sys.version.split()[0])'),"
  echo "TensorFlow $(.venv/bin/python -c 'import tensorflow as t; print(t.__version__)' 2>/dev/null), Keras $(.venv/bin/python -c 'import keras; print(keras.__version__)' 2>/dev/null), JAX $(.venv/bin/python -c 'import jax; print(jax.__version__)' 2>/dev/null || echo none); BENCH_REPEATS=$repeats, cold runs: Java $cold_runs, Keras $py_cold_runs;"
  echo "The library's native settings (tf.NativeRuntime, set in-process): $(java -jar "$jar" bench --native-env 2>/dev/null | tr '\n' ' ')(set in this shell: ${XLA_FLAGS:+XLA_FLAGS=$XLA_FLAGS }${TF_ENABLE_ONEDNN_OPTS:+TF_ENABLE_ONEDNN_OPTS=$TF_ENABLE_ONEDNN_OPTS}); Python: TensorFlow's defaults, and for the rows that say so the same settings as Java's."
} > "$out/machine.txt"

# --- how quiet the machine is: load averages, and CPU time used by processes not ours ---
clk=$(getconf CLK_TCK)
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
# CPU seconds of this shell's finished children (bash `times` in this shell, not in a $(...)
# subshell: its second line, user and system)
children_cpu() { tail -1 "$1" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); s += a[1] * 60 + a[2] } print s }'; }
loads=()
phase() { loads+=("{\"phase\": \"$1\", \"loadavg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"); }
# a job that just ended still weighs in the 1-min load average: wait (up to BENCH_SETTLE_S, 300 s)
# until it is below 0.5, so that the start's reading says whether the machine is quiet now
settle_end=$((SECONDS + ${BENCH_SETTLE_S:-300}))
while awk '{exit !($1 > 0.5)}' /proc/loadavg && [ $SECONDS -lt $settle_end ]; do
  [ -n "${settle_said:-}" ] || { echo "bench: waiting for the 1-min load average ($(cut -d' ' -f1 /proc/loadavg)) to fall below 0.5"; settle_said=1; }
  sleep 5
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
times > "$tmp/times0"; busy0=$(busy_jiffies); kids0=$(children_cpu "$tmp/times0"); wall0=$(date +%s.%N)
phase start

now() { date +%s.%N; }
sub() { python3 -c "print(round($1 - $2, 3))"; }
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# time_runs N CMD...: the median wall time (s) of N runs of CMD, one after the other; a failed run
# stops the benchmark
time_runs() {
  local n=$1; shift
  local ts=() s e
  for _ in $(seq "$n"); do
    s=$(now); "$@" >/dev/null 2>"$tmp/err" || { echo "bench: failed: $*" >&2; tail -5 "$tmp/err" >&2; return 1; }; e=$(now)
    ts+=("$(sub "$e" "$s")")
  done
  med "${ts[@]}"
}
proc="{"

# 5. process start to first result
echo "bench: process start to first prediction (3 runs each)"
java_first=$(time_runs 3 java -jar "$jar" predict --model "$model" --input "0,1")
py_first=$(time_runs 3 "${py[@]}" -c "import tensorflow as tf; m=tf.saved_model.load('$model/1'); print(m.signatures['serving_default'](x=tf.constant([[0.,1.]]))['y'].numpy())")
proc="$proc\"java_first_result_s\": $java_first, \"python_first_result_s\": $py_first"
phase startup

# 8. an application that embeds the library (its own main on the jar's class path, not the CLI):
# the XOR MLP's process-first fit, a new model's first fit, warm us/step, and its stderr (native log
# lines counted by bench_report.py); then the same with TensorFlow's defaults (what embedding cost
# before the library set its native settings in-process)
echo "bench: an embedding application, with the library's settings and with TF's defaults"
# (TF_CPP_MIN_LOG_LEVEL, exported above for Python's quiet, is unset for the Java runs whose stderr
# is counted: the library sets it itself, and TensorFlow's defaults print at INFO)
env -u TF_CPP_MIN_LOG_LEVEL java -cp "$jar" io.github.activationlab.bench.EmbeddingApp "$repeats" > "$out/embed.json" 2> "$out/embed.err" \
  || { echo "bench: EmbeddingApp failed" >&2; tail -5 "$out/embed.err" >&2; exit 1; }
env -u TF_CPP_MIN_LOG_LEVEL java -Dactivationlab.native.defaults=false -cp "$jar" io.github.activationlab.bench.EmbeddingApp "$repeats" \
  > "$out/embed_tfdefaults.json" 2> "$out/embed_tfdefaults.err" \
  || { echo "bench: EmbeddingApp (TF's defaults) failed" >&2; tail -5 "$out/embed_tfdefaults.err" >&2; exit 1; }
phase embedding

# 1-5: the in-process measurements: the CLI's `bench` (one JVM, the library's native settings set
# in-process), its stderr kept (bench_report.py counts its native log lines for row 8). Serving
# (4, 5c-d) runs in its own JVM with a fixed, pre-touched heap, so that the RSS rows are native
# growth only; the rest runs with the JVM's default heap (a pre-touched 512 MB heap made some 4 MB
# activation calls stall 10-20 ms, an artefact of the RSS set-up, not the library).
echo "bench: Java ($repeats repeats; the library's settings: ${native_env[*]})"
env -u TF_CPP_MIN_LOG_LEVEL java -jar "$jar" bench --only xor,relu,activations,sweep --repeats "$repeats" --json "$out/java_compute.json" 2> "$out/java_compute.err" | grep "^bench" || true
[ -s "$out/java_compute.json" ] || { echo "bench: Java's bench --json failed" >&2; tail -5 "$out/java_compute.err" >&2; exit 1; }
java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -jar "$jar" bench --only serving --repeats "$repeats" --json "$out/java_serving.json" 2>&1 | grep "^bench" || true
[ -s "$out/java_serving.json" ] || { echo "bench: Java's bench --only serving failed" >&2; exit 1; }
"${py[@]}" -c 'import json, sys; json.dump({**json.load(open(sys.argv[1])), **json.load(open(sys.argv[2]))}, open(sys.argv[3], "w"), indent=1)' \
  "$out/java_compute.json" "$out/java_serving.json" "$out/java.json"
# ' rows: the same library with TensorFlow's defaults (-Dactivationlab.native.defaults=false: XLA's
# CPU thunk runtime on, oneDNN on), what an application got before the library set its settings
echo "bench: Java training and activations with TensorFlow's native defaults ($repeats repeats)"
java -Dactivationlab.native.defaults=false -jar "$jar" bench --only xor,relu,activations --repeats "$repeats" --json "$out/java_tfdefaults.json" 2>&1 | grep "^bench" || true
[ -s "$out/java_tfdefaults.json" ] || { echo "bench: Java's bench --only xor,relu,activations failed" >&2; exit 1; }
phase java
echo "bench: Python ($repeats repeats; the notebook's per-pixel loops over 1024x1024 take ~2 min)"
"${py[@]}" scripts/bench.py "$model/1" "$out/python.json" --repeats "$repeats" 2>&1 | grep "^bench" || true
[ -s "$out/python.json" ] || { echo "bench: scripts/bench.py failed" >&2; exit 1; }
# the same-work rows again with the library's native settings, so that 1a/1d/2a compare equal
# settings by construction (1a'/1d'/2a': both sides with TensorFlow's defaults)
echo "bench: Python's same-work loops with the library's settings (${native_env[*]})"
env "${native_env[@]}" "${py[@]}" scripts/bench.py "$model/1" "$out/python_native.json" --repeats "$repeats" --only same-work 2>&1 | grep "^bench" || true
[ -s "$out/python_native.json" ] || { echo "bench: scripts/bench.py --only same-work failed" >&2; exit 1; }
phase python

# 6. the six gate models, whole processes
echo "bench: six gate models, whole processes (Java $cold_runs runs each, Keras $py_cold_runs)"
k=0   # each run writes to a new directory (k counts the runs of one time_runs)
gates_export() { k=$((k + 1)); java -jar "$jar" bench --gates-export "$tmp/ge$k" --json "$out/gates_times_$k.json"; }
gates_cmd() { k=$((k + 1)); java -jar "$jar" gates --out "$tmp/gm$k" --graphs "$tmp/gg$k" --force; }
gates_keras() { k=$((k + 1)); "${py[@]}" scripts/bench_gates_keras.py "$tmp/gk$k"; }
jge=$(time_runs "$cold_runs" gates_export)
jg=$(time_runs "$cold_runs" gates_cmd)
pg=$(time_runs "$py_cold_runs" gates_keras)
[ -f "$tmp/ge1/xor-mlp/1/saved_model.pb" ] || { echo "bench: bench --gates-export wrote no SavedModel" >&2; exit 1; }
[ -f "$tmp/gk1/xor-mlp/1/saved_model.pb" ] || { echo "bench: bench_gates_keras.py wrote no SavedModel" >&2; exit 1; }
proc="$proc, \"java_gates_export_s\": $jge, \"java_gates_s\": $jg, \"python_gates_s\": $pg, \"python_gates_runs\": \"$py_cold_runs run(s)\""
phase gates

# 7. the seed sweep (xor-mlp, sigmoid, 1000 seeds x 1000 epochs): whole processes (7b), then the
# in-process warm and first-run timings pinned to one core with taskset (7a.1: Java and both JAX
# formulations, back to back) and unpinned on every core (7a.2: Java's is in java_compute.json),
# and Java's warm cost per seed-step from 1,000 to 1,000,000 seeds on one core (7g)
echo "bench: Java sweep, whole process ($cold_runs runs)"
jsw=$(time_runs "$cold_runs" java -jar "$jar" sweep --model xor-mlp --seeds 1000 --activation sigmoid --json "$out/java_sweep.json" --force --graphs "$tmp/sweep-graphs")
proc="$proc, \"java_sweep_process_s\": $jsw"
echo "bench: JAX sweep, whole process ($cold_runs runs)"
psw=$(time_runs "$cold_runs" "${py[@]}" scripts/sweep_reference.py --model xor-mlp --seeds 1000 --activation sigmoid --epochs 1000 --json "$out/jax_sweep.json")
proc="$proc, \"python_sweep_process_s\": $psw"
jax_bench() {  # jax_bench OUT FORMULATION [taskset prefix...]
  local o=$1 f=$2; shift 2
  "$@" "${py[@]}" scripts/sweep_reference.py --model xor-mlp --seeds 1000 --activation sigmoid --epochs 1000 --bench \
    --formulation "$f" --bench-repeats "$repeats" --cold-repeats "$(( repeats < 3 ? repeats : 3 ))" --json "$out/$o" >/dev/null 2>&1 \
    || echo "bench: sweep_reference.py --bench --formulation $f failed: its rows stay n/a"
}
echo "bench: JAX sweep in-process, every core (twin, plain)"
jax_bench jax_sweep_bench.json twin
jax_bench jax_plain_bench.json plain
if command -v taskset >/dev/null; then
  core=$(( $(nproc) - 1 ))
  echo "bench: the sweep pinned to core $core: Java, then JAX (twin, plain)"
  taskset -c "$core" java -jar "$jar" bench --only sweep --repeats "$repeats" --json "$out/java_sweep_1core.json" 2>&1 | grep "^bench" || true
  jax_bench jax_sweep_bench_1core.json twin taskset -c "$core"
  jax_bench jax_plain_bench_1core.json plain taskset -c "$core"
  echo "bench: Java's warm sweep at 1,000 to 1,000,000 seeds, pinned to core $core"
  taskset -c "$core" java -jar "$jar" bench --only scaling --json "$out/java_scaling.json" 2>&1 | grep "^bench" || true
else
  echo "bench: no taskset: the one-core rows (7a.1, 7g) stay n/a"
fi
phase sweep

# 6c. the whole notebook
if [ -z "${BENCH_SKIP_NOTEBOOK:-}" ]; then
  echo "bench: the whole notebook, Java then Python (Keras model.fit of its 8 models, one at a time)"
  s=$(now); java -jar "$jar" notebook --out "$tmp/nb/models" --graphs "$tmp/nb/graphs" >/dev/null 2>&1; e=$(now)
  jn=$(sub "$e" "$s")
  s=$(now); "${py[@]}" scripts/keras_reference.py "$tmp/keras" --jobs 1 >/dev/null 2>&1; e=$(now)
  pn=$(sub "$e" "$s")
  proc="$proc, \"java_notebook_s\": $jn, \"python_notebook_s\": $pn"
  phase notebook
fi
echo "$proc}" > "$out/process.json"

times > "$tmp/times1"; busy1=$(busy_jiffies); kids1=$(children_cpu "$tmp/times1"); wall1=$(date +%s.%N)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$out/load.json" "$load_before" "$load_after" "$busy0" "$busy1" "$kids0" "$kids1" "$wall0" "$wall1" "$clk" "$(nproc)" "[$(IFS=,; echo "${loads[*]}")]" <<'EOF'
import json, sys
out, before, after = sys.argv[1:4]
busy0, busy1, kids0, kids1, wall0, wall1, clk, ncpu = map(float, sys.argv[4:12])
phases = json.loads(sys.argv[12])
wall = wall1 - wall0
busy = (busy1 - busy0) / clk
ours = kids1 - kids0
other = max(0.0, busy - ours)
share = other / (wall * ncpu) if wall > 0 else 0
text = (f"Load average (1, 5, 15 min) before the run: {before}; after: {after} (the run's own "
        f"processes count in it: about 1 while one runs). During the {wall:.0f} s run the CPUs were "
        f"busy {busy:.0f} CPU-s, {ours:.0f} of them this run's; other processes used {other:.0f} "
        f"CPU-s = {share:.0%} of the machine.")
warn = []
if float(before.split()[0]) > 0.5:
    warn.append(f"the 1-min load average was {before.split()[0]} when the run started")
if share > 0.05:
    warn.append(f"other processes used {share:.0%} of the CPUs during the run")
doc = {"before": before, "after": after, "wall_s": wall, "busy_cpu_s": busy, "ours_cpu_s": ours,
       "other_cpu_s": other, "other_share": share, "phases": phases, "text": text,
       "warning": ("the machine was not quiet: " + "; ".join(warn)
                   + ". These figures are not final measurements.") if warn else None}
json.dump(doc, open(out, "w"), indent=1)
EOF
"${py[@]}" scripts/bench_report.py "$out"
java -jar "$jar" bench --chart "$out/results.json" --graphs graphs >/dev/null 2>&1
echo "wrote $out/results.md and graphs/bench-ratios.png"
scripts/bench_serve.sh   # serve: HTTP vs in-process Predictor, RSS (target/bench/serve.md)
