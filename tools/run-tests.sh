#!/usr/bin/env bash
# Quick start, command 2: the whole test suite (unit + functional) with stestr.
# Installs what it needs: Debian packages from bindep.txt (when root or with
# sudo) and the Python requirements into .venv. Arguments go to `stestr run`
# (e.g. a test filter such as `tests.unit`).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

# python-ldap, needed by keystone's own test fixtures, builds against these.
debs=(libldap2-dev libsasl2-dev)
missing=()
if command -v dpkg-query >/dev/null; then
    for d in "${debs[@]}"; do
        dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$d")
    done
fi
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "+ installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

"$top/tools/venv.sh" test-requirements.txt
venv=${MFA_EXT_VENV:-$top/.venv}
export PATH="$venv/bin:$PATH"

status=0
"$venv/bin/stestr" run "$@" || status=$?
# One plain summary line ("N passed, N failed, N skipped") for any reader.
"$venv/bin/stestr" last --subunit | "$venv/bin/python" "$top/tools/summary.py" || true
exit $status
