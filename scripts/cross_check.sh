#!/usr/bin/env bash
# The Python cross-check (see scripts/cross_check.py for the checks), then its self-test
# (scripts/cross_check_selftest.py: doctored copies of the exports must fail).
#   scripts/cross_check.sh [MODELS_DIR [JAVA_CLASSPATH]]
# MODELS_DIR (default models/) holds Java's exports (`export` writes them all). The Keras
# reference runs (scripts/keras_reference.py: model.fit as the notebook, 10 models, ~5-8 min on
# 2 cores) go to MODELS_DIR/../models-keras and are reused while the script and requirements are
# unchanged (its .stamp, written only when every run succeeded). A failed reference run fails
# this script (the checks still run and show what is missing) and leaves no stamp, so the next
# run retries.
# Makes .venv from scripts/requirements.txt when it is missing or the requirements changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
models="${1:-$root/models}"
classpath="${2:-}"
venv="$root/.venv"
# (re)installed whenever scripts/requirements.txt changed since the last install
req_stamp="$(sha256sum "$root/scripts/requirements.txt" | cut -c1-16)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$req_stamp" ]; then
  echo "cross-check: installing scripts/requirements.txt into $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  pip_args=()
  # A local wheel index, where the machine has one, avoids slow retries of an unreachable PyPI.
  for idx in /opt/pypi/simple /opt/pypi-more/simple; do
    if [ -d "$idx" ]; then
      if [ ${#pip_args[@]} -eq 0 ]; then pip_args+=(--index-url "file://$idx"); else pip_args+=(--extra-index-url "file://$idx"); fi
    fi
  done
  # pip's chatter (e.g. a local index's "is ignored" warnings for every package it lacks) goes to
  # a log, shown when the install fails
  if ! "$venv/bin/pip" install -q "${pip_args[@]}" -r "$root/scripts/requirements.txt" \
      >"$venv/pip.log" 2>&1; then
    echo "cross-check: FAILED: pip install -r scripts/requirements.txt; end of $venv/pip.log:"
    tail -n 15 "$venv/pip.log" | sed 's/^/    /'
    exit 1
  fi
  echo "$req_stamp" > "$venv/.requirements"
fi
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
py=("$venv/bin/python" -W ignore::RuntimeWarning)

keras_dir="$(cd "$(dirname "$models")" && pwd)/models-keras"
reference=0
stamp="$(cat "$root/scripts/keras_reference.py" "$root/scripts/requirements.txt" | sha256sum | cut -c1-16)"
if [ "$(cat "$keras_dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "cross-check: Keras reference runs (model.fit, as the notebook) into $keras_dir ..."
  rm -rf "$keras_dir"
  log="$keras_dir.log"   # TensorFlow's chatter, and the traceback of a failed run
  if ! "${py[@]}" "$root/scripts/keras_reference.py" "$keras_dir" --jobs 2 --stamp "$stamp" 2>"$log"; then
    echo "cross-check: FAILED: the Keras reference runs (no stamp written: the next run retries); end of $log:"
    tail -n 15 "$log" | sed 's/^/    /'
    reference=1
  fi
fi
if [ -z "$classpath" ]; then
  (cd "$root" && mvn -q compile dependency:build-classpath -pl app -am -Dmdep.outputFile=target/classpath.txt >/dev/null)
  classpath="$root/app/target/classes:$root/core/target/classes:$(cat "$root/app/target/classpath.txt")"
fi

# TensorFlow's absl lines before its logging is initialised ("WARNING: All log messages before
# absl::InitializeLog()...", "I0000 ... oneDNN custom operations are on") ignore
# TF_CPP_MIN_LOG_LEVEL; they are dropped from the checks' stderr, everything else passes
quiet_tf() { grep -v -E '^(WARNING: All log messages before absl::InitializeLog|[IW][0-9]{4} [0-9:.]+ +[0-9]+ [a-z_]+\.cc:[0-9]+\])' >&2 || true; }
state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
check=0
t0=$SECONDS
"${py[@]}" "$root/scripts/cross_check.py" "$models" "$keras_dir" "$classpath" \
  --save-state "$state/state.pkl" 2> >(quiet_tf) || check=$?
t1=$SECONDS
selftest=0
"${py[@]}" "$root/scripts/cross_check_selftest.py" "$models" "$keras_dir" "$classpath" \
  --state "$state/state.pkl" 2> >(quiet_tf) || selftest=$?
echo "cross-check: check $((t1 - t0)) s, self-test $((SECONDS - t1)) s"
if [ "$reference" -ne 0 ] || [ "$check" -ne 0 ] || [ "$selftest" -ne 0 ]; then
  echo "cross-check: FAILED (Keras reference runs: exit $reference, check: exit $check, self-test: exit $selftest)"
  exit 1
fi
