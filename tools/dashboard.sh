#!/usr/bin/env bash
# One command to see the Horizon plugin: the keystone devserver
# (tools/devserver.sh; its options are passed on, e.g. --port, --state-dir)
# and a real Horizon with keystone-mfa-ext's panels on
# http://127.0.0.1:${MFA_DASHBOARD_PORT:-8080}/, ready to log in as `admin`
# or `demo` (the passwords are in the devserver's banner; `demo` gets the
# member role on project `admin`, since Horizon refuses users without any
# role). Ctrl-C stops both.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
dport=${MFA_DASHBOARD_PORT:-8080}
port=5000
state=.devserver
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --port) port=${args[$((i + 1))]} ;;
        --port=*) port=${args[$i]#--port=} ;;
        --state-dir) state=${args[$((i + 1))]} ;;
        --state-dir=*) state=${args[$i]#--state-dir=} ;;
    esac
done

"$top/tools/dashboard-venv.sh"
"$top/tools/devserver.sh" "$@" &
keystone=$!
horizon=""
stop() {
    [ -z "$horizon" ] || kill "$horizon" 2>/dev/null || true
    kill -INT "$keystone" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

venv=${MFA_EXT_VENV:-$top/.venv}
# Ready once its clouds.yaml is written and /v3 answers.
"$venv/bin/python" - "$port" "$state/clouds.yaml" "$keystone" <<'PY'
import os, sys, time, urllib.request
port, clouds, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _ in range(600):
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit('the keystone devserver exited')
    try:
        urllib.request.urlopen(f'http://127.0.0.1:{port}/v3', timeout=5)
        if os.path.exists(clouds):
            sys.exit(0)
    except OSError:
        pass
    time.sleep(1)
sys.exit('the keystone devserver did not start')
PY
OS_CLIENT_CONFIG_FILE="$state/clouds.yaml" "$venv/bin/openstack" \
    --os-cloud mfa-dev role add --user demo --user-domain Default \
    --project admin member >/dev/null 2>&1 || true

"${MFA_DASHBOARD_VENV:-$top/.venv-dashboard}/bin/python" \
    -m keystone_mfa_dashboard.devhorizon --port "$dport" \
    --keystone-url "http://127.0.0.1:$port/v3" &
horizon=$!
wait "$horizon"
