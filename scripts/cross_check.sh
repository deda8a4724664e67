#!/usr/bin/env bash
# The Python cross-check (see scripts/cross_check.py for the five checks).
#   scripts/cross_check.sh [MODELS_DIR [JAVA_CLASSPATH]]
# MODELS_DIR (default models/) holds Java's exports (`export` writes them all). The Keras
# reference runs (scripts/keras_reference.py: the notebook's model.fit, ~3-6 min on 2 cores) go
# to MODELS_DIR/../models-keras and are reused while the script and requirements are unchanged.
# Makes .venv from scripts/requirements.txt when it is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
models="${1:-$root/models}"
classpath="${2:-}"
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import tensorflow" >/dev/null 2>&1; then
  echo "cross-check: creating $venv from scripts/requirements.txt"
  python3 -m venv "$venv"
  pip_args=()
  # A local wheel index, where the machine has one, avoids slow retries of an unreachable PyPI.
  for idx in /opt/pypi/simple /opt/pypi-more/simple; do
    if [ -d "$idx" ]; then
      if [ ${#pip_args[@]} -eq 0 ]; then pip_args+=(--index-url "file://$idx"); else pip_args+=(--extra-index-url "file://$idx"); fi
    fi
  done
  "$venv/bin/pip" install -q "${pip_args[@]}" -r "$root/scripts/requirements.txt"
fi
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
py=("$venv/bin/python" -W ignore::RuntimeWarning)

keras_dir="$(cd "$models/.." && pwd)/models-keras"
if [ -f "$models/xor-mlp/run.json" ]; then
  stamp="$(cat "$root/scripts/keras_reference.py" "$root/scripts/requirements.txt" | sha256sum | cut -c1-16)"
  if [ "$(cat "$keras_dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "cross-check: Keras reference runs (model.fit, as the notebook) into $keras_dir ..."
    rm -rf "$keras_dir"
    "${py[@]}" "$root/scripts/keras_reference.py" "$keras_dir" --jobs 2 2>&1 | grep "^keras reference" || true
    echo "$stamp" > "$keras_dir/.stamp"
  fi
  if [ -z "$classpath" ]; then
    (cd "$root" && mvn -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null)
    classpath="$root/target/classes:$(cat "$root/target/classpath.txt")"
  fi
  exec "${py[@]}" "$root/scripts/cross_check.py" "$models" "$keras_dir" "$classpath"
fi
exec "${py[@]}" "$root/scripts/cross_check.py" "$models"
