#!/usr/bin/env bash
# Shared by the quick-start scripts: make sure .venv exists and holds this
# package (editable) plus the given requirement files. Idempotent and quick
# when nothing changed (a stamp file remembers what was installed).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${MFA_EXT_VENV:-$top/.venv}
py=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
    echo "+ creating $venv"
    if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
        echo "$py cannot create virtual environments; on Debian/Ubuntu:" >&2
        echo "  apt-get install python3-venv" >&2
        exit 1
    fi
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
fi

stamp="$venv/.mfa-ext-installed"
want=$(cd "$top" && cat setup.cfg requirements.txt "$@" | sha256sum | cut -d' ' -f1)
# One line per requirement set installed: the sets only add packages, so
# asking again for any of them (the scripts ask for different ones) is free.
if ! grep -qx "$want" "$stamp" 2>/dev/null; then
    reqs=(-r "$top/requirements.txt")
    for f in "$@"; do
        reqs+=(-r "$top/$f")
    done
    echo "+ installing keystone-mfa-ext and its requirements into $venv"
    # This checkout, editable, with the extras of a development machine:
    # the CLI (`client`) and what the devserver runs (`devserver`).
    "$venv/bin/python" -m pip install --quiet "${reqs[@]}" \
        -e "$top[client,devserver]"
    echo "$want" >> "$stamp"
fi
