#!/usr/bin/env bash
# Our tests on each supported keystone release, each with the OpenStack
# libraries of its release, on a real database server:
#   tools/release-matrix.sh [RELEASE...]     e.g. 25 27 (default: all of
#                                            tools/constraints/keystone-*.txt)
# Per release, a venv in .venv-releases/keystone-<N>/ (made once, then
# reused while setup.cfg, the requirement files and the constraints stay
# the same) gets this package (editable) and its test requirements under
# tools/constraints/keystone-<N>.txt: keystone itself and the versions of
# its release's upper-constraints for everything keystone installs.
# Then, on the database server (oslo.db's openstack_citest user, see
# tools/test-setup.sh; a missing server fails, it is not skipped):
#  - the unit API and auth suites (keystone's RestfulTestCase), the
#    migration tests and the compatibility tests;
#  - functional flows against a real devserver (gunicorn, 2 workers) whose
#    database is on the same server.
# One line per release, "keystone 27.1.0: N passed, N failed, N skipped",
# after the failed tests' tracebacks. Exit status 1 if any release failed.
# Environment:
#   MFA_EXT_MATRIX_BACKEND     postgresql (default) or mysql
#   MFA_EXT_MATRIX_FUNCTIONAL  functional test ids (default: TOTP login and
#                              device enrollment flows); "" for none
#   MFA_EXT_RELEASES_DIR       where the venvs go (default .venv-releases)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
py=${PYTHON:-python3}
backend=${MFA_EXT_MATRIX_BACKEND:-postgresql}
flows=${MFA_EXT_MATRIX_FUNCTIONAL-tests.functional.test_totp tests.functional.test_enrollment}
# Reads the devserver's SQLite file itself; the database here is elsewhere.
flows_excluded=test_attempts_are_audited_with_request_id_and_client_address
releases_dir=${MFA_EXT_RELEASES_DIR:-$top/.venv-releases}
case $backend in
    mysql) server_tests=MySQL ;;
    postgresql) server_tests=PostgreSQL ;;
    *) echo "MFA_EXT_MATRIX_BACKEND: mysql or postgresql" >&2; exit 2 ;;
esac
# The migration tests on the server too: keystone's own
# `keystone-manage db_sync --check` after ours, on each release.
unit_suites='^tests\.unit\.(api|auth)\.|^tests\.unit\.common\.test_compat'
unit_suites+='|^tests\.unit\.common\.sql\.test_backends\.SelectedBackend'
unit_suites+="|^tests\.unit\.common\.sql\.test_migration\.$server_tests"
# As .ci/run: the property-based and 100k-row tests stay on SQLite.
unit_excluded='test_hostile_input|AttemptsAtScaleTestCase'

releases=("$@")
if [ ${#releases[@]} -eq 0 ]; then
    mapfile -t releases < <(ls tools/constraints/keystone-*.txt |
        sed -E 's/.*keystone-([0-9]+)\.txt/\1/' | sort -n)
fi

function install_release {
    local venv=$1 constraints=$2
    local stamp="$venv/.mfa-ext-installed"
    local want
    want=$(cat setup.cfg requirements.txt test-requirements.txt \
        "$constraints" | sha256sum | cut -d' ' -f1)
    if ! [ -x "$venv/bin/python" ] || ! grep -qx "$want" "$stamp" 2>/dev/null
    then
        rm -rf "$venv"
        "$py" -m venv "$venv"
        {
            "$venv/bin/python" -m pip install --upgrade pip &&
            "$venv/bin/python" -m pip install -c "$constraints" \
                -r requirements.txt -r test-requirements.txt \
                -e ".[client,devserver]"
        } >"$venv/install.log" 2>&1 || {
            grep -v "^WARNING: Location" "$venv/install.log" | tail -n 30
            return 1
        }
        echo "$want" >"$stamp"
    fi
    # This checkout, editable (again when the venv served another one).
    if [ "$(cat "$venv/.mfa-ext-top" 2>/dev/null)" != "$top" ]; then
        "$venv/bin/python" -m pip install --no-deps -e . \
            >>"$venv/install.log" 2>&1 || {
            tail -n 30 "$venv/install.log"
            return 1
        }
        echo "$top" >"$venv/.mfa-ext-top"
    fi
}

function last_run {
    ls "$1/.stestr" 2>/dev/null | grep -E '^[0-9]+$' | sort -n |
        tail -n 1 || true
}

status=0
summaries=()
for release in "${releases[@]}"; do
    constraints=tools/constraints/keystone-$release.txt
    if [ ! -f "$constraints" ]; then
        echo "no $constraints" >&2
        exit 2
    fi
    version=$(sed -n 's/^keystone==//p' "$constraints")
    venv=$releases_dir/keystone-$release
    start=$SECONDS
    echo "+ keystone $version: venv $venv"
    mkdir -p "$releases_dir"
    if ! install_release "$venv" "$constraints"; then
        summaries+=("keystone $version: 0 passed, 1 failed (install failed)")
        status=1
        continue
    fi
    rm -f "$venv"/*.subunit
    export MFA_EXT_TEST_DB_BACKEND=$backend
    export MFA_EXT_REQUIRE_DB_BACKENDS=$backend
    echo "+ keystone $version: unit API/auth suites on $backend"
    # Its own stestr repository in the venv: the main one stays untouched.
    # Only tests/unit is discovered (tests/keystone_suite imports
    # keystone's own tests of one release).
    before=$(last_run "$venv")
    PATH="$venv/bin:$PATH" "$venv/bin/stestr" --repo-url "$venv" \
        --test-path ./tests/unit run --exclude-regex "$unit_excluded" \
        "$unit_suites" >"$venv/unit.log" 2>&1 || true
    if [ "$(last_run "$venv")" != "$before" ]; then
        "$venv/bin/stestr" --repo-url "$venv" last --subunit \
            >"$venv/unit.subunit"
    else
        echo "no unit test run was recorded; the end of $venv/unit.log:"
        tail -n 30 "$venv/unit.log"
    fi
    if [ -n "$flows" ]; then
        echo "+ keystone $version: functional flows on $backend"
        # shellcheck disable=SC2086  # a list of test ids
        PATH="$venv/bin:$PATH" "$venv/bin/python" tools/release_matrix.py \
            functional --backend "$backend" --exclude "$flows_excluded" \
            --subunit "$venv/functional.subunit" $flows \
            >"$venv/functional.log" 2>&1 || true
    fi
    unset MFA_EXT_TEST_DB_BACKEND MFA_EXT_REQUIRE_DB_BACKENDS
    line=$("$venv/bin/python" tools/release_matrix.py report \
        --label "keystone $version" "$venv/unit.subunit" \
        "$venv/functional.subunit") || status=1
    echo "$line"
    summaries+=("$(echo "$line" | tail -n 1) in $((SECONDS - start)) s")
done

echo "Release matrix ($backend):"
printf '%s\n' "${summaries[@]}"
exit $status
