#!/usr/bin/env bash
# Creates (or reuses) the ChatterBot peer's own venv and installs requirements.txt into it;
# prints the venv's python on stdout, everything else goes to stderr. Idempotent: a venv whose
# Python and requirements.txt (by checksum) match what it was built from is left as it is;
# otherwise it is built anew.
#
#   PY="$(bench/peers/chatterbot/setup_venv.sh)"
#   "$PY" bench/peers/chatterbot/runner.py < input.json
#
# CHATTERBOT_VENV   where the venv goes (default: <repo>/var/bench/chatterbot-venv; var/ is ignored)
# CHATTERBOT_PYTHON the interpreter to build it from (default: python3.13, else python3.12)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="${CHATTERBOT_VENV:-$root/var/bench/chatterbot-venv}"
requirements="$here/requirements.txt"
stamp="$venv/.balie-requirements.sha256"

log() { echo "setup_venv: $*" >&2; }

# An interpreter that runs and is one ChatterBot 1.2.15 supports (Requires-Python >=3.10,<3.15).
usable() {
    "$1" -c 'import sys, venv; sys.exit(not ((3, 10) <= sys.version_info[:2] < (3, 15)))' \
        >/dev/null 2>&1
}

pick_python() {
    local candidate
    local candidates=()
    if [[ -n "${CHATTERBOT_PYTHON:-}" ]]; then
        candidates+=("$CHATTERBOT_PYTHON")
    fi
    candidates+=(python3.13 python3.12)
    # pyenv's shims answer only for the versions selected where they run: ask pyenv directly too.
    if command -v pyenv >/dev/null 2>&1; then
        local pyenv_root
        pyenv_root="$(pyenv root)"
        for candidate in "$pyenv_root"/versions/3.13*/bin/python3.13 \
            "$pyenv_root"/versions/3.12*/bin/python3.12; do
            [[ -x "$candidate" ]] && candidates+=("$candidate")
        done
    fi
    for candidate in "${candidates[@]}"; do
        if usable "$candidate"; then
            "$candidate" -c 'import sys; print(sys.executable)'
            return 0
        fi
        if [[ "$candidate" == "${CHATTERBOT_PYTHON:-}" ]]; then
            log "CHATTERBOT_PYTHON=$candidate does not run as Python 3.10-3.14"
            return 1
        fi
    done
    log "no python3.13 or python3.12 found; set CHATTERBOT_PYTHON"
    return 1
}

python="$(pick_python)"
wanted="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
checksum="$(sha256sum "$requirements" | cut -d' ' -f1)"

have=""
if [[ -x "$venv/bin/python" ]]; then
    have="$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null \
        || true)"
fi

if [[ "$have" == "$wanted" && -f "$stamp" && "$(cat "$stamp")" == "$checksum" ]] \
    && "$venv/bin/python" -m pip check >/dev/null 2>&1; then
    log "$venv is up to date (Python $wanted)"
else
    # Built anew whenever the Python or the pins differ, so no package outlives its pin.
    log "creating $venv with $python (Python $wanted)"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv --clear "$venv"
    log "installing $requirements"
    # Every package is pinned in the file, so --no-deps: nothing comes in that it does not name;
    # pip check then proves the set is complete.
    "$venv/bin/python" -m pip install --quiet --no-deps -r "$requirements" >&2
    "$venv/bin/python" -m pip check >&2
    echo "$checksum" >"$stamp"
fi

echo "$venv/bin/python"
