#!/usr/bin/env bash
# Shared by tools/dashboard.sh and tools/run-dashboard-tests.sh: make sure
# .venv-dashboard holds Horizon, this package (editable, without the
# server's requirements: keystone never runs from here) and
# dashboard-requirements.txt, and that Debian's chromium and chromedriver
# are installed (when root, or with password-less sudo). Idempotent.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${MFA_DASHBOARD_VENV:-$top/.venv-dashboard}
py=${PYTHON:-python3}

if [ "${1:-}" = "--browser" ] && ! command -v chromedriver >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    echo "+ installing Debian packages: chromium chromium-driver"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        chromium chromium-driver >/dev/null
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "+ creating $venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
fi
stamp="$venv/.mfa-dashboard-installed"
want=$(cd "$top" && cat setup.cfg dashboard-requirements.txt \
    | sha256sum | cut -d' ' -f1)
if ! grep -qx "$want" "$stamp" 2>/dev/null; then
    echo "+ installing Horizon and the dashboard plugin into $venv"
    "$venv/bin/python" -m pip install --quiet \
        -r "$top/dashboard-requirements.txt"
    "$venv/bin/python" -m pip install --quiet --no-deps -e "$top"
    echo "$want" >> "$stamp"
fi
