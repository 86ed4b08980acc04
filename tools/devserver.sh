#!/usr/bin/env bash
# Quick start, command 1: a real Keystone with keystone-mfa-ext on
# http://127.0.0.1:5000 (SQLite in .devserver/) and an SMTP sink on
# 127.0.0.1:8025 that prints every mail. Options are passed on, see --help.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# --dashboard: also a Horizon with the MFA plugin (tools/dashboard.sh,
# doc/dashboard.md); the other options are passed on as they are.
for arg in "$@"; do
    if [ "$arg" = "--dashboard" ]; then
        rest=()
        for a in "$@"; do
            [ "$a" = "--dashboard" ] || rest+=("$a")
        done
        exec "$top/tools/dashboard.sh" "${rest[@]}"
    fi
done
# Preparing .venv says one line per step; pip's and setuptools' own output
# is shown only when it fails.
log=$(mktemp)
if ! "$top/tools/venv.sh" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "tools/venv.sh failed (output above)" >&2
    exit 1
fi
grep '^+ ' "$log" || true
rm -f "$log"
cd "$top"
exec "${MFA_EXT_VENV:-$top/.venv}/bin/keystone-mfa-ext-devserver" "$@"
