#!/usr/bin/env bash
# The Python cross-check: makes .venv from scripts/requirements.txt when missing, then checks the
# SavedModels in MODELS_DIR (default models/) against Python TensorFlow / Keras.
# Usage: scripts/cross_check.sh [MODELS_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
models="${1:-$root/models}"
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
exec "$venv/bin/python" -W ignore::RuntimeWarning "$root/scripts/cross_check.py" "$models"
