#!/usr/bin/env bash
# The course's project-local Python: a virtual environment with pinned JupyterLab 4 and nbgrader
# (requirements.txt), and on request the benchmark's peer, PyTorch + torchdiffeq
# (requirements-peer.txt).
#
#   bash tools/python/venv.sh          # JupyterLab + nbgrader
#   bash tools/python/venv.sh peer     # the same, plus torch and torchdiffeq
#
# The environment lives in .venv/ at the course root (COURSE_VENV overrides). A stamp file records
# the hash of each requirements file installed, so a second run with unchanged pins does nothing and
# needs no network. Prints the environment's folder on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${COURSE_VENV:-$root/.venv}"
python="${COURSE_PYTHON:-python3}"

sets=(requirements.txt)
for arg in "$@"; do
  case "$arg" in
    peer) sets+=(requirements-peer.txt) ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "venv.sh: unknown argument '$arg' (expected: peer)" >&2; exit 2 ;;
  esac
done

if ! command -v "$python" >/dev/null 2>&1; then
  echo "venv.sh: '$python' not found; install Python 3.10 or newer (with venv), or set COURSE_PYTHON" >&2
  exit 2
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "creating the virtual environment $venv"
  "$python" -m venv "$venv" || {
    echo "venv.sh: '$python -m venv' failed; on Debian/Ubuntu install python3-venv" >&2
    exit 2
  }
fi

stamp="$venv/.course-requirements"
touch "$stamp"
for set in "${sets[@]}"; do
  file="$here/$set"
  sum="$(sha256sum "$file" | cut -d' ' -f1)"
  if grep -qx "$set $sum" "$stamp"; then
    echo "$set: up to date"
    continue
  fi
  echo "installing $set into $venv"
  # The pins are exact, so pip needs only these (and --no-deps keeps it from pulling newer ones).
  log="$venv/pip-install.log"
  if ! "$venv/bin/pip" install --disable-pip-version-check --no-deps -r "$file" >"$log" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$log" | tail -20 >&2
    echo "venv.sh: pip could not install $set (full log: $log)" >&2
    exit 1
  fi
  "$venv/bin/pip" check >&2 || { echo "venv.sh: $set leaves a dependency missing; regenerate its pins" >&2; exit 1; }
  grep -v "^$set " "$stamp" > "$stamp.new" || true
  echo "$set $sum" >> "$stamp.new"
  mv "$stamp.new" "$stamp"
done
echo "$venv"
