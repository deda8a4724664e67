#!/usr/bin/env bash
# The notebook check (in `mvn verify`, after the cross-check): installs the activation-lab kernel
# into a scratch Jupyter data directory, re-executes notebooks/activation-functions.ipynb headless
# (nbclient) and holds the run to the committed outputs (scripts/notebook_check.py); writes the
# executed notebook and its HTML (nbconvert) into OUT_DIR.
#   scripts/notebook_check.sh [OUT_DIR] [--update]
# --update writes the run's outputs into the committed notebook instead of comparing (after the same
# checks for errors). Needs app/target/activation-lab.jar (`mvn package`). Makes .venv-notebook from
# scripts/requirements-notebook.txt when it is missing or the requirements changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/notebook}"
shift || true
jar="$root/app/target/activation-lab.jar"
if [ ! -f "$jar" ]; then
  echo "notebook check: FAILED: $jar is missing (mvn package builds it)"
  exit 1
fi
venv="$root/.venv-notebook"
req="$root/scripts/requirements-notebook.txt"
req_stamp="$(sha256sum "$req" | cut -c1-16)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$req_stamp" ]; then
  echo "notebook check: installing scripts/requirements-notebook.txt into $venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  pip_args=()
  for idx in /opt/pypi/simple /opt/pypi-more/simple; do
    if [ -d "$idx" ]; then
      if [ ${#pip_args[@]} -eq 0 ]; then pip_args+=(--index-url "file://$idx"); else pip_args+=(--extra-index-url "file://$idx"); fi
    fi
  done
  if ! "$venv/bin/pip" install -q "${pip_args[@]}" -r "$req" >"$venv/pip.log" 2>&1; then
    echo "notebook check: FAILED: pip install -r scripts/requirements-notebook.txt; end of $venv/pip.log:"
    tail -n 15 "$venv/pip.log" | sed 's/^/    /'
    exit 1
  fi
  echo "$req_stamp" > "$venv/.requirements"
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# Jupyter's directories inside OUT_DIR: the user's own kernelspecs and runtime files stay untouched
export JUPYTER_DATA_DIR="$out/jupyter-data" JUPYTER_RUNTIME_DIR="$out/jupyter-runtime"
export JUPYTER_CONFIG_DIR="$out/jupyter-config" JUPYTER_PLATFORM_DIRS=1
export PATH="$venv/bin:$PATH"
rm -rf "$JUPYTER_DATA_DIR"
java -jar "$jar" kernel install
"$venv/bin/python" -W ignore::DeprecationWarning "$root/scripts/notebook_check.py" \
  "$root/notebooks/activation-functions.ipynb" "$out" "$jar" "$@"
