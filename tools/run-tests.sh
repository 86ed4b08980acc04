#!/usr/bin/env bash
# Quick start, command 2: the whole test suite (unit + functional) with stestr.
# Installs what it needs: the Debian packages bindep.txt lists for the "test"
# profile (when root, or with password-less sudo) and the Python requirements
# into .venv. Arguments go to `stestr run` (e.g. a filter such as tests.unit).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
venv=${MFA_EXT_VENV:-$top/.venv}

"$top/tools/venv.sh"
if command -v apt-get >/dev/null; then
    "$venv/bin/python" -m pip install --quiet bindep
    missing=$("$venv/bin/bindep" -b -f bindep.txt test || true)
    if [ -n "$missing" ]; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
        echo "+ installing Debian packages:" $missing
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
    fi
fi
"$top/tools/venv.sh" test-requirements.txt
export PATH="$venv/bin:$PATH"

before=$(ls .stestr 2>/dev/null | grep -E "^[0-9]+$" | sort -n | tail -n 1 || true)
status=0
"$venv/bin/stestr" run "$@" || status=$?
after=$(ls .stestr 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -n 1 || true)
# One plain summary line ("N passed, N failed, N skipped") for any reader;
# only when this invocation really stored a run.
if [ -n "$after" ] && [ "$after" != "$before" ]; then
    "$venv/bin/stestr" last --subunit | "$venv/bin/python" "$top/tools/summary.py"
else
    echo "0 passed, 1 failed (no test run was recorded: see the errors above)"
    [ "$status" -ne 0 ] || status=1
fi
exit $status
