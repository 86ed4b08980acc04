#!/usr/bin/env bash
# The Horizon plugin's tests: Django unit tests of its forms and views, then
# browser tests (Selenium, Debian's chromium headless) against a real
# Horizon and the real keystone devserver. Installs what it needs
# (.venv-dashboard, chromium, the main .venv for keystone). Screenshots go
# to doc/source/dashboard/images/. Arguments: a test-id filter for the
# browser tests (e.g. test_admin_panel); --unit-only skips them.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
venv=${MFA_DASHBOARD_VENV:-$top/.venv-dashboard}

"$top/tools/dashboard-venv.sh" --browser
# keystone (the devserver) runs from the main .venv, as tools/devserver.sh
# runs it.
"$top/tools/venv.sh"

echo "+ dashboard unit tests"
start=$SECONDS
unit_status=0
"$venv/bin/python" -m django test dashboard_tests.unit \
    --settings=dashboard_tests.unit.settings -v 1 || unit_status=$?
echo "dashboard unit tests: $((SECONDS - start)) s"
if [ "${1:-}" = "--unit-only" ]; then
    exit $unit_status
fi

echo "+ dashboard browser tests"
start=$SECONDS
stream=$(mktemp)
trap 'rm -f "$stream"' EXIT
browser_status=0
"$venv/bin/python" -m subunit.run discover -s dashboard_tests/browser -t . \
    ${1:+-p "*${1}*.py"} > "$stream" || browser_status=$?
"$venv/bin/subunit2pyunit" < "$stream" >&2 || true
echo "dashboard browser tests: $((SECONDS - start)) s"
summary=$("$venv/bin/python" "$top/tools/summary.py" < "$stream")
unit=passed
[ $unit_status -eq 0 ] || unit=FAILED
echo "dashboard: unit tests $unit; browser tests: $summary"
[ $unit_status -eq 0 ] && [ $browser_status -eq 0 ] && \
    ! grep -q ' [1-9][0-9]* failed' <<<"$summary"
