#!/usr/bin/env bash
# Benchmarks Activation Lab against its Python counterparts, side by side in one run, and
# reports ratios: target/bench/results.md (printed) and graphs/bench-ratios.png.
#   scripts/bench.sh            (BENCH_REPEATS=5; BENCH_SKIP_NOTEBOOK=1 skips row 6, ~10 min)
# Needs the .venv of the cross-check (made here if missing) and Maven.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/target/bench"
repeats="${BENCH_REPEATS:-5}"
mkdir -p "$out"
export TF_CPP_MIN_LOG_LEVEL=2
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import tensorflow" >/dev/null 2>&1; then
  scripts/cross_check.sh /nonexistent >/dev/null 2>&1 || true   # creates .venv
fi
py=(.venv/bin/python -W ignore)
echo "bench: building target/activation-lab.jar"
mvn -q -B package -DskipTests -DskipPython >/dev/null
jar=target/activation-lab.jar
java -jar "$jar" export --force --out "$out/models" --epochs 1000 >/dev/null 2>&1
model="$out/models/xor-mlp"

{
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB;"
  echo "Java $(java -version 2>&1 | head -1 | cut -d'"' -f2), TensorFlow Java 1.1.0; Python $(.venv/bin/python -c 'import sys; print(sys.version.split()[0])'),"
  echo "TensorFlow $(.venv/bin/python -c 'import tensorflow as t; print(t.__version__)' 2>/dev/null), Keras $(.venv/bin/python -c 'import keras; print(keras.__version__)' 2>/dev/null); $(date -u +%Y-%m-%d)."
} > "$out/machine.txt"

sub() { python3 -c "print(round($1 - $2, 3))"; }
# 5. process start to first result (median of 3 each)
t_java=(); t_py=()
for i in 1 2 3; do
  s=$(date +%s.%N); java -jar "$jar" predict --model "$model" --input "0,1" >/dev/null 2>&1; e=$(date +%s.%N)
  t_java+=("$(sub "$e" "$s")")
  s=$(date +%s.%N)
  "${py[@]}" -c "import tensorflow as tf; m=tf.saved_model.load('$model/1'); print(m.signatures['serving_default'](x=tf.constant([[0.,1.]]))['y'].numpy())" >/dev/null 2>&1
  e=$(date +%s.%N); t_py+=("$(sub "$e" "$s")")
done
med() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
proc="{\"java_first_result_s\": $(med "${t_java[@]}"), \"python_first_result_s\": $(med "${t_py[@]}")"

echo "bench: Java ($repeats repeats)"
java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -jar "$jar" bench --repeats "$repeats" --json "$out/java.json" 2>&1 | grep "^bench" || true
echo "bench: Python ($repeats repeats)"
"${py[@]}" scripts/bench.py "$model/1" "$out/python.json" --repeats "$repeats" 2>&1 | grep "^bench" || true

if [ -z "${BENCH_SKIP_NOTEBOOK:-}" ]; then
  echo "bench: the whole notebook, Java then Python (Keras model.fit of its 8 models, back to back)"
  tmp="$(mktemp -d)"
  s=$(date +%s.%N); java -jar "$jar" notebook --out "$tmp/models" --graphs "$tmp/graphs" >/dev/null 2>&1; e=$(date +%s.%N)
  jn=$(sub "$e" "$s")
  s=$(date +%s.%N); "${py[@]}" scripts/keras_reference.py "$tmp/keras" --jobs 1 >/dev/null 2>&1; e=$(date +%s.%N)
  pn=$(sub "$e" "$s")
  rm -rf "$tmp"
  proc="$proc, \"java_notebook_s\": $jn, \"python_notebook_s\": $pn"
fi
echo "$proc}" > "$out/process.json"
"${py[@]}" scripts/bench_report.py "$out"
java -jar "$jar" bench --chart "$out/results.json" --graphs graphs >/dev/null 2>&1
echo "wrote $out/results.md and graphs/bench-ratios.png"
